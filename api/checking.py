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

from api.admission import Busy
from api.errors import ApiError, from_checker_error
from api.services import Services, services
from checker.errors import CheckerError, UnsupportedType
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
        raise ApiError(400, "bad_request", "jurisdiction and regime must be strings")
    return value.strip() or None


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
            raise ApiError(422, "empty", "the uploaded file or text is empty")
        raise ApiError(400, "bad_request", "send the document in the multipart field 'file' (or text in 'text')")
    if req.is_json:
        body = req.get_json(silent=True)
        if not isinstance(body, dict):
            raise ApiError(400, "bad_request", 'the JSON body must be an object like {"text": "…"}')
        text = body.get("text")
        if not isinstance(text, str):
            raise ApiError(400, "bad_request", 'the JSON body needs a string field "text"')
        name = body.get("name") if isinstance(body.get("name"), str) else None
        return CheckRequest(
            display_name(name, DEFAULT_TEXT_NAME), _choice(body.get("jurisdiction")) or "auto", _choice(body.get("regime")), text=text
        )
    raise ApiError(
        415, "unsupported_media_type", "send multipart/form-data with a 'file' field, or application/json with a 'text' field"
    )


def client_address() -> str:
    return request.remote_addr or "unknown"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def run_check(check: CheckRequest, svc: Services | None = None) -> dict[str, Any]:
    """Check, store and return the report (with its ``id``); raise ApiError for anything refused."""
    svc = svc or services()
    if svc.rate_limit is not None:
        svc.rate_limit.hit(client_address())
    try:
        options = CheckOptions(jurisdiction=check.jurisdiction, regime=check.regime, limits=svc.limits, isolate=True)
        kind = sniff(check.data) if check.data is not None else "text"  # 415/422 before taking a slot
        if check.text is not None and not check.text.strip():
            raise ApiError(422, "empty", "the text is empty")
        if check.text is not None and not _encodable(check.text):
            raise ApiError(400, "bad_request", "the text is not valid Unicode (lone surrogate code points)")
        if check.text is not None and len(check.text) > svc.max_text_chars:
            raise ApiError(413, "too_large", f"the text has {len(check.text):,} characters; the limit is {svc.max_text_chars:,}")
    except CheckerError as exc:
        raise from_checker_error(exc) from None
    try:
        with svc.slots.slot():
            report = _check(check, options)
    except Busy as exc:
        raise ApiError(503, "busy", f"the server is busy ({exc}); try again later", {"Retry-After": str(exc.retry_after)}) from None
    report_id = svc.store.save_report(report)
    if svc.upload_folder is not None and check.data is not None:
        # stored under the report id: the client's name is not a safe (or even representable) path
        (svc.upload_folder / f"{report_id}.{_EXTENSION[kind]}").write_bytes(check.data)
    return report


def _check(check: CheckRequest, options: CheckOptions) -> dict[str, Any]:
    try:
        if check.data is not None:
            return check_bytes(check.data, check.name, options)
        return check_text(check.text or "", check.name, options)
    except UnsupportedType as exc:
        if check.text is not None:  # pasted text full of control characters: unreadable, not a file type
            raise ApiError(422, "unreadable_text", f"the text cannot be read as a document ({exc})") from None
        raise from_checker_error(exc) from None
    except CheckerError as exc:
        raise from_checker_error(exc) from None
    except Exception:  # a library bug tripped by this document: the client gets a 422, we get the trace
        log.exception("checking %r failed", check.name)
        raise ApiError(422, "check_failed", "the document could not be checked (an internal error was logged)") from None

