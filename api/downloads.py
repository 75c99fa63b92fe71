"""A stored report as a download: JSON, HTML or SARIF, with a file name that keeps the
document's Chinese name (RFC 6266 / RFC 5987 ``filename*``) and an ASCII fallback."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from flask import Response
from werkzeug.utils import secure_filename

from checker.report.render import to_html, to_json, to_sarif


def _xlsx(report: dict[str, Any]) -> bytes:
    from checker.report.xlsx import to_xlsx

    return to_xlsx(report)


FORMATS = {
    # format: (renderer, media type, file suffix)
    "json": (to_json, "application/json", ".report.json"),
    "html": (lambda report: to_html(report), "text/html", ".report.html"),
    "sarif": (to_sarif, "application/sarif+json", ".sarif"),
    "xlsx": (_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "_整改清单.xlsx"),  # the 整改清单
}

# The HTML download is a standalone page of document text: no script may run in it.
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def content_disposition(stem: str, suffix: str) -> str:
    """``filename`` for old clients (ASCII; secure_filename drops Chinese), ``filename*`` with the real name."""
    ascii_stem = secure_filename(stem) or "report"
    return f"attachment; filename=\"{ascii_stem}{suffix}\"; filename*=UTF-8''{quote(stem + suffix, safe='')}"


def download_stem(report: dict[str, Any]) -> str:
    return PurePosixPath(report["document"].get("name") or "report").stem or "report"


def report_download(report: dict[str, Any], fmt: str) -> Response:
    render, media_type, _ = FORMATS[fmt]
    response = Response(render(report), mimetype=media_type)  # text/html gains charset=utf-8
    response.headers["Content-Disposition"] = content_disposition(download_stem(report), FORMATS[fmt][2])
    if fmt == "html":
        response.headers["Content-Security-Policy"] = HTML_CSP
    return response
