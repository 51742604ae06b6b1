"""What happened, announced by the feature it happened in; the features above subscribe.

A feature lower down (documents) never imports the features that react to it (meetings,
search, audit of users): it sends one of these, and they connect receivers in their
`subscribers` modules, which the app factory imports. Signals say what happened and
nobody answers them: what one feature shows on another's page, or asks of another, is in
`wiring.py`, filled by `create_app`. Changes are sent inside the
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
# sender: the Intake, staged with its header still to be read (a scan, a photo); inside the
# staging's unit of work.
intake_staged = _signals.signal("intake-staged")
# sender: the Meeting; kwargs: actor, action ("meeting.create", "meeting.decision", …).
meeting_changed = _signals.signal("meeting-changed")
# sender: the User or None (a failed login); kwargs: actor, action ("user.create", …), details.
user_changed = _signals.signal("user-changed")
