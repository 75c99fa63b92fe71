"""What the views share within one application: the report store, the check slots, the
parsing limits and the rate limit — built once from the app's configuration and kept in
``app.extensions["tender_check"]`` (so two apps in one process never share state)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, request

from api.admission import CheckSlots
from api.config import Defaults
from api.ratelimit import CheckRateLimit
from api.storage import ReportStore, default_database_url, private_folder
from checker.ingest import Limits

EXTENSION = "tender_check"


@dataclass
class Services:
    store: ReportStore
    slots: CheckSlots
    limits: Limits
    rate_limit: CheckRateLimit | None  # None when RATELIMIT_ENABLED is off
    upload_folder: Path | None  # set when KEEP_UPLOADS is on
    max_text_chars: int
    check_timeout: float = 180.0  # the whole check, parsing included
    check_memory_mb: int = 3072
    max_findings: int = 1000


def install(app: Flask) -> Services:
    """Build the services for ``app`` unless it has them (mounting the blueprint twice is harmless)."""
    if EXTENSION in app.extensions:
        return app.extensions[EXTENSION]
    config = app.config
    for key, value in vars(Defaults).items():  # a host app has none of our settings: add the defaults
        if key.isupper():
            config.setdefault(key, value)
    limits = Limits(
        # a host app may leave MAX_CONTENT_LENGTH unset (None); the API keeps its own bound then
        max_bytes=int(config["MAX_CONTENT_LENGTH"] or Defaults.MAX_CONTENT_LENGTH),
        max_pages=int(config["MAX_PAGES"]),
        timeout_s=float(config["PARSE_TIMEOUT"]),
        memory_mb=int(config["PARSE_MEMORY_MB"]),
    )
    slots = CheckSlots(
        concurrent=int(config["MAX_CONCURRENT_CHECKS"]),
        queued=int(config["MAX_QUEUED_CHECKS"]),
        queue_timeout=float(config["QUEUE_TIMEOUT"]),
    )
    store = ReportStore(config.get("DATABASE_URL") or default_database_url(app.instance_path))
    upload_folder = None
    if config.get("KEEP_UPLOADS"):
        upload_folder = Path(config.get("UPLOAD_FOLDER") or Path(app.instance_path) / "uploads")
        private_folder(upload_folder)
    rate_limit = None
    if config["RATELIMIT_ENABLED"] and config["RATE_LIMIT"]:
        rate_limit = CheckRateLimit(str(config["RATE_LIMIT"]), config["RATELIMIT_STORAGE_URI"])
    services = Services(
        store=store, slots=slots, limits=limits, rate_limit=rate_limit, upload_folder=upload_folder,
        max_text_chars=int(config["MAX_TEXT_CHARS"]),
        check_timeout=float(config["CHECK_TIMEOUT"]), check_memory_mb=int(config["CHECK_MEMORY_MB"]),
        max_findings=int(config["MAX_FINDINGS"]),
    )
    app.extensions[EXTENSION] = services
    return services


def services() -> Services:
    return current_app.extensions[EXTENSION]


def bound_request_size() -> None:
    """before_request for the API and the page: the upload limit holds even in a host app
    that sets no MAX_CONTENT_LENGTH (werkzeug answers 413 from Content-Length, unread)."""
    request.max_content_length = services().limits.max_bytes
