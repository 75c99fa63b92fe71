"""Reports and catalogue versions survive a restart; the store works without Flask; uploads are
kept only when configured, and never under the client's name."""

from __future__ import annotations

import sqlite3

from api.storage import DATABASE_FILE, ReportStore, default_database_url
from api_helpers import TENDER_TEXT, upload


def test_reports_survive_a_restart(make_app, tender_docx, tender_check_home):
    first = make_app().test_client()
    report_id = upload(first, tender_docx, "招标文件（第一版）.docx").get_json()["id"]

    second = make_app().test_client()  # a new app on the same instance folder, as after a restart
    stored = second.get(f"/api/v1/reports/{report_id}")
    assert stored.status_code == 200
    assert stored.get_json()["document"]["name"] == "招标文件（第一版）.docx"
    assert (tender_check_home / DATABASE_FILE).is_file()


def test_database_is_sqlite_in_wal_mode_with_a_row_per_report(client, tender_check_home):
    report = client.post("/api/v1/check", json={"text": TENDER_TEXT, "name": "某市采购.txt"}).get_json()
    with sqlite3.connect(tender_check_home / DATABASE_FILE) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        row = connection.execute(
            "SELECT document_name, sha256, jurisdiction, regime, violations, risks, advice, created_at FROM reports WHERE id = ?",
            (report["id"],),
        ).fetchone()
    assert row[0] == "某市采购.txt"
    assert row[1] == report["document"]["sha256"]
    assert row[2:4] == (report["document"]["jurisdiction"], report["document"]["regime"])
    assert row[4:7] == tuple(report["summary"]["by_severity"][s] for s in ("violation", "risk", "advice"))
    assert row[7]


def test_store_without_flask_shares_the_default_database(tender_check_home):
    assert default_database_url() == f"sqlite:///{(tender_check_home / DATABASE_FILE).resolve()}"
    store = ReportStore()  # what `tender-check check --save` uses
    report = {"document": {"name": "文件.pdf", "sha256": "0" * 64, "jurisdiction": "national", "regime": "tendering"},
              "summary": {"by_severity": {"violation": 1, "risk": 0, "advice": 2}}, "findings": []}
    report_id = store.save_report(report)
    assert report["id"] == report_id
    again = ReportStore().get_report(report_id)
    assert again["document"]["name"] == "文件.pdf" and again["id"] == report_id and again["created_at"]
    assert store.get_report("missing") is None
    assert store.recent_reports(5)[0]["by_severity"] == {"violation": 1, "risk": 0, "advice": 2}
    version = store.save_catalogue_version(source_name="名单.xlsx", sha256="1" * 64, entries=3, rejected=0, import_report="ok")
    assert store.catalogue_versions()[0]["id"] == version["id"]
    store.close()


def test_database_url_from_the_environment(tmp_path, monkeypatch, make_app):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("TENDER_CHECK_DATABASE_URL", url)
    assert default_database_url() == url
    app = make_app()
    assert str(app.extensions["tender_check"].store.engine.url) == url


def test_instance_config_file_is_read(tender_check_home, make_app):
    tender_check_home.mkdir(parents=True, exist_ok=True)
    (tender_check_home / "config.py").write_text('RATE_LIMIT = "5/minute"\nMAX_QUEUED_CHECKS = 7\n', encoding="utf-8")
    from api.app import create_app

    app = create_app()  # no test config: defaults < instance config.py < environment
    assert app.config["RATE_LIMIT"] == "5/minute"
    assert app.config["MAX_QUEUED_CHECKS"] == 7
    app.extensions["tender_check"].store.close()


def test_uploads_are_not_kept_by_default(client, tender_docx, tender_check_home):
    upload(client, tender_docx, "招标文件.docx")
    assert not (tender_check_home / "uploads").exists()


def test_kept_uploads_are_stored_under_the_report_id(make_app, tender_docx, tender_check_home):
    client = make_app(KEEP_UPLOADS=True).test_client()
    report_id = upload(client, tender_docx, "../../招标文件.docx").get_json()["id"]
    kept = list((tender_check_home / "uploads").iterdir())
    assert [p.name for p in kept] == [f"{report_id}.docx"]
    assert kept[0].read_bytes() == tender_docx
