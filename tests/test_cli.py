"""The command line as a user runs it: exit codes, formats, several files, rules, eval, catalogue."""

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from checker.cli import main

TENDERS = Path(__file__).resolve().parent.parent / "corpus" / "tenders"
SCHEMA = json.loads(resources.files("checker.report").joinpath("report.schema.json").read_text("utf-8"))


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_json_report_follows_the_shipped_schema_and_exit_1_on_findings(capsys):
    status, out, err = run(capsys, "check", str(TENDERS / "zj-gp-broach-brands.docx"), "--format", "json")
    assert status == 1
    report = json.loads(out)
    jsonschema.validate(report, SCHEMA)
    assert report["summary"]["highest_severity"] == "violation"
    assert {f["rule_id"] for f in report["findings"]} >= {"FS201", "FS202"}


def test_clean_document_exits_0(capsys):
    status, out, _ = run(capsys, "check", str(TENDERS / "sc-gp-services-clean.docx"))
    assert status == 0
    assert "sc-gp-services-clean.docx" in out


def test_fail_on_violation_ignores_risks(capsys):
    status, _, _ = run(capsys, "check", str(TENDERS / "zj-gp-broach-compliant.docx"), "--fail-on", "violation")
    assert status == 0
    status, _, _ = run(capsys, "check", str(TENDERS / "zj-gp-broach-compliant.docx"))
    assert status == 1


def test_jurisdiction_override_changes_the_rules_applied(capsys):
    _, out, _ = run(capsys, "check", str(TENDERS / "zj-gp-broach-brands.docx"), "--format", "json", "--jurisdiction", "national")
    report = json.loads(out)
    assert report["document"]["jurisdiction"] == "national" and report["document"]["detected_jurisdiction"] == "zhejiang"
    assert not {"FS201", "FS202"} & {f["rule_id"] for f in report["findings"]}


def test_several_files_one_bad_gives_exit_2_and_still_reports_the_others(capsys, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF")
    status, out, err = run(capsys, "check", str(TENDERS / "sc-gp-services-clean.docx"), str(bad), "--format", "json", "--no-progress")
    assert status == 2
    errors = [line for line in err.splitlines() if line.startswith("tender-check:")]
    assert len(errors) == 1 and "broken.pdf" in errors[0]  # one line of reason, then the summary table
    reports = json.loads(out)
    assert isinstance(reports, list) and reports[0]["document"]["name"] == "sc-gp-services-clean.docx"


@pytest.mark.parametrize("fmt", ["html", "sarif", "text"])
def test_other_formats(capsys, fmt):
    status, out, _ = run(capsys, "check", str(TENDERS / "zj-gp-mri.docx"), "--format", fmt)
    assert status == 1
    if fmt == "sarif":
        sarif = json.loads(out)
        assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    elif fmt == "html":
        assert out.startswith("<!doctype html>") and "制造商" in out
    else:
        assert "GP110" in out


def test_missing_file_and_usage_errors_exit_2(capsys, tmp_path):
    status, _, err = run(capsys, "check", str(tmp_path / "nope.pdf"))
    assert status == 2 and "nope.pdf" in err
    with pytest.raises(SystemExit) as caught:
        main(["check", "x.pdf", "--jurisdiction", "mars"])
    assert caught.value.code == 2


def test_rules_list_and_explain(capsys):
    status, out, _ = run(capsys, "rules")
    assert status == 0 and "FS201" in out and "GP102" in out
    status, out, _ = run(capsys, "rules", "--explain", "fs201")
    assert status == 0 and "为什么构成歧视" in out and "一、（二）" in out
    status, _, err = run(capsys, "rules", "--explain", "XX999")
    assert status == 2 and "XX999" in err


def test_eval_writes_predictions(capsys, tmp_path):
    dataset = tmp_path / "set.jsonl"
    rows = [
        {"id": "a", "text": "投标人注册资本不低于1000万元。", "label": "scale_condition", "discriminatory": True, "section": "qualification"},
        {"id": "b", "text": "投标人须具有良好的商业信誉和健全的财务会计制度。", "label": "compliant", "discriminatory": False, "section": "qualification"},
    ]
    dataset.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    predictions = tmp_path / "out.jsonl"
    status, out, _ = run(capsys, "eval", str(dataset), "--predictions", str(predictions), "--format", "json")
    assert status == 0
    result = json.loads(out)
    assert result["discriminatory"]["precision"] == 1.0 and result["discriminatory"]["recall"] == 1.0
    lines = [json.loads(l) for l in predictions.read_text("utf-8").splitlines()]
    assert lines[0] == {"id": "a", "flagged": True, "categories": ["scale_condition"], "rule_ids": ["GP102"], "severity": "violation"}
    assert lines[1]["flagged"] is False
    status, out, _ = run(capsys, "eval", str(dataset))
    assert status == 0
    assert "共 2 条条款" in out and "歧视性条款  精确率 1.000  召回率 1.000  F1 1.000" in out
    assert "类别" in out and "规模条件（scale_condition）" in out


def test_catalogue_search(capsys):
    status, out, _ = run(capsys, "catalogue", "search", "内拉床", "--format", "json")
    assert status == 0
    hits = json.loads(out)
    assert hits[0]["name"] == "深槽加工数控立式内拉床"


def test_catalogue_import_reports_rejected_rows(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TENDER_CHECK_HOME", str(tmp_path / "home"))
    source = tmp_path / "list.csv"
    source.write_text("产品名称,企业名称,档次,所在地\n示例装备A,示例公司,省级,浙江省\n,缺名称公司,省级,浙江省\n", "utf-8")
    status, out, _ = run(capsys, "catalogue", "import", str(source), "--name", "示例目录（测试用）", "--dry-run")
    assert status == 0
    assert "读取 1 条，拒绝 1 行" in out and "第 3 行：缺少产品名称" in out  # one entry accepted, row 3 rejected


def test_installed_console_script_and_sample(tmp_path):
    """`tender-check check --sample` runs from any directory (the bundled data comes with the package)."""
    result = subprocess.run(
        [sys.executable, "-m", "checker.cli", "check", "--sample", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["document"]["name"] == "zj-gp-broach-brands.pdf"


def test_save_stores_the_report_where_the_server_reads_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TENDER_CHECK_HOME", str(tmp_path))
    monkeypatch.delenv("TENDER_CHECK_DATABASE_URL", raising=False)
    status, out, err = run(capsys, "check", str(TENDERS / "zj-gp-mri.docx"), "--format", "json", "--save")
    assert status == 1
    report_id = err.strip().rsplit(" ", 1)[-1]
    from api.storage import ReportStore

    stored = ReportStore().get_report(report_id)
    assert stored["document"]["sha256"] == json.loads(out)["document"]["sha256"]
    assert (tmp_path / "tender-check.sqlite3").exists()
