"""``GET /healthz``: is the server up, can it reach its database, how busy are the check slots."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint
from sqlalchemy import text

from api import schemas
from api.errors import register_blueprint_error_handlers
from api.services import install, services
from checker import __version__

health_bp = Blueprint("health", __name__, description="Liveness and readiness")
health_bp.record_once(lambda state: install(state.app))
register_blueprint_error_handlers(health_bp)


@health_bp.route("/healthz", methods=["GET"])
@health_bp.response(200, schemas.Health, description="up; `checks` tells the database state and slot use")
@health_bp.alt_response(503, schema=schemas.Health, description="the database cannot be reached")
def healthz():
    svc = services()
    try:
        with svc.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # any driver error means "not ready"; say which
        database = f"error: {type(exc).__name__}"
    body = {"status": "ok" if database == "ok" else "degraded", "version": __version__,
            "checks": {"database": database, "slots": svc.slots.status()}}
    return jsonify(body), 200 if database == "ok" else 503
