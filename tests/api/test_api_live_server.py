"""The app under waitress on a loopback port, spoken to over real sockets."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from urllib.parse import urlsplit

from api_helpers import CORPUS_TENDERS


def multipart(field_name: str, file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode("utf-8")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def fetch(server, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": content_type} if content_type else {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_60_mb_upload_gets_413_fast_over_http(live_server):
    body, content_type = multipart("file", "大文件.pdf", b"%PDF-1.7\n" + b"\0" * (60 * 2**20))
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    started = time.monotonic()
    connection.request("POST", "/api/v1/check", body=body, headers={"Content-Type": content_type})
    response = connection.getresponse()
    elapsed = time.monotonic() - started
    assert response.status == 413
    assert json.loads(response.read())["error"]["code"] == "too_large"
    assert elapsed < 5
    connection.close()


def test_far_larger_bodies_are_cut_off_by_the_server_itself(live_server):
    # announced far above the limit: refused from the header, the body is never sent
    address = urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.putrequest("POST", "/api/v1/check")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(10 * 2**30))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


def test_upload_with_a_raw_utf8_file_name_like_a_browser(live_server):
    body, content_type = multipart("file", "天津市施工招标文件.docx", (CORPUS_TENDERS / "tj-works-construction.docx").read_bytes())
    status, _, payload = fetch(live_server, "POST", "/api/v1/check", body, content_type)
    assert status == 200
    report = json.loads(payload)
    assert report["document"]["name"] == "天津市施工招标文件.docx"
    status, headers, _ = fetch(live_server, "GET", f"/api/v1/reports/{report['id']}.html")
    assert status == 200
    assert "filename*=UTF-8''%E5%A4%A9%E6%B4%A5" in headers["Content-Disposition"]
    assert json.loads(fetch(live_server, "GET", "/healthz")[2])["status"] == "ok"


def test_tender_check_serve_runs_waitress_on_the_shared_home(tmp_path):
    """`tender-check serve` as a user starts it: warm-up, then a server that shares $TENDER_CHECK_HOME."""
    import os
    import socket
    import subprocess
    import sys
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tmp_path / "home"
    environment = {**os.environ, "TENDER_CHECK_HOME": str(home), "TENDER_CHECK_MAX_QUEUED_CHECKS": "20"}
    environment.pop("TENDER_CHECK_DATABASE_URL", None)
    repo = Path(__file__).resolve().parents[2]
    server = subprocess.Popen(
        [sys.executable, "-m", "checker.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", "4"],
        cwd=repo, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                health = json.loads(connection.getresponse().read())
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.3)
        assert health["status"] == "ok" and health["checks"]["slots"]["queue"] == 20
        assert (home / "tender-check.sqlite3").is_file()
    finally:
        server.terminate()
        server.wait(10)
    log = server.stderr.read()
    assert "tender-check 已在 http://127.0.0.1:" in log and "提供服务" in log
    assert "26 个线程" in log  # 2 or more slots + 20 waiting + 4 spare, whatever --threads says
