"""The application factory (flaskr style): configuration, services, API blueprint with its
OpenAPI document, the web page, and JSON errors on API paths."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api.commands import register_commands
from api.config import load_config
from api.errors import register_app_error_handlers
from api.openapi import mount
from api.services import install
from api.storage import default_home, private_folder
from api.web import html_error_handler, web_bp


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    # The instance folder is $TENDER_CHECK_HOME, shared with the CLI: reports database,
    # imported catalogues, config.py and (if kept) uploads all live there.
    home = private_folder(default_home())  # 0700: reports and uploads are other people's documents
    app = Flask(__name__, instance_path=str(home.resolve()), instance_relative_config=True)
    load_config(app, test_config)
    app.json.ensure_ascii = False  # Chinese stays readable in every JSON answer
    app.json.sort_keys = False  # keep the report's own key order

    install(app)
    mount(app)
    app.register_blueprint(web_bp)
    register_app_error_handlers(app, html_error_handler)
    register_commands(app)

    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.after_request
    def _no_sniffing(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app
