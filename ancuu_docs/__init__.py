"""An Cựu Docs: the document registry of a ward Party Committee's secretariat.

The app factory is the top of the layers: it knows every feature, wires their blueprints,
imports the modules whose receivers connect the features to each other's signals, and says
in `WIRING` what each feature shows on another's page and answers for another.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api, cli, errors, web
from .audit import subscribers as audit_subscribers
from .audit import views as audit_views
from .auth import audit as auth_audit
from .auth import views as auth_views
from .config import PROJECT_ROOT, configure
from .consultation import api as consultation_api
from .consultation import audit as consultation_audit
from .consultation import home as consultation_home
from .consultation import subscribers as consultation_subscribers
from .consultation import views as consultation_views
from .database import configure_sqlite
from .documents import api as documents_api
from .documents import audit as documents_audit
from .documents import home as documents_home
from .documents import search as documents_search
from .documents import views as documents_views
from .drafting import api as drafting_api
from .drafting import audit as drafting_audit
from .drafting import issuing as drafting_issuing
from .drafting import views as drafting_views
from .extensions import csrf, db, login_manager, migrate
from .home import views as home_views
from .maintenance import cli as maintenance_cli
from .meetings import api as meetings_api
from .meetings import audit as meetings_audit
from .meetings import home as meetings_home
from .meetings import search as meetings_search
from .meetings import subscribers as meetings_subscribers
from .meetings import views as meetings_views
from .ocr import panels as ocr_panels
from .ocr import subscribers as ocr_subscribers
from .registers import api as registers_api
from .registers import panels as registers_panels
from .registers import views as registers_views
from .search import api as search_api
from .search import engines as search_engines
from .search import indexing as search_indexing
from .search import panels as search_panels
from .search import querying as search_querying
from .search import subscribers as search_subscribers
from .search import views as search_views
from .signatures import subscribers as signatures_subscribers
from .wiring import Wiring, install

# Modules imported for what they connect (receivers of signals, policy rules), not for names.
CONNECTED = (
    audit_subscribers,
    consultation_subscribers,
    meetings_subscribers,
    ocr_subscribers,
    signatures_subscribers,
)

# What each feature shows on another's page and answers for another, in the order shown.
WIRING = Wiring(
    document_panels=(
        registers_panels.book_columns_panel,  # the office: the books' working columns
        consultation_views.document_panel,  # rounds of comments; the answer form for who is asked
        ocr_panels.reading_panel,  # where each scan's reading stands; the searchable PDF
        search_panels.similar_documents_panel,
    ),
    home_panels=(
        consultation_home.asked_panel,  # drafts I am asked to comment on
        documents_home.drafts_panel,  # the office: drafts in review; a clerk: their own drafts
        consultation_home.answers_panel,  # the office: comments received since my last login
        documents_home.issued_panel,  # issued since my last login
        documents_home.incoming_panel,  # the office: received documents to handle
        meetings_home.next_meeting_panel,
    ),
    search_providers=(documents_search.PROVIDER, meetings_search.PROVIDER),
    audit_labels=(
        auth_audit.audit_labels,
        documents_audit.audit_labels,
        drafting_audit.audit_labels,
        consultation_audit.audit_labels,
        meetings_audit.audit_labels,
    ),
    # A draft generated from a template is issued by rendering that template again.
    issued_file=drafting_issuing.render_issued,
    draft_details=drafting_issuing.details_of_draft,
    # The index worker also runs the other features' background jobs (OCR).
    worker_running=search_indexing.worker_running,
    api_registration=registers_api.api_registration,
    entry_correction=registers_api.api_entry_correction,
)


def create_app(overrides: dict | None = None, *, instance_path: str | Path | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path or PROJECT_ROOT / "instance").resolve()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.url_map.converters["int"] = web.RowId
    configure(app, overrides)
    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)

    install(app, WIRING)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
        search_subscribers.connect_providers()
    search_querying.configure_cache(app.config["SEARCH_RESULTS_CACHE"])
    search_engines.get(app.config["SEARCH_BACKEND"])  # a misspelt engine stops the start, named

    pages = (
        home_views,
        auth_views,
        documents_views,
        registers_views,
        search_views,
        drafting_views,
        meetings_views,
        consultation_views,
    )
    for page in (*pages, audit_views):
        app.register_blueprint(page.bp)
    for endpoint in (documents_api, registers_api, search_api, drafting_api, meetings_api, consultation_api):
        app.register_blueprint(endpoint.bp)
    app.register_blueprint(api.health)
    for blueprint in app.blueprints.values():
        if blueprint.url_prefix == api.PREFIX:
            csrf.exempt(blueprint)  # the API authenticates by Bearer token, never by cookie

    errors.register_error_handlers(app)
    web.register_template_helpers(app)
    web.register_security_headers(app)
    cli.register_cli(app)
    maintenance_cli.register(app)
    return app
