"""Each endpoint of /api/v1 as a client uses it."""

from __future__ import annotations

import json
from importlib import resources
from urllib.parse import quote

import jsonschema

from api_helpers import TENDER_TEXT, upload

REPORT_SCHEMA = json.loads(resources.files("checker.report").joinpath("report.schema.json").read_text("utf-8"))
CHINESE_NAME = "浙江省拉床采购招标文件.docx"


def test_check_a_real_docx_returns_a_schema_valid_report_with_an_id(client, tender_docx):
    response = upload(client, tender_docx, CHINESE_NAME, jurisdiction="zhejiang")
    assert response.status_code == 200
    report = response.get_json()
    jsonschema.validate(report, REPORT_SCHEMA)
    assert len(report["id"]) == 32
    assert report["document"]["name"] == CHINESE_NAME  # the original Chinese name, for display
    assert report["document"]["jurisdiction"] == "zhejiang"
    assert {f["rule_id"] for f in report["findings"]} >= {"FS201", "FS202"}
    assert "浙江" in response.get_data(as_text=True)  # not \\u-escaped


def test_check_json_text_with_jurisdiction_and_regime(client):
    response = client.post("/api/v1/check", json={"text": TENDER_TEXT, "jurisdiction": "national", "regime": "tendering"})
    assert response.status_code == 200
    report = response.get_json()
    assert report["document"]["name"] == "pasted-text.txt"
    assert report["document"]["jurisdiction"] == "national"
    assert report["document"]["regime"] == "tendering"
    assert report["summary"]["by_severity"]["violation"] >= 1


def test_check_multipart_text_field(client):
    response = client.post("/api/v1/check", data={"text": TENDER_TEXT}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert response.get_json()["id"]


def test_unknown_jurisdiction_is_a_400(client):
    response = client.post("/api/v1/check", json={"text": TENDER_TEXT, "jurisdiction": "atlantis"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "config"


def test_stored_report_as_json_and_downloads(client, tender_docx):
    report_id = upload(client, tender_docx, CHINESE_NAME).get_json()["id"]

    stored = client.get(f"/api/v1/reports/{report_id}")
    assert stored.status_code == 200
    assert stored.get_json()["id"] == report_id
    assert stored.get_json()["document"]["name"] == CHINESE_NAME

    expected_star = "filename*=UTF-8''" + quote("浙江省拉床采购招标文件.report.html", safe="")
    for path in (f"/api/v1/reports/{report_id}.html", f"/api/v1/reports/{report_id}?format=html"):
        download = client.get(path)
        assert download.status_code == 200
        assert download.mimetype == "text/html"
        assert expected_star in download.headers["Content-Disposition"]
        assert download.headers["Content-Disposition"].startswith('attachment; filename="report.report.html"')
        assert "<mark>" in download.get_data(as_text=True)

    sarif = client.get(f"/api/v1/reports/{report_id}.sarif")
    assert sarif.status_code == 200
    assert json.loads(sarif.get_data(as_text=True))["version"] == "2.1.0"
    assert quote("浙江省拉床采购招标文件.sarif", safe="") in sarif.headers["Content-Disposition"]

    as_json = client.get(f"/api/v1/reports/{report_id}?format=json")
    assert as_json.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(as_json.get_data(as_text=True))["id"] == report_id


def test_unknown_report_and_bad_format(client):
    assert client.get("/api/v1/reports/" + "0" * 32).status_code == 404
    assert client.get("/api/v1/reports/../../etc/passwd").status_code == 404
    missing = client.get("/api/v1/reports/not-an-id")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/reports/" + "0" * 32 + "?format=exe")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_request"


def test_rules_list_and_detail(client):
    rules = client.get("/api/v1/rules")
    assert rules.status_code == 200
    listed = rules.get_json()
    assert {"FS101", "FS201"} <= {r["id"] for r in listed}
    assert set(listed[0]) == {"id", "name", "title", "category", "severity", "regimes", "jurisdictions", "sections"}

    detail = client.get("/api/v1/rules/fs101")  # ids are case-insensitive
    assert detail.status_code == 200
    body = detail.get_json()
    assert body["id"] == "FS101" and body["legal_basis"] and body["examples"]["flag"]

    missing = client.get("/api/v1/rules/XX999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_catalogue_search(client):
    hits = client.get("/api/v1/catalogue/search", query_string={"q": "数控立式内拉床", "limit": 3})
    assert hits.status_code == 200
    found = hits.get_json()
    assert 1 <= len(found) <= 3
    assert "拉床" in found[0]["name"] and found[0]["score"] > 60

    assert client.get("/api/v1/catalogue/search").status_code == 400
    assert client.get("/api/v1/catalogue/search?q=x&limit=0").status_code == 400
    assert client.get("/api/v1/catalogue/search?q=zzzzqqqq").get_json() == []


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"
    assert body["checks"]["slots"] == {"running": 0, "waiting": 0, "slots": 2, "queue": 4}


def test_openapi_document_is_generated_from_the_views(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/check", "/api/v1/reports/{report_id}", "/api/v1/rules", "/api/v1/rules/{rule_id}",
            "/api/v1/catalogue/search", "/api/v1/catalogue", "/healthz"} <= set(spec["paths"])
    check = spec["paths"]["/api/v1/check"]["post"]
    assert {"multipart/form-data", "application/json"} <= set(check["requestBody"]["content"])
    assert {"200", "413", "415", "422", "503"} <= set(check["responses"])
    schemas = spec["components"]["schemas"]
    assert "Report" in schemas and "Report_finding" in schemas
    assert schemas["Error"]["properties"]["error"]  # the error body every 4xx uses
    # every $ref in the document resolves
    text = json.dumps(spec)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        node = spec
        for key in ref.removeprefix("#/").split("/"):
            node = node[key]


def test_interactive_docs_page(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.get_data(as_text=True)


def test_init_db_command(runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "数据库已就绪：sqlite:///" in result.output
