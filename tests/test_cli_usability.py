"""What a user expects of the command line besides: folders, standard input, progress only on a
terminal, "did you mean", Chinese words."""

from __future__ import annotations

import io
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main

TENDERS = Path(__file__).resolve().parent.parent / "corpus" / "tenders"
CLAUSE = "投标人须具有近三年同类项目业绩不少于3个。"


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_check_a_folder_recursively_with_a_summary_table_and_one_exit_code(capsys, tmp_path):
    shutil.copy(TENDERS / "sc-gp-services-clean.docx", tmp_path / "clean.docx")
    (tmp_path / "2024" / "zj").mkdir(parents=True)
    shutil.copy(TENDERS / "zj-gp-broach-brands.pdf", tmp_path / "2024" / "zj" / "brands.pdf")
    (tmp_path / "readme.md").write_text("not a tender", "utf-8")
    status, out, _ = run(capsys, "check", str(tmp_path))
    assert status == 1  # one of them has violations
    table = out[out.index("文件  "):]
    assert "clean.docx" in table and "brands.pdf" in table and "readme.md" not in table
    assert "合计 2 份" in table and "需修改" in table and "通过" in table


def test_an_empty_folder_is_a_usage_error(capsys, tmp_path):
    status, _, err = run(capsys, "check", str(tmp_path))
    assert status == 2 and "没有可检查的文件" in err


def test_dash_reads_standard_input_and_a_pasted_clause_is_checked(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CLAUSE.encode("utf-8"))))
    status, out, err = run(capsys, "check", "-", "--format", "text")
    assert status == 1, err
    assert "不少于3个" in out and "可能不是完整的招标" in out
    assert "does not read" not in err


@pytest.mark.parametrize(("args", "hint"), [
    (["chek", "a.pdf"], "是不是要用 check"),
    (["check", "--fromat", "json", "a.pdf"], "是不是要用 --format"),
    (["check", "--format", "jsn", "a.pdf"], "是不是要用 json"),
    (["check", "--jurisdiction", "zhejaing", "a.pdf"], "是不是要用 zhejiang"),
])
def test_did_you_mean_for_mistyped_subcommands_options_and_choices(capsys, args, hint):
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert hint in err and len(err.strip().splitlines()) == 1


def test_text_report_speaks_chinese(capsys):
    status, out, _ = run(capsys, "check", str(TENDERS / "zj-gp-broach-brands.pdf"))
    head = out.splitlines()[0]
    assert "浙江省" in head and "政府采购" in head
    assert "zhejiang" not in head and "government_procurement" not in head and "page(s)" not in head
    assert "本报告为辅助审查意见，不构成法律结论" in out and "规则版本" in out


def test_html_report_has_a_footer_with_versions_time_and_disclaimer(capsys):
    status, out, _ = run(capsys, "check", str(TENDERS / "zj-gp-broach-brands.pdf"), "--format", "html")
    footer = out[out.index('<footer class="report-footer">'):]
    assert "tender-check 0." in footer and "规则版本" in footer and "检查时间" in footer
    assert "不构成法律结论" in footer
    header = out[:out.index("</header>")]
    assert "浙江省" in header and "政府采购" in header and "government_procurement" not in header


def test_progress_is_shown_on_a_terminal_and_not_in_a_pipe():
    import threading

    document = str(TENDERS / "zj-gp-broach-brands.pdf")
    command = [sys.executable, "-m", "checker.cli", "check", document]
    piped = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 1
    assert "解析" not in piped.stderr and "\r" not in piped.stderr

    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))  # a terminal has a size
    shown = bytearray()

    def read_terminal():
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=follower, timeout=300)
    finally:
        os.close(follower)
        reader.join(5)
        os.close(leader)
    assert result.returncode == 1
    text = shown.decode("utf-8", "replace")
    assert "已解析 38 页" in text and "检查条款" in text
