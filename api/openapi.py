"""The OpenAPI document, generated from the views by flask-smorest (apispec + marshmallow).

Served at ``/api/v1/openapi.json``, with Swagger UI at ``/api/v1/docs`` (served from the
swagger-ui-bundle package by api.docs, no CDN). The report's shape is the
JSON Schema shipped with the library, added as components so the two never drift apart.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from flask import Flask
from flask_smorest import Api

from api import schemas
from api.blueprint import bp
from api.docs import docs_bp
from api.health import health_bp
from api.services import install

REPORT_COMPONENT = "Report"


class TenderCheckApi(Api):
    ERROR_SCHEMA = schemas.ErrorSchema

    def _register_error_handlers(self):
        # smorest's own error body differs from ours ({"error": {"code", "message"}}); api.errors handles errors
        pass


def report_schema_components() -> dict[str, dict[str, Any]]:
    """The shipped report JSON Schema as OpenAPI 3.1 components: ``Report`` and one per ``$defs`` entry."""
    text = resources.files("checker.report").joinpath("report.schema.json").read_text("utf-8")
    text = text.replace('"#/$defs/', f'"#/components/schemas/{REPORT_COMPONENT}_')
    schema = json.loads(text)
    definitions = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    components = {REPORT_COMPONENT: schema}
    components |= {f"{REPORT_COMPONENT}_{name}": body for name, body in definitions.items()}
    return components


def mount(app: Flask) -> TenderCheckApi:
    """Register the API blueprint, /healthz and the OpenAPI document in ``app``."""
    install(app)  # first, so that a host app also gets the OpenAPI settings from api.config.Defaults
    api = TenderCheckApi(
        app,
        spec_kwargs={
            "info": {
                "description": "Compliance checker for Chinese tender documents (招标文件合规检查): discriminatory "
                "clauses against first-set (首台套) products and the first-set catalogue.",
                "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
            },
        },
    )
    for name, component in report_schema_components().items():
        api.spec.components.schema(name, component=component)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(bp)
    api.register_blueprint(health_bp)
    if "api_docs" not in app.blueprints:
        app.register_blueprint(docs_bp)
    return api
