"""The review copy over HTTP: ``POST /api/v1/annotate`` (check + write the marked-up document in one
isolated child, within a check slot, after the same refusals as a check), and the review copy of a
report checked on the web page.

For the page's 下载批注版 button the uploaded bytes must outlive the check: they are read back from
the upload folder when ``KEEP_UPLOADS`` is on, and otherwise held in memory for
``REVIEW_SOURCE_TTL`` seconds (default 1800; 0 turns it off), never on disk, at most
``REVIEW_SOURCE_MAX_BYTES`` in all (oldest dropped first).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import fields
from pathlib import PurePath
from typing import Any

from flask import Response, current_app

from api.admission import Busy
from api.checking import CheckRequest, client_address
from api.downloads import content_disposition
from api.errors import ApiError, from_checker_error
from api.services import Services, services
from checker.errors import CheckerError
from checker.ingest import sniff
from checker.pipeline import CheckOptions
from checker.report.annotate import ReviewCopy, annotate_bytes

log = logging.getLogger(__name__)

_EXTENSIONS = ("pdf", "docx", "doc", "html", "txt")
_SOURCES = "tender_check_review_sources"


class SourceCache:
    """Uploaded documents by report id, for a while, in memory only."""

    def __init__(self, ttl_s: float, max_bytes: int):
        self.ttl_s, self.max_bytes = ttl_s, max_bytes
        self._items: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, report_id: str, name: str, data: bytes) -> None:
        if self.ttl_s <= 0 or len(data) > self.max_bytes:
            return
        with self._lock:
            self._items[report_id] = (time.monotonic() + self.ttl_s, name, data)
            self._prune()

    def get(self, report_id: str) -> tuple[str, bytes] | None:
        with self._lock:
            self._prune()
            item = self._items.get(report_id)
            return (item[1], item[2]) if item else None

    def _prune(self) -> None:
        now = time.monotonic()
        for key in [k for k, (expires, _, _) in self._items.items() if expires <= now]:
            del self._items[key]
        while self._items and sum(len(d) for _, _, d in self._items.values()) > self.max_bytes:
            self._items.popitem(last=False)


def source_cache() -> SourceCache:
    app = current_app
    cache = app.extensions.get(_SOURCES)
    if cache is None:
        cache = app.extensions[_SOURCES] = SourceCache(
            float(app.config.get("REVIEW_SOURCE_TTL", 1800)), int(app.config.get("REVIEW_SOURCE_MAX_BYTES", 256 * 2**20)))
    return cache


def remember_source(report: dict[str, Any], check: CheckRequest) -> None:
    """Keep an uploaded file for the page's 下载批注版 button (not when uploads are kept anyway)."""
    if check.data is not None and services().upload_folder is None:
        source_cache().put(report["id"], check.name, check.data)


def stored_source(report_id: str, svc: Services | None = None) -> bytes | None:
    svc = svc or services()
    if svc.upload_folder is not None:
        for extension in _EXTENSIONS:
            path = svc.upload_folder / f"{report_id}.{extension}"
            if path.is_file():
                return path.read_bytes()
    found = source_cache().get(report_id)
    return found[1] if found else None


def _options(check: CheckRequest, svc: Services) -> CheckOptions:
    known = {f.name for f in fields(CheckOptions)}
    extra = {option: getattr(svc, setting) for option, setting in
             (("timeout_s", "check_timeout"), ("memory_mb", "check_memory_mb"), ("max_findings", "max_findings"))
             if option in known and hasattr(svc, setting)}
    return CheckOptions(jurisdiction=check.jurisdiction, regime=check.regime, limits=svc.limits, isolate=True, **extra)


def _client_gone():
    from flask import request

    probe = request.environ.get("waitress.client_disconnected")
    return probe if callable(probe) else None


def run_annotate(check: CheckRequest, report: dict[str, Any] | None = None, svc: Services | None = None) -> ReviewCopy:
    """Check (unless ``report`` is given) and write the review copy; ApiError for anything refused."""
    svc = svc or services()
    if svc.rate_limit is not None:
        svc.rate_limit.hit(client_address())
    data = check.data
    name = check.name
    if data is None:  # pasted text: its review copy is a DOCX of the text
        text = check.text or ""
        if not text.strip():
            raise ApiError(422, "empty", "文字为空")
        if len(text) > svc.max_text_chars:
            raise ApiError(413, "too_large", f"文字共 {len(text):,} 个字符，上限为 {svc.max_text_chars:,}")
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            raise ApiError(400, "bad_request", "文字不是有效的 Unicode（含有单独的代理码位）") from None
        if not name.lower().endswith(".txt"):
            name += ".txt"
    try:
        options = _options(check, svc)
        sniff(data)  # 415 before taking a slot
    except CheckerError as exc:
        raise from_checker_error(exc) from None
    try:
        with svc.slots.slot():
            copy = annotate_bytes(data, name, options, report=report, cancelled=_client_gone())
    except Busy as exc:
        raise ApiError(503, "busy", f"服务器繁忙（{exc}），请稍后再试", {"Retry-After": str(exc.retry_after)}) from None
    except CheckerError as exc:
        if exc.code == "cancelled":
            raise ApiError(499, "cancelled", str(exc)) from None
        raise from_checker_error(exc) from None
    except Exception:  # a library bug tripped by this document: the client gets a 422, we get the trace
        log.exception("annotating %r failed", name)
        raise ApiError(422, "check_failed", "无法生成批注版（内部错误已记录）") from None
    if report is None:
        svc.store.save_report(copy.report)
        if svc.upload_folder is not None and check.data is not None:
            extension = {"pdf": "pdf", "docx": "docx", "doc": "doc", "html": "html"}.get(sniff(data), "txt")
            (svc.upload_folder / f"{copy.report['id']}.{extension}").write_bytes(check.data)
    return copy


def review_copy_response(copy: ReviewCopy) -> Response:
    response = Response(copy.data, mimetype=copy.media_type)
    name = PurePath(copy.name)
    response.headers["Content-Disposition"] = content_disposition(name.stem, name.suffix)
    if copy.report.get("id"):
        response.headers["X-Report-Id"] = copy.report["id"]
    response.headers["X-Findings-Anchored"] = str(copy.anchored)
    response.headers["X-Findings-Unanchored"] = str(copy.unanchored)
    response.headers["Cache-Control"] = "no-store"
    return response
