"""The /api/v1 blueprint mounted in someone else's Flask application."""

from __future__ import annotations

import io

from flask import Flask

from api_helpers import TENDER_TEXT


def host_app(tender_check_home) -> Flask:
    host = Flask("procurement_platform", instance_path=str(tender_check_home))
    host.config.update(TESTING=True, RATELIMIT_ENABLED=False)

    @host.route("/")
    def platform_home():
        return "the platform's own page"

    return host


def test_mount_with_openapi(tender_check_home):
    from api.openapi import mount

    host = host_app(tender_check_home)
    mount(host)
    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "the platform's own page"
    report = client.post("/api/v1/check", json={"text": TENDER_TEXT})
    assert report.status_code == 200 and report.get_json()["id"]
    assert client.get(f"/api/v1/reports/{report.get_json()['id']}").status_code == 200
    assert "/api/v1/check" in client.get("/api/v1/openapi.json").get_json()["paths"]
    # errors raised inside the API's views are JSON in the host too
    bad = client.post("/api/v1/check", data=b"\x00\x01", content_type="application/octet-stream")
    assert bad.status_code == 415 and bad.get_json()["error"]["code"] == "unsupported_media_type"
    host.extensions["tender_check"].store.close()


def test_plain_register_blueprint(tender_check_home):
    from api.blueprint import bp

    host = host_app(tender_check_home)
    host.register_blueprint(bp)
    client = host.test_client()
    assert client.get("/api/v1/rules").status_code == 200
    missing = client.get("/api/v1/rules/NOPE1")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    # the host sets no MAX_CONTENT_LENGTH; the API still refuses a 60 MB upload, in JSON
    huge = client.post("/api/v1/check", data={"file": (io.BytesIO(b"%PDF-" + b"0" * (60 * 2**20)), "big.pdf")},
                       content_type="multipart/form-data")
    assert huge.status_code == 413 and huge.get_json()["error"]["code"] == "too_large"
    host.extensions["tender_check"].store.close()
