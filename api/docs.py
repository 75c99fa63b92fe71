"""Swagger UI at ``/api/v1/docs``, served from the swagger-ui-bundle package: it works offline,
loads nothing from a CDN, and runs under a Content-Security-Policy that allows scripts from this
server only (the page has no inline script; its start-up script is a file served here too)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, send_from_directory, url_for

docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")

DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png", "favicon-16x16.png"}

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} — API 文档</title>
<link rel="stylesheet" href="{static}swagger-ui.css">
<link rel="icon" type="image/png" href="{static}favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-spec-url="{spec}"></div>
<script src="{static}swagger-ui-bundle.js"></script>
<script src="{static}swagger-ui-standalone-preset.js"></script>
<script src="{init}"></script>
</body>
</html>
"""

_INIT = """window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
});
"""


def swagger_ui_folder() -> Path | None:
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return Path(swagger_ui_path)


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DOCS_CSP
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


@docs_bp.route("", methods=["GET"])
def page():
    if swagger_ui_folder() is None:
        abort(404)
    html = _PAGE.format(
        title=current_app.config.get("API_TITLE", "tender-check"),
        static=url_for("api_docs.static_file", filename=""),
        spec=url_for("api-docs.openapi_json"),
        init=url_for("api_docs.init_script"),
    )
    return _headers(Response(html, mimetype="text/html"))


@docs_bp.route("/init.js", methods=["GET"])
def init_script():
    return _headers(Response(_INIT, mimetype="text/javascript"))


@docs_bp.route("/static/<path:filename>", methods=["GET"])
def static_file(filename: str):
    folder = swagger_ui_folder()
    if folder is None or filename not in _FILES:
        abort(404)
    response = send_from_directory(folder, filename, max_age=86400)
    return _headers(response)
