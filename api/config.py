"""Configuration: built-in defaults, then ``config.py`` in the instance folder, then
``TENDER_CHECK_*`` environment variables, then the test configuration (flaskr order)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

MiB = 2**20


class Defaults:
    # Where reports live; None means the SQLite file in the instance folder (see api.storage).
    DATABASE_URL: str | None = None

    # Uploads: Flask answers 413 from the Content-Length header, before reading the body.
    MAX_CONTENT_LENGTH = 50 * MiB
    KEEP_UPLOADS = False  # keep checked files (under a generated id) in UPLOAD_FOLDER
    UPLOAD_FOLDER: str | None = None  # None: <instance>/uploads

    # Each check — parsing and analysis, of a file or of pasted text — runs in a child process
    # (checker.isolation) within these bounds, and is killed when its client disconnects.
    PARSE_TIMEOUT = 60.0  # seconds of wall clock for parsing one document
    PARSE_MEMORY_MB = 2048  # while parsing, beyond the address space the child inherits
    CHECK_TIMEOUT = 180.0  # seconds of wall clock for the whole check, parsing included
    CHECK_MEMORY_MB = 3072  # for the whole check, beyond the address space the child inherits
    MAX_FINDINGS = 1000  # a report lists at most this many findings (the most severe), with a note
    MAX_PAGES = 1500
    # Pasted text: 3 million characters is several times the longest real tender.
    MAX_TEXT_CHARS = 3_000_000

    # Admission control: checks running at once, checks allowed to wait, and how long they wait.
    # Parsing is in child processes but the rest of a check holds the GIL, so about one running
    # check per core keeps latency lowest; waiting requests are answered 503 + Retry-After.
    MAX_CONCURRENT_CHECKS = max(os.cpu_count() or 2, 1)
    MAX_QUEUED_CHECKS = 64  # 40 simultaneous checks must all be served (the load target); beyond this, 503
    QUEUE_TIMEOUT = 60.0

    # Rate limit on the check endpoints, per client address ("60/minute;1000/day" also works).
    # Counters are in memory per process; a limits storage URI (redis://…) shares them.
    RATE_LIMIT = "60/minute"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"

    # Times on the web page (the reports list, the report's footer) are shown in this zone.
    DISPLAY_TIMEZONE = "Asia/Shanghai"

    # Behind a reverse proxy (nginx…), how many proxies set X-Forwarded-For/-Proto/-Host: the rate
    # limit is per client address, which without this would be the proxy's. 0: no proxy.
    TRUSTED_PROXIES = 0

    # The operator's token (Authorization: Bearer … or X-API-Token): catalogue import, the catalogue
    # versions, the report list (GET /api/v1/reports, and "最近的检查" on / when sent). None disables them.
    API_TOKEN: str | None = None

    # OpenAPI (flask-smorest): document at /api/v1/openapi.json. Swagger UI at /api/v1/docs is
    # served by api.docs from the swagger-ui-bundle package (no CDN), not by flask-smorest.
    API_TITLE = "tender-check"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = None


def load_config(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    # TENDER_CHECK_API_TOKEN=… → API_TOKEN; values are parsed as JSON when they can be (numbers, true)
    app.config.from_prefixed_env("TENDER_CHECK")
    if test_config:
        app.config.from_mapping(test_config)
