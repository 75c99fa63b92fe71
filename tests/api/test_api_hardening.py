"""Hostile input: each case with a real file of its kind. Nothing a client sends gives a 500 or a hang."""

from __future__ import annotations

import threading
import time

import pytest

from api_helpers import (
    CORPUS_TENDERS,
    TENDER_TEXT,
    XSS_PAYLOAD,
    doctype_docx,
    hang_pdf_parser,
    patch_parser,
    upload,
    zip_bomb_docx,
)

ESCAPED_PAYLOAD = "&lt;script&gt;alert(1)&lt;/script&gt;"
TENDER_PDF = (CORPUS_TENDERS / "sc-gp-services-clean.pdf").read_bytes()


def error_of(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    return body["error"]["code"]


# ------------------------------------------------------------------ size and type


def test_60_mb_upload_is_refused_with_413_before_it_is_read(client):
    started = time.monotonic()
    response = upload(client, b"%PDF-1.7\n" + b"0" * (60 * 2**20), "huge.pdf")
    assert response.status_code == 413
    assert error_of(response) == "too_large"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (bytes(range(256)) * 64, "random.pdf"),  # binary noise with a document's name
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048, "scan.docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048, "old-word.doc"),
        (b"PK\x03\x04", "not-really.docx"),  # replaced below by a real zip without word/document.xml
    ],
    ids=["random-bytes", "png", "ole-doc", "plain-zip"],
)
def test_unsupported_types_are_sniffed_from_the_bytes_415(client, data, name):
    if name == "not-really.docx":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        data = buffer.getvalue()
    response = upload(client, data, name)
    assert response.status_code == 415
    assert error_of(response) == "unsupported_type"


def test_truly_random_bytes_415(client):
    import random

    noise = random.Random(6).randbytes(200_000)
    assert upload(client, noise, "招标文件.pdf").status_code == 415


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (TENDER_PDF[: len(TENDER_PDF) // 3], "corrupt"),  # a truncated real PDF
        (b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF", "corrupt"),
    ],
    ids=["empty", "whitespace", "truncated-pdf", "pdf-without-pages"],
)
def test_unreadable_or_empty_documents_are_422(client, data, code):
    response = upload(client, data, "文件.pdf")
    assert response.status_code == 422
    assert error_of(response) in {code, "empty", "corrupt", "unreadable"}


def test_zip_bomb_docx_is_refused_without_inflating_it(client):
    bomb = zip_bomb_docx(expanded_mb=40)
    assert len(bomb) < 200_000
    started = time.monotonic()
    response = upload(client, bomb, "bomb.docx")
    assert response.status_code == 422
    assert error_of(response) == "zip_bomb"
    assert time.monotonic() - started < 10


def test_docx_with_a_doctype_is_refused(client):
    response = upload(client, doctype_docx(), "xxe.docx")
    assert response.status_code == 422
    assert error_of(response) == "doctype"


def test_a_pasted_clause_is_checked_with_a_warning_not_refused(client):
    response = client.post("/api/v1/check", json={"text": "投标人须具有近三年同类项目业绩不少于3个。"})
    assert response.status_code == 200
    report = response.get_json()
    assert "not_tender" in [w["code"] for w in report["document"]["extraction_warnings"]]
    assert report["findings"], "the clause itself is checked"


def test_the_web_form_checks_a_pasted_clause(client):
    response = client.post("/", data={"text": "投标人须具有近三年同类项目业绩不少于3个。"}, content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不像完整的招标" in page or "可能不是完整的招标" in page


# --------------------------------------------------------- parsing in a child process


def test_a_pdf_that_hangs_the_parser_is_stopped_and_the_server_stays_responsive(make_app, monkeypatch):
    hang_pdf_parser(monkeypatch)
    client = make_app(PARSE_TIMEOUT=2.0).test_client()
    result = {}

    def post():
        started = time.monotonic()
        result["response"] = upload(client, TENDER_PDF, "hangs.pdf")
        result["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=post)
    worker.start()
    time.sleep(0.3)
    for path in ("/healthz", "/api/v1/rules"):  # other requests are served meanwhile
        started = time.monotonic()
        assert client.get(path).status_code == 200
        assert time.monotonic() - started < 1.5
    worker.join(15)
    assert not worker.is_alive()
    assert result["response"].status_code == 422
    assert error_of(result["response"]) == "timeout"
    assert result["seconds"] < 6


def test_a_parse_that_blows_up_memory_is_stopped_by_the_memory_cap(make_app, monkeypatch):
    def gobble(data, limits):
        hoard = []
        while True:
            hoard.append(bytearray(256 * 2**20))

    patch_parser(monkeypatch, gobble)
    client = make_app(PARSE_MEMORY_MB=512, PARSE_TIMEOUT=20.0).test_client()
    response = upload(client, TENDER_PDF, "memory-bomb.pdf")
    assert response.status_code == 413
    assert error_of(response) == "too_large"


def test_a_parser_crash_is_a_422(make_app, monkeypatch):
    import os

    patch_parser(monkeypatch, lambda data, limits: os._exit(139))
    response = upload(make_app().test_client(), TENDER_PDF, "segfault.pdf")
    assert response.status_code == 422
    assert error_of(response) == "corrupt"


def test_page_cap(make_app):
    response = upload(make_app(MAX_PAGES=5).test_client(), TENDER_PDF, "24-pages.pdf")
    assert response.status_code == 413
    assert "页数上限" in response.get_json()["error"]["message"]


def test_a_library_bug_on_a_document_is_a_422_not_a_500(client, monkeypatch):
    import checker.isolation
    import checker.pipeline

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")  # the child must see the patch
    def broken(raw, options):
        raise ValueError("boom")

    monkeypatch.setattr(checker.pipeline, "check_raw", broken)
    response = client.post("/api/v1/check", json={"text": TENDER_TEXT})
    assert response.status_code == 422
    assert error_of(response) == "check_failed"


# ---------------------------------------------------------- admission and rate limit


def test_503_with_retry_after_when_all_slots_and_the_queue_are_taken(make_app, monkeypatch):
    hang_pdf_parser(monkeypatch)
    app = make_app(MAX_CONCURRENT_CHECKS=1, MAX_QUEUED_CHECKS=1, PARSE_TIMEOUT=2.0)
    client = app.test_client()
    slots = app.extensions["tender_check"].slots
    responses = []
    workers = [threading.Thread(target=lambda: responses.append(upload(client, TENDER_PDF, "slow.pdf"))) for _ in range(2)]
    workers[0].start()
    deadline = time.monotonic() + 5
    while slots.status()["running"] < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers[1].start()
    while slots.status()["waiting"] < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert slots.status() == {"running": 1, "waiting": 1, "slots": 1, "queue": 1}

    started = time.monotonic()
    refused = client.post("/api/v1/check", json={"text": TENDER_TEXT})
    assert time.monotonic() - started < 1  # refused at once, not queued
    assert refused.status_code == 503
    assert error_of(refused) == "busy"
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.get("/healthz").get_json()["checks"]["slots"]["waiting"] == 1

    for worker in workers:
        worker.join(15)
    assert sorted(r.status_code for r in responses) == [422, 422]  # both timed out in turn, neither refused
    assert client.post("/api/v1/check", json={"text": TENDER_TEXT}).status_code == 200  # free again


def test_rate_limit_429_on_the_check_endpoint(make_app):
    client = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT="2/minute").test_client()
    for _ in range(2):
        assert client.post("/api/v1/check", json={"text": "天气"}).status_code == 200
    limited = client.post("/api/v1/check", json={"text": TENDER_TEXT})
    assert limited.status_code == 429
    assert error_of(limited) == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 61
    assert client.get("/api/v1/rules").status_code == 200  # reads are not limited
    page = client.post("/", data={"text": TENDER_TEXT}, content_type="multipart/form-data")
    assert page.status_code == 429  # the web form shares the limit


# --------------------------------------------------------------------- escaping


def test_document_text_is_escaped_in_the_page_and_the_html_download(client):
    posted = client.post("/", data={"text": TENDER_TEXT, "jurisdiction": "auto"}, content_type="multipart/form-data")
    assert posted.status_code == 303
    page = client.get(posted.headers["Location"])
    html = page.get_data(as_text=True)
    assert ESCAPED_PAYLOAD in html
    assert XSS_PAYLOAD not in html
    assert "script-src 'none'" in page.headers["Content-Security-Policy"]

    report_id = posted.headers["Location"].rsplit("/", 1)[-1]
    download = client.get(f"/api/v1/reports/{report_id}.html").get_data(as_text=True)
    assert ESCAPED_PAYLOAD in download
    assert XSS_PAYLOAD not in download


def test_a_hostile_file_name_is_escaped_and_never_a_path(make_app, tender_check_home):
    client = make_app(KEEP_UPLOADS=True).test_client()
    name = '<img src=x onerror=alert(1)>/../../招标.txt'
    response = upload(client, TENDER_TEXT.encode("utf-8"), name)
    report = response.get_json()
    assert report["document"]["name"] == "招标.txt"  # directory parts dropped
    evil = '<img src=x onerror=alert(1)>招标.txt'
    report_id = upload(client, TENDER_TEXT.encode("utf-8"), evil).get_json()["id"]
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;招标.txt" in page and "<img src=x" not in page
    assert sorted(p.suffix for p in (tender_check_home / "uploads").iterdir()) == [".txt", ".txt"]


# ----------------------------------------------------------- JSON errors everywhere


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/v1/no-such-thing", {}, 404, "not_found"),
        ("delete", "/api/v1/rules", {}, 405, "method_not_allowed"),
        ("get", "/api/v1/check", {}, 405, "method_not_allowed"),
        ("post", "/api/v1/check", {"data": "{not json", "content_type": "application/json"}, 400, "bad_request"),
        ("post", "/api/v1/check", {"json": ["a", "list"]}, 400, "bad_request"),
        ("post", "/api/v1/check", {"json": {"text": 42}}, 400, "bad_request"),
        ("post", "/api/v1/check", {"json": {"text": TENDER_TEXT, "jurisdiction": ["x"]}}, 400, "bad_request"),
        ("post", "/api/v1/check", {"json": {"text": "   "}}, 422, "empty"),
        ("post", "/api/v1/check", {"data": '{"text": "\\ud800 招标"}', "content_type": "application/json"}, 400, "bad_request"),
        ("post", "/api/v1/check", {"json": {"text": "\u0006\u0088\u0001招标\u0002" * 50}}, 422, "unreadable_text"),
        ("post", "/api/v1/check", {"data": b"raw", "content_type": "application/pdf"}, 415, "unsupported_media_type"),
        ("post", "/api/v1/check", {"data": {}, "content_type": "multipart/form-data"}, 400, "bad_request"),
        ("post", "/api/v1/check", {"data": b"--x\r\nbroken", "content_type": "multipart/form-data; boundary=x"}, 400, "bad_request"),
        ("post", "/api/v1/check", {"data": b"--x\r\n", "content_type": "multipart/form-data"}, 400, "bad_request"),
    ],
)
def test_errors_on_api_paths_are_json(client, method, path, kwargs, status, code):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert error_of(response) == code


def test_an_internal_bug_is_a_json_500_on_api_paths(client, monkeypatch):
    import api.blueprint

    def broken():
        raise RuntimeError("bug")

    monkeypatch.setattr(api.blueprint, "_rules", broken)
    response = client.get("/api/v1/rules")
    assert response.status_code == 500
    assert error_of(response) == "internal"
    assert "bug" not in response.get_json()["error"]["message"]  # no internals leak out


def test_errors_outside_the_api_are_html_pages(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "找不到" in response.get_data(as_text=True)


def test_pasted_text_is_bounded(make_app):
    client = make_app(MAX_TEXT_CHARS=1000).test_client()
    response = client.post("/api/v1/check", json={"text": TENDER_TEXT * 20})
    assert response.status_code == 413
    assert error_of(response) == "too_large"


def test_rate_limit_is_per_client_behind_a_trusted_proxy(make_app):
    client = make_app(RATELIMIT_ENABLED=True, RATE_LIMIT="1/minute", TRUSTED_PROXIES=1).test_client()

    def from_client(address):
        return client.post("/api/v1/check", json={"text": "天气"}, headers={"X-Forwarded-For": address}).status_code

    assert from_client("203.0.113.7") == 200
    assert from_client("203.0.113.7") == 429
    assert from_client("198.51.100.2") == 200  # another client behind the same proxy
