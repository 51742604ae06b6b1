"""An Cựu Docs: the document registry of a ward Party Committee's secretariat."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import PROJECT_ROOT, load_settings


def create_app(overrides: dict | None = None, *, instance_path: str | Path | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path or PROJECT_ROOT / "instance").resolve()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_mapping(load_settings(Path(app.instance_path), overrides))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from .errors import register_error_handlers
    from .web import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)

    from .cli import register_cli

    register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from .database import configure_sqlite
    from .extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)


def _register_blueprints(app: Flask) -> None:
    from .api import health
    from .auth.views import bp as auth_bp
    from .documents.api import bp as documents_api
    from .documents.views import bp as documents_bp
    from .drafting.api import bp as drafting_api
    from .drafting.views import bp as drafting_bp
    from .extensions import csrf
    from .meetings.api import bp as meetings_api
    from .meetings.views import bp as meetings_bp
    from .search.api import bp as search_api
    from .search.views import bp as search_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(drafting_bp)
    app.register_blueprint(meetings_bp)
    for api in (health, documents_api, search_api, drafting_api, meetings_api):
        csrf.exempt(api)  # the API authenticates by Bearer token, never by cookie
        app.register_blueprint(api)
