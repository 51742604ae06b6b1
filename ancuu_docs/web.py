"""What every web page shares: template filters, signing in first, the one way a form page
answers (service errors beside their fields), and parsers as form validators."""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from typing import ClassVar

from flask import Blueprint, Flask, Response, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from jinja2.filters import do_filesizeformat
from werkzeug.routing import IntegerConverter
from wtforms import Field, FieldList, FormField, SelectChoice
from wtforms.validators import StopValidation

from .errors import DomainError, Forbidden, InvalidInput, NotAuthenticated, NotFound
from .parsing import ID_MAX
from .schema import Command, parse
from .timeutil import format_local, format_local_date, vietnamese_date


class RowId(IntegerConverter):
    """`<int:…>` in every route: a number a row id can be, larger ones are simply not found
    (404), never passed to the database (SQLite refuses integers past 2^63 with an error)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


# Sent with every response, pages, API and downloads alike.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _secure(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def register_template_helpers(app: Flask) -> None:
    """Helpers of no feature in particular; each feature's blueprint adds its own."""
    app.jinja_env.filters["local_time"] = format_local
    app.jinja_env.filters["local_date"] = format_local_date
    app.jinja_env.filters["vn_date"] = vietnamese_date
    app.jinja_env.filters["filesize"] = file_size

    @app.context_processor
    def _helpers() -> dict:
        return {"settings": app.config}


def file_size(size: int) -> str:
    """Jinja's filesizeformat in binary units, written as Vietnamese readers see them ("12.3 KB")."""
    return do_filesizeformat(size, binary=True).replace("Bytes", "byte").replace("iB", "B")


def signed_in_only(bp: Blueprint) -> None:
    """Every page of `bp` needs a signed-in user (the login page otherwise, then back)."""
    bp.before_request(login_required(lambda: None))


def signed_in_user():
    """The signed-in user, as services take it (the object, not Flask-Login's proxy)."""
    return current_user._get_current_object()


STALE_FORM = "Biểu mẫu hết hạn, vui lòng gửi lại."


def form_page(
    form: FlaskForm,
    submit: Callable[[], ResponseReturnValue],
    render: Callable[[], str],
    *more_forms: FlaskForm,
) -> ResponseReturnValue:
    """The one way a form page answers. A valid submission runs `submit` (a service call, then
    usually a redirect); a service's refusal is shown beside the fields it names (looked for
    in `form`, then `more_forms`) on the page drawn again with its status; a submission the
    form itself refuses is 400 (a stale CSRF token says so); a GET draws the page, 200.
    `render()` draws the page's HTML with the form as it stands."""
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            return submit()
        except DomainError as err:
            status, headers = attach_error(form, err, *more_forms), err.headers
    elif form.is_submitted():
        if "csrf_token" in form.errors:
            form.form_errors.append(STALE_FORM)
        status = 400
    return render(), status, headers


def attach_error(form: FlaskForm, err: DomainError, *more_forms) -> int:
    """Show a service's refusal beside the fields it concerns (every one of them when several
    were wrong), looking in `form` and then in `more_forms`; return the status to answer with.

    Not-found and forbidden are not form mistakes: they go on to the error page.
    """
    if isinstance(err, (NotFound, Forbidden, NotAuthenticated)):
        raise err
    for name, message in err.field_errors.items():
        field = next(
            (found for f in (form, *more_forms) if (found := _field_named(f, name)) is not None), None
        )
        if field is None:
            form.form_errors.append(message)
        elif message not in field.errors:
            field.errors = [*field.errors, message]
    return err.status


def _field_named(form: FlaskForm, name: str):
    """The field a service's error names: "title", or "absent-0-name" (a field of a row of a
    list of sub-forms, as WTForms names them)."""
    node = form
    for part in name.split("-"):
        if part.isdigit() and isinstance(node, FieldList):
            index = int(part)
            node = node.entries[index] if index < len(node.entries) else None
        else:
            container = node.form if isinstance(node, FormField) else node
            node = getattr(container, "_fields", {}).get(part)
        if node is None:
            return None
    return node if isinstance(node, Field) and not isinstance(node, (FieldList, FormField)) else None


class CommandForm(FlaskForm):
    """A form whose fields one command's schema parses (`schema.parse`), as the API's JSON is:
    the page marks the fields the command requires, and `parsed()` gives the typed values or
    raises InvalidInput, which `form_page` shows beside each field. The form itself checks
    only what is the page's own (the CSRF token, a ticked confirmation, a chosen file)."""

    command: ClassVar[type[Command]]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.command.required_fields:
            if name in self._fields:
                self._fields[name].flags.required = True

    def parsed(self, **given):
        """The command from what the page sent: a field of the form left out of the request
        (a careless or hostile client) counts as sent empty, as a browser sends it."""
        sent = {name: "" if value is None else value for name, value in self.data.items()}
        return parse(self.command, sent, **given)


class Checked:
    """A form validator that runs one of `parsing`'s parsers on the field's value, so a page
    refuses what the API refuses, with the same Vietnamese message (forms not yet parsed by a
    command's schema)."""

    def __init__(self, parser, **options):
        self.parser = parser
        self.options = options
        # Marked required on the page (and told to assistive technology) when the parser
        # refuses a blank value: its `required` option, else that parameter's default.
        default = _default(parser, "required")
        if default is None:  # a choice: required unless blank is one of the options
            default = "" not in options.get("options", [""])
        required = options.get("required", default)
        self.field_flags = {"required": True} if required else {}

    def __call__(self, form, field) -> None:
        try:
            self.parser(field.data, field=field.name, **self.options)
        except InvalidInput as err:
            raise StopValidation(err.message) from None


def _default(function, name: str) -> object:
    parameter = inspect.signature(function).parameters.get(name)
    return None if parameter is None else parameter.default


class Confirmed:
    """The box an irreversible action must have ticked (approve, withdraw, vote, close)."""

    def __init__(self, message: str = "Hãy đánh dấu ô xác nhận: việc này không hoàn tác được."):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.data:
            raise StopValidation(self.message)


def choices(pairs, *, blank: str | None = None) -> list[SelectChoice]:
    """Options of a select from (value, label) pairs, with an empty first option if `blank`."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(str(value), label) for value, label in pairs]


class PostForm(FlaskForm):
    """A button that only needs the CSRF token."""


def download(data: bytes, filename: str, mimetype: str) -> Response:
    """Bytes made on the fly (not a stored file) offered as a download under `filename`."""
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
