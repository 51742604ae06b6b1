"""What happened, announced by the feature it happened in; the features above subscribe.

A feature lower down (documents) never imports the features that react to it (meetings,
search, audit of users): it sends one of these, and they connect receivers in their
`subscribers` modules, which the app factory imports. Changes are sent inside the
transaction that makes them, so a receiver's writes (an index job, a closed meeting)
commit or roll back with the change, and a receiver that refuses (raises) undoes it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Document; kwargs: actor, version (the first DocumentVersion).
document_created = _signals.signal("document-created")
# sender: the Document; kwargs: actor, version (the new DocumentVersion).
version_added = _signals.signal("version-added")
# sender: the Document; kwargs: version, rendition (a VersionRendition: OCR's searchable PDF).
rendition_added = _signals.signal("rendition-added")
# sender: the Document; kwargs: actor, changes ({field: {"from", "to"}} or {"relation": …}).
document_updated = _signals.signal("document-updated")
# sender: the Document; kwargs: actor, source (Status), target (Status).
document_moved = _signals.signal("document-moved")
# sender: the Document, approved and numbered; kwargs: actor, number, issued (date).
document_approved = _signals.signal("document-approved")
# sender: the importing User; kwargs: count (documents imported). After a whole import.
documents_imported = _signals.signal("documents-imported")
# sender: the Meeting; kwargs: actor, action ("meeting.create", "meeting.decision", …).
meeting_changed = _signals.signal("meeting-changed")
# sender: the User or None (a failed login); kwargs: actor, action ("user.create", …), details.
user_changed = _signals.signal("user-changed")

# Questions the features above ask of every feature; each receiver answers for its own.
# -> a searchable.SearchProvider
get_search_providers = _signals.signal("get-search-providers")
# -> {"actions": {action: label}, "objects": {object_type: (label, endpoint, view argument)}}
get_audit_labels = _signals.signal("get-audit-labels")
# sender: the Document about to be approved; kwargs: version (its current DocumentVersion, a
# DOCX), number, issued (date), signer: what the approval will give it -> documents.issuing.
# IssuedFile, from the feature that generated that version; documents fills an uploaded file
# itself when nobody answers. Asked before the approving transaction, never inside it.
render_issued_file = _signals.signal("render-issued-file")
# sender: a Document -> {"signer": …, "recipients": …} as its current version's draft names
# them, from the feature that generated it; approval falls back on them (signer, outgoing
# register's recipients) when nobody gave them.
draft_details = _signals.signal("draft-details")
# -> True from the feature whose worker process is running (search's index worker); features
# with background work run it in-process when nobody answers True.
worker_running = _signals.signal("worker-running")
# sender: the Document shown; kwargs: actor -> HTML (Markup) to show on the document page.
document_page_panels = _signals.signal("document-page-panels")
# sender: the signed-in User; kwargs: since (their login before this one, or None) ->
# [(order, Markup)]: what awaits them on the home page, each feature's own lists.
home_panels = _signals.signal("home-panels")


def values_from(signal, *args, **kwargs) -> list:
    """What every receiver answered, in the order they were connected; None answers dropped."""
    return [value for _receiver, value in signal.send(*args, **kwargs) if value is not None]
