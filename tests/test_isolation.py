"""The library as an integrator calls it: from a plain script, bounded end to end, stoppable."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.errors import Cancelled, CheckTimeout
from checker.ingest import Limits
from checker.pipeline import CheckOptions, check_text

ROOT = Path(__file__).resolve().parents[1]
TENDER = ("某市政府采购项目招标文件\n第二章 投标人资格要求\n1. 投标人须为杭州市注册企业。\n"
          "2. 投标人近三年在浙江省内具有不少于3个同类项目业绩。\n3. 投标人注册资本不低于5000万元。\n")


def test_the_readme_library_snippet_runs_as_a_script_without_a_main_guard(tmp_path):
    readme = (ROOT / "README.md").read_text("utf-8")
    snippet = re.search(r"As a library:\s*```python\n(.*?)```", readme, re.S).group(1)
    assert "__main__" not in snippet
    script = tmp_path / "check_one.py"
    script.write_text(snippet.replace("招标文件.pdf", str(ROOT / "corpus" / "tenders" / "zj-gp-broach-brands.pdf")), "utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "bootstrapping" not in result.stderr and "corrupt" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(line.split()[0] in ("violation", "risk", "advice") for line in lines)
    assert any(" FS201 " in line for line in lines)


def _slow_check(raw, options, channel=None):
    time.sleep(3600)


def test_a_check_is_stopped_when_its_caller_gives_up(monkeypatch):
    import checker.isolation
    import checker.pipeline

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")  # the child must see the patch
    monkeypatch.setattr(checker.pipeline, "check_raw", _slow_check)
    started = time.monotonic()
    with pytest.raises(Cancelled):
        check_text(TENDER, cancelled=lambda: time.monotonic() - started > 0.5)
    assert time.monotonic() - started < 10


def test_the_whole_check_is_bounded_in_time_not_only_the_parse(monkeypatch):
    import checker.isolation
    import checker.pipeline

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")
    monkeypatch.setattr(checker.pipeline, "check_raw", _slow_check)
    with pytest.raises(CheckTimeout) as caught:
        check_text(TENDER, options=CheckOptions(timeout_s=1.5, limits=Limits(timeout_s=1.0)))
    assert caught.value.code == "timeout" and "检查超过" in str(caught.value)


def test_analysis_that_blows_its_memory_cap_is_an_input_error(monkeypatch):
    import checker.isolation
    import checker.pipeline
    from checker.errors import InputError

    def hog(raw, options, channel=None):
        hoard = []
        while True:
            hoard.append(bytearray(64 * 2**20))

    monkeypatch.setattr(checker.isolation, "START_METHOD", "fork")
    monkeypatch.setattr(checker.pipeline, "check_raw", hog)
    with pytest.raises(InputError) as caught:
        check_text(TENDER, options=CheckOptions(memory_mb=300))
    assert caught.value.code == "too_large"


def test_pasted_text_runs_in_the_child_not_in_the_caller(monkeypatch):
    seen = []
    report = check_text(TENDER, progress=lambda *message: seen.append(message[0]))
    assert report["findings"]
    assert seen[0] == "parsed"  # the child said when parsing was over: the text went through it


def test_a_report_caps_its_findings_with_a_note():
    full = check_text(TENDER, options=CheckOptions(isolate=False))
    assert len(full["findings"]) >= 2
    capped = check_text(TENDER, options=CheckOptions(isolate=False, max_findings=1))
    assert len(capped["findings"]) == 1
    assert capped["summary"]["findings_total"] == full["summary"]["findings_total"]
    notes = {w["code"]: w["message"] for w in capped["document"]["extraction_warnings"]}
    assert "findings_capped" in notes and f"共发现 {full['summary']['findings_total']} 处" in notes["findings_capped"]
    rank = {"advice": 0, "risk": 1, "violation": 2}
    assert rank[capped["findings"][0]["severity"]] == max(rank[f["severity"]] for f in full["findings"])
