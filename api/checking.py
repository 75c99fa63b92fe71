"""One check as the web layer runs it, for the API and the page alike: read the request,
refuse cheap-to-detect bad input before taking a slot, run the library's isolated check
within a slot, store the report.

The document name the client sends is kept for display only; nothing on disk is ever
named after it (werkzeug's secure_filename would drop the Chinese characters anyway).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from flask import Request, request
from werkzeug.exceptions import HTTPException

from api.admission import Busy
from api.errors import ApiError, from_checker_error
from api.services import Services, services
from api.storage import write_private
from checker.errors import Cancelled, CheckerError, UnsupportedType
from checker.ingest import sniff
from checker.pipeline import CheckOptions, check_bytes, check_text

log = logging.getLogger(__name__)

DEFAULT_TEXT_NAME = "pasted-text.txt"
_EXTENSION = {"pdf": "pdf", "docx": "docx", "html": "html", "text": "txt"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class CheckRequest:
    name: str
    jurisdiction: str
    regime: str | None
    data: bytes | None = None  # an uploaded file …
    text: str | None = None  # … or pasted text


def display_name(client_name: str | None, fallback: str) -> str:
    """The client's file name without any directory part or control characters, for display."""
    name = _CONTROL.sub("", (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:255] or fallback


def _choice(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, "bad_request", "jurisdiction 和 regime 必须是字符串")
    return value.strip() or None


MAX_JSON_DEPTH = 64  # a check request is two levels deep; nothing a client needs comes near this


def json_depth_ok(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest at most ``limit`` deep (a linear scan, no recursion)."""
    depth, in_string, escaped = 0, False, False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return False
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return True


def json_body(req: Request = request) -> Any:
    """The request's JSON body; a 400 JSON error (never a 500) for malformed or deeply nested JSON."""
    data = req.get_data(cache=True)
    if not json_depth_ok(data):
        raise ApiError(400, "bad_request", f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层，请求被拒绝")
    try:
        return req.get_json(silent=False)
    except (HTTPException, ValueError, RecursionError):
        raise ApiError(400, "bad_request", "请求体不是有效的 JSON") from None


def check_json_request() -> None:
    """before_request for JSON endpoints: refuse bad JSON before any view parses it."""
    if request.is_json and request.method in ("POST", "PUT", "PATCH") and request.content_length != 0:
        json_body(request)


def read_check_request(req: Request = request) -> CheckRequest:
    """A multipart upload (field ``file``, or ``text``) or a JSON body ``{"text": …}``."""
    if req.mimetype == "multipart/form-data" or req.mimetype == "application/x-www-form-urlencoded":
        fields = req.form
        upload = req.files.get("file")
        jurisdiction, regime = _choice(fields.get("jurisdiction")), _choice(fields.get("regime"))
        if upload is not None and upload.filename:
            data = upload.read()
            return CheckRequest(display_name(upload.filename, "upload"), jurisdiction or "auto", regime, data=data)
        text = fields.get("text")
        if text is not None and text.strip():
            return CheckRequest(display_name(fields.get("name"), DEFAULT_TEXT_NAME), jurisdiction or "auto", regime, text=text)
        if upload is not None or text is not None:
            raise ApiError(422, "empty", "上传的文件或文字为空")
        raise ApiError(400, "bad_request", "请在 multipart 字段 file 中上传文件（或在 text 中粘贴文字）")
    if req.is_json:
        body = json_body(req)
        if not isinstance(body, dict):
            raise ApiError(400, "bad_request", 'JSON 请求体应为对象，例如 {"text": "…"}')
        text = body.get("text")
        if not isinstance(text, str):
            raise ApiError(400, "bad_request", 'JSON 请求体需要字符串字段 "text"')
        name = body.get("name") if isinstance(body.get("name"), str) else None
        return CheckRequest(
            display_name(name, DEFAULT_TEXT_NAME), _choice(body.get("jurisdiction")) or "auto", _choice(body.get("regime")), text=text
        )
    raise ApiError(
        415, "unsupported_media_type", "请用 multipart/form-data 上传 file 字段，或用 application/json 发送 text 字段"
    )


def client_address() -> str:
    return request.remote_addr or "unknown"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def client_gone():
    """A callable telling whether the client has closed its connection (waitress with
    ``channel_request_lookahead``; other servers cannot tell, and the check runs to its bounds)."""
    probe = request.environ.get("waitress.client_disconnected")
    return probe if callable(probe) else None


def run_check(check: CheckRequest, svc: Services | None = None) -> dict[str, Any]:
    """Check, store and return the report (with its ``id``); raise ApiError for anything refused."""
    svc = svc or services()
    if svc.rate_limit is not None:
        svc.rate_limit.hit(client_address())
    try:
        options = CheckOptions(
            jurisdiction=check.jurisdiction, regime=check.regime, limits=svc.limits, isolate=True,
            timeout_s=svc.check_timeout, memory_mb=svc.check_memory_mb, max_findings=svc.max_findings,
        )
        kind = sniff(check.data) if check.data is not None else "text"  # 415/422 before taking a slot
        if check.text is not None and not check.text.strip():
            raise ApiError(422, "empty", "文字为空")
        if check.text is not None and not _encodable(check.text):
            raise ApiError(400, "bad_request", "文字不是有效的 Unicode（含有单独的代理码位）")
        if check.text is not None and len(check.text) > svc.max_text_chars:
            raise ApiError(413, "too_large", f"文字共 {len(check.text):,} 个字符，上限为 {svc.max_text_chars:,}")
    except CheckerError as exc:
        raise from_checker_error(exc) from None
    try:
        with svc.slots.slot():
            report = _check(check, options)
    except Busy as exc:
        raise ApiError(503, "busy", f"服务器繁忙（{exc}），请稍后再试", {"Retry-After": str(exc.retry_after)}) from None
    report_id = svc.store.save_report(report)
    if svc.upload_folder is not None and check.data is not None:
        # stored under the report id: the client's name is not a safe (or even representable) path
        write_private(svc.upload_folder / f"{report_id}.{_EXTENSION[kind]}", check.data)
    return report


def _check(check: CheckRequest, options: CheckOptions) -> dict[str, Any]:
    # Parsing and analysis run in a child process bounded in time and memory, for files and
    # pasted text alike; the child is killed as soon as the client has gone.
    cancelled = client_gone()
    try:
        if check.data is not None:
            return check_bytes(check.data, check.name, options, cancelled=cancelled)
        return check_text(check.text or "", check.name, options, cancelled=cancelled)
    except UnsupportedType as exc:
        if check.text is not None:  # pasted text full of control characters: unreadable, not a file type
            raise ApiError(422, "unreadable_text", f"这段文字无法作为文件读取（{exc}）") from None
        raise from_checker_error(exc) from None
    except Cancelled as exc:
        log.info("%s", exc)
        raise ApiError(499, "cancelled", str(exc)) from None
    except CheckerError as exc:
        if exc.code == "check_failed":
            log.error("checking %r failed: %s", check.name, exc)
        raise from_checker_error(exc) from None
    except Exception:  # a library bug tripped by this document: the client gets a 422, we get the trace
        log.exception("checking %r failed", check.name)
        raise ApiError(422, "check_failed", "文件无法检查（内部错误已记录）") from None

