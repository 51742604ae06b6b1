"""Domain errors, raised by services and mapped once: JSON for /api/v1, a page for the web."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    default_message = "Yêu cầu không hợp lệ."

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        extra: dict | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        # The form field the message belongs beside, when there is one.
        self.field = field
        # Facts an API client can act on (the current version after a 409, say; `errors`
        # per field when several fields are wrong).
        self.extra = extra or {}
        self.headers = headers or {}

    @property
    def field_errors(self) -> dict[str, str]:
        """Every field's message: all of them when several were checked at once."""
        errors = dict(self.extra.get("errors") or {})
        if not errors:
            errors[self.field or "_"] = self.message
        return errors


class InvalidInput(DomainError):
    status = 400


class NotAuthenticated(DomainError):
    status = 401
    default_message = "Cần đăng nhập."


class Forbidden(DomainError):
    status = 403
    default_message = "Bạn không có quyền thực hiện thao tác này."


class NotFound(DomainError):
    status = 404
    default_message = "Không tìm thấy."


class Conflict(DomainError):
    status = 409


class TooManyAttempts(DomainError):
    status = 429
    default_message = "Thử quá nhiều lần. Vui lòng thử lại sau."


class TooLarge(DomainError):
    status = 413
    default_message = "Tệp quá lớn."


class UnsupportedMedia(DomainError):
    status = 415
    default_message = "Định dạng tệp không được hỗ trợ."


class InsufficientStorage(DomainError):
    status = 507
    default_message = "Hết dung lượng lưu trữ. Báo quản trị giải phóng đĩa rồi thử lại."


class Unavailable(DomainError):
    status = 503
    default_message = "Dịch vụ tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút."


# Vietnamese texts for the HTTP errors that Flask or Werkzeug raise on their own.
HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc văn bản.",
    405: "Phương thức không được hỗ trợ.",
    409: "Xung đột dữ liệu.",
    413: "Tệp quá lớn.",
    415: "Định dạng không được hỗ trợ.",
    429: "Thử quá nhiều lần. Vui lòng thử lại sau.",
    507: "Hết dung lượng lưu trữ. Báo quản trị giải phóng đĩa rồi thử lại.",
    503: "Dịch vụ tạm thời chưa sẵn sàng. Vui lòng thử lại sau ít phút.",
    500: "Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str, extra: dict | None = None, headers: dict | None = None):
    if wants_json():
        return jsonify({"error": message, **(extra or {})}), status, headers or {}
    return render_template("errors/error.html", status=status, message=message), status, headers or {}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        return error_response(err.status, err.message, err.extra, err.headers)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        message = HTTP_MESSAGES.get(status, err.description or HTTP_MESSAGES[400])
        if status == 400 and err.description and "CSRF" in err.description:
            message = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang."
        return error_response(status, message)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        # Logged with its trace for us; the user sees a plain message, never the trace.
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, HTTP_MESSAGES[500])
