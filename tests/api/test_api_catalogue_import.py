"""POST /api/v1/catalogue: token-protected import that records a catalogue version."""

from __future__ import annotations

import io

import pytest

from api_helpers import upload

LIST_NAME = "2024年度浙江省首台（套）装备名单"
CATALOGUE_CSV = f"""{LIST_NAME}
序号,产品名称,企业名称,类别,档次,所在地
1,超高速磁悬浮离心鼓风机样机,杭州某某动力科技有限公司,装备,国内首台（套）,杭州市
2,,缺名称企业,装备,国内首台（套）,杭州市
""".encode("utf-8")
FILE_NAME = "浙江省首台套名单.csv"


def import_catalogue(client, data=CATALOGUE_CSV, name=FILE_NAME, token="test-token", **fields):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/api/v1/catalogue", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data", headers=headers)


def test_import_without_a_token_is_401(client):
    response = import_catalogue(client, token=None)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_import_with_a_wrong_token_is_403(client):
    response = import_catalogue(client, token="guess")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_import_is_refused_when_no_token_is_configured(make_app):
    client = make_app(API_TOKEN=None).test_client()
    assert import_catalogue(client, token="anything").status_code == 403


def test_token_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("TENDER_CHECK_API_TOKEN", "12345")  # parsed as a number by from_prefixed_env
    from api.app import create_app

    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    client = app.test_client()
    assert import_catalogue(client, token="12345").status_code == 201
    assert client.post("/api/v1/catalogue", headers={"X-API-Token": "12345"},
                       data={"file": (io.BytesIO(CATALOGUE_CSV), "again.csv")},
                       content_type="multipart/form-data").status_code == 201
    app.extensions["tender_check"].store.close()


def test_import_records_a_version_and_feeds_search_and_checks(client, tender_check_home):
    response = import_catalogue(client)
    assert response.status_code == 201
    version = response.get_json()
    assert version["id"] == 1
    assert version["source_name"] == FILE_NAME
    assert (version["entries"], version["rejected"]) == (1, 1)
    assert "第 4 行：缺少产品名称" in version["import_report"]
    assert FILE_NAME in version["import_report"] and "/tmp" not in version["import_report"]

    # the accepted entry is in the catalogue, under the list's own name, kept in $TENDER_CHECK_HOME
    saved = list((tender_check_home / "catalogues").glob("*.json"))
    assert [p.name for p in saved] == ["浙江省首台套名单.json"]
    hits = client.get("/api/v1/catalogue/search", query_string={"q": "磁悬浮离心鼓风机"}).get_json()
    assert hits and hits[0]["name"] == "超高速磁悬浮离心鼓风机样机" and hits[0]["catalogue"] == "2024年度浙江省首台(套)装备名单"  # NFKC

    again = import_catalogue(client)
    assert again.get_json()["id"] == 2
    assert client.get("/api/v1/catalogue/versions").status_code == 401  # the list needs the operator's token
    versions = client.get("/api/v1/catalogue/versions", headers={"Authorization": "Bearer test-token"}).get_json()
    assert [v["id"] for v in versions] == [2, 1]
    assert all("/" not in (v["saved_to"] or "") for v in versions)  # no server path


@pytest.mark.parametrize(
    ("data", "name", "status", "code"),
    [
        (b"", "empty.csv", 422, "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "list.csv", 415, "unsupported_type"),
        ("序号,产品名称\n1,\n".encode(), "nothing.csv", 422, "invalid_catalogue"),
        (b"{not json", "broken.json", 422, "invalid_catalogue"),
    ],
)
def test_bad_catalogue_files(client, data, name, status, code):
    response = import_catalogue(client, data=data, name=name)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_import_is_not_a_check_upload(client):
    # the check endpoint takes a catalogue CSV as plain text: checked, with a warning that it is no tender
    response = upload(client, CATALOGUE_CSV, FILE_NAME)
    assert response.status_code == 200
    assert "not_tender" in [w["code"] for w in response.get_json()["document"]["extraction_warnings"]]
    assert client.get("/api/v1/catalogue/versions").status_code == 401  # nothing was imported, and no list without the token
