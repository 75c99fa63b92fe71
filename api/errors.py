"""Every error a client can cause becomes ``{"error": {"code", "message"}}`` with a 4xx status.

Library errors carry a short code (checker.errors); this module maps each to an HTTP status.
A 500 is only ever an internal bug, and even then the body is JSON on API paths.
"""

from __future__ import annotations

import logging

from flask import Flask, Request, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from checker.errors import CheckerError, ConfigError, InputError

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

# InputError codes that are not "unreadable document" (422)
_STATUS_BY_CODE = {
    "too_large": 413,
    "unsupported_type": 415,
    "not_found": 404,
}

# Short codes for HTTP errors raised by Flask/Werkzeug themselves
_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_type",
    422: "unprocessable",
    429: "rate_limited",
    500: "internal",
    503: "busy",
}


# What a person reads for HTTP errors raised by Flask/Werkzeug themselves (the code stays English)
_MESSAGE_BY_STATUS = {
    400: "请求格式不正确",
    401: "需要身份验证",
    403: "没有访问权限",
    404: "找不到该地址",
    405: "不支持该请求方法",
    413: "上传内容过大",
    415: "不支持的请求类型",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误，已记录",
    503: "服务器繁忙，请稍后再试",
}


class ApiError(Exception):
    """An error the API answers with directly: status, short code, message, extra headers."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def from_checker_error(exc: CheckerError) -> ApiError:
    if isinstance(exc, InputError):
        return ApiError(_STATUS_BY_CODE.get(exc.code, 422), exc.code, str(exc))
    if isinstance(exc, ConfigError):  # e.g. an unknown jurisdiction in the request
        return ApiError(400, exc.code, str(exc))
    return ApiError(422, exc.code, str(exc))


def from_http_exception(exc: HTTPException) -> ApiError:
    status = exc.code or 500
    code = _CODE_BY_STATUS.get(status, "http_error")
    message = _MESSAGE_BY_STATUS.get(status) or exc.description or exc.name
    if status == 413:
        limit = request.max_content_length
        if limit:
            message = f"上传内容超过 {limit // 2**20} MB 的上限"
    headers = {}
    if status == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    # webargs/flask-smorest attach field errors; a short summary is more useful than nothing
    messages = getattr(exc, "data", {}).get("messages") if isinstance(getattr(exc, "data", None), dict) else None
    if messages:
        message = f"请求参数无效：{messages}"
    return ApiError(status, code, message, headers)


def error_response(error: ApiError):
    response = jsonify({"error": {"code": error.code, "message": error.message}})
    response.status_code = error.status
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def is_api_request(req: Request) -> bool:
    return req.path.startswith(API_PREFIX) or req.path == "/healthz"


def register_api_error_handlers(target) -> None:
    """JSON for the errors the API raises itself (ApiError, library errors), on an app or a blueprint."""
    target.register_error_handler(ApiError, error_response)
    target.register_error_handler(CheckerError, lambda exc: error_response(from_checker_error(exc)))


def _internal_error(exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(ApiError(500, "internal", "服务器内部错误，已记录"))


def register_blueprint_error_handlers(blueprint) -> None:
    """Everything raised in the blueprint's views is JSON, whatever app it is mounted in
    (routing errors such as 404 on unknown API paths need the app-level handlers below)."""
    register_api_error_handlers(blueprint)
    blueprint.register_error_handler(HTTPException, lambda exc: error_response(from_http_exception(exc)))
    blueprint.register_error_handler(Exception, _internal_error)


def register_app_error_handlers(app: Flask, html_handler) -> None:
    """App-wide: JSON on API paths, the page's own HTML elsewhere (404, 405, 413 from routing/parsing)."""

    def handle_http(exc: HTTPException):
        if is_api_request(request):
            response = error_response(from_http_exception(exc))
            retry_after = exc.response.headers.get("Retry-After") if exc.response is not None else None
            if retry_after:
                response.headers["Retry-After"] = retry_after
            return response
        return html_handler(exc)

    def handle_unexpected(exc: Exception):
        if is_api_request(request):
            return _internal_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return html_handler(InternalServerError())

    register_api_error_handlers(app)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
