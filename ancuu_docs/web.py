"""What every web page shares: template helpers and putting service errors beside form fields."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_wtf import FlaskForm

from .auth.models import ROLE_LABELS, Role
from .auth.policy import Action, can
from .documents.audit import ACTION_LABELS
from .documents.types import DOC_TYPES, STATUS_LABELS, Status
from .errors import DomainError, Forbidden, NotAuthenticated, NotFound
from .timeutil import format_local, vietnamese_date


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["local_time"] = format_local
    app.jinja_env.filters["vn_date"] = vietnamese_date
    app.jinja_env.filters["filesize"] = human_size

    @app.context_processor
    def _helpers() -> dict:
        return {
            "can": can,
            "Action": Action,
            "DOC_TYPES": DOC_TYPES,
            "STATUS_LABELS": STATUS_LABELS,
            "Status": Status,
            "ROLE_LABELS": ROLE_LABELS,
            "Role": Role,
            "settings": app.config,
            "AUDIT_LABELS": ACTION_LABELS,
        }


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def attach_error(form: FlaskForm, err: DomainError) -> int:
    """Show a service's refusal beside the field it concerns; return the status to answer with.

    Not-found and forbidden are not form mistakes: they go on to the error page.
    """
    if isinstance(err, (NotFound, Forbidden, NotAuthenticated)):
        raise err
    field = getattr(form, err.field, None) if err.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, err.message]
    else:
        form.form_errors.append(err.message)
    return err.status


class PostForm(FlaskForm):
    """A button that only needs the CSRF token."""


def page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    """Bytes made on the fly (not a stored file) offered as a download."""
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
