"""What an operator checks before exposing the service: hostile JSON, who sees which report,
what is on disk, the API docs offline, and work whose client has gone."""

from __future__ import annotations

import stat
import time

import pytest

from api_helpers import TENDER_TEXT, hang_pdf_parser
from test_api_hardening import TENDER_PDF, error_of

TOKEN = {"Authorization": "Bearer test-token"}
DEEP_JSON = "[" * 2000 + "]" * 2000
DEEP_OBJECT = '{"text": ' + '{"a": ' * 2000 + "1" + "}" * 2000 + "}"


@pytest.mark.parametrize("body", [DEEP_JSON, DEEP_OBJECT, '{"text": "未闭合', "[1, 2,]"])
@pytest.mark.parametrize("path", ["/api/v1/check", "/api/v1/catalogue", "/api/v1/reports", "/api/v1/rules"])
def test_json_nested_2000_deep_or_malformed_is_a_400_json_error_on_every_endpoint(client, path, body):
    response = client.post(path, data=body, content_type="application/json", headers=TOKEN)
    assert response.status_code in (400, 405), response.get_data(as_text=True)[:200]
    assert response.is_json
    if response.status_code == 400:
        assert error_of(response) == "bad_request"


def test_the_start_page_lists_no_reports_without_the_operator_token(client):
    client.post("/api/v1/check", json={"text": TENDER_TEXT, "name": "某局的招标文件.txt"})
    anyone = client.get("/").get_data(as_text=True)
    assert "某局的招标文件" not in anyone and "最近的检查" not in anyone
    operator = client.get("/", headers=TOKEN).get_data(as_text=True)
    assert "某局的招标文件" in operator


def test_a_report_is_visible_to_whoever_holds_its_id_and_the_list_needs_the_token(client):
    report_id = client.post("/api/v1/check", json={"text": TENDER_TEXT}).get_json()["id"]
    assert client.get(f"/api/v1/reports/{report_id}").status_code == 200
    assert client.get(f"/reports/{report_id}").status_code == 200
    assert client.get("/api/v1/reports").status_code == 401
    assert client.get("/api/v1/reports", headers={"Authorization": "Bearer wrong"}).status_code == 403
    listed = client.get("/api/v1/reports", headers=TOKEN).get_json()
    assert [r["id"] for r in listed] == [report_id]


def test_catalogue_versions_need_the_token(client):
    response = client.get("/api/v1/catalogue/versions")
    assert response.status_code == 401 and error_of(response) == "unauthorized"
    assert client.get("/api/v1/catalogue/versions", headers=TOKEN).status_code == 200


def test_database_and_kept_uploads_are_this_users_only(make_app, tender_check_home):
    client = make_app(KEEP_UPLOADS=True).test_client()
    assert client.post("/api/v1/check", json={"text": TENDER_TEXT}).status_code == 200
    from api_helpers import upload

    assert upload(client, TENDER_PDF, "a.pdf").status_code == 200
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    assert mode(tender_check_home) == 0o700
    assert mode(tender_check_home / "uploads") == 0o700
    assert mode(tender_check_home / "tender-check.sqlite3") == 0o600
    uploads = list((tender_check_home / "uploads").iterdir())
    assert uploads and all(mode(p) == 0o600 for p in uploads)


def test_imported_catalogues_are_this_users_only(client, tender_check_home):
    from test_api_catalogue_import import import_catalogue

    assert import_catalogue(client).status_code == 201
    folder = tender_check_home / "catalogues"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def test_swagger_ui_is_served_from_the_package_with_a_csp(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "swagger-ui" in html and "cdn" not in html.lower() and "https://" not in html
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for asset in ("/api/v1/docs/static/swagger-ui-bundle.js", "/api/v1/docs/static/swagger-ui.css", "/api/v1/docs/init.js"):
        response = client.get(asset)
        assert response.status_code == 200 and len(response.data) > 100
    assert client.get("/api/v1/docs/static/../../config.py").status_code == 404


CLIENT_THAT_HANGS_UP = """
import socket, sys, time
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = open(path, "rb").read()
head = ("POST /api/v1/check HTTP/1.1\\r\\nHost: x\\r\\n"
        "Content-Type: multipart/form-data; boundary=b0undary\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body)).encode()
connection = socket.create_connection((host, port))
connection.sendall(head + body)
time.sleep(600)
"""


def test_a_check_whose_client_hangs_up_is_stopped(make_app, monkeypatch, tmp_path):
    import subprocess
    import sys

    from api.serve import BackgroundServer

    hang_pdf_parser(monkeypatch)  # the parse never ends: only the hang-up can stop it early
    app = make_app(PARSE_TIMEOUT=60.0, CHECK_TIMEOUT=60.0)
    slots = app.extensions["tender_check"].slots
    body = tmp_path / "body"
    body.write_bytes(b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
                     b"Content-Type: application/pdf\r\n\r\n" + TENDER_PDF + b"\r\n--b0undary--\r\n")
    with BackgroundServer(app) as server:
        host, port = server.url.removeprefix("http://").split(":")
        # the client is another process, as a browser would be (a forked test child would hold its socket open)
        client = subprocess.Popen([sys.executable, "-c", CLIENT_THAT_HANGS_UP, host, port, str(body)])
        try:
            deadline = time.monotonic() + 30
            while slots.status()["running"] < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert slots.status()["running"] == 1
        finally:
            client.kill()  # the client gives up
            client.wait()
        while slots.status()["running"] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert slots.status()["running"] == 0, "the check went on after its client had gone"
