"""The review copy (issue 12): reopen what `annotate` wrote and check that every comment or
highlight sits on the finding's own text.

DOCX: word/comments.xml holds one comment per finding (author tender-check) and the text between
its commentRangeStart/End is the finding's text. PDF: each highlight's quad points cover the
finding's characters on the right page (the text under them is read back with pdfium), with a
popup note. One test renders an annotated page with poppler's pdftoppm and looks for the colour.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from checker.pipeline import CheckOptions, check_bytes
from checker.report.annotate import AUTHOR, annotate_bytes, write_review_copy
from checker.report.annotate.anchor import fold_plain, pieces
from checker.report.annotate.pdf import COLOUR
from checker.report.xlsx import COLUMNS, to_xlsx

TENDERS = Path(__file__).resolve().parent.parent / "corpus" / "tenders"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LOCAL = CheckOptions(isolate=False)


# ----------------------------------------------------------------------------- reading back


def docx_comments(data: bytes) -> dict[str, dict]:
    """comment id → {author, text, range}: the comment's text and the document text it encloses."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
        document = etree.fromstring(archive.read("word/document.xml"))
    result = {}
    for comment in comments.iter(f"{W}comment"):
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in comment.iter(f"{W}p"))
        result[comment.get(f"{W}id")] = {"author": comment.get(f"{W}author"), "text": text, "range": ""}
    open_ids: list[str] = []
    ranges: dict[str, list[str]] = {}
    starts, ends = set(), set()
    for element in document.iter():
        if element.tag == f"{W}commentRangeStart":
            open_ids.append(element.get(f"{W}id"))
            starts.add(element.get(f"{W}id"))
        elif element.tag == f"{W}commentRangeEnd":
            ends.add(element.get(f"{W}id"))
            open_ids.remove(element.get(f"{W}id"))
        elif element.tag == f"{W}t":
            for comment_id in open_ids:
                ranges.setdefault(comment_id, []).append(element.text or "")
    assert starts == ends == set(result), "every comment has exactly one start and end in the document"
    for comment_id, texts in ranges.items():
        result[comment_id]["range"] = "".join(texts)
    return result


def pdf_highlights(data: bytes) -> list[dict]:
    """Each highlight: page, contents, popup, and the text pdfium finds under its quad points."""
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pdf = pdfium.PdfDocument(data)
    found = []
    try:
        for index, page in enumerate(reader.pages):
            annotations = [a.get_object() for a in page.get("/Annots") or []]
            highlights = [a for a in annotations if a.get("/Subtype") == "/Highlight"]
            if not highlights:
                continue
            textpage = pdf[index].get_textpage()
            for annotation in highlights:
                quads = [float(v) for v in annotation["/QuadPoints"]]
                under = []
                for i in range(0, len(quads), 8):
                    xs, ys = quads[i : i + 8 : 2], quads[i + 1 : i + 8 : 2]
                    height = max(ys) - min(ys)
                    under.append(textpage.get_text_bounded(
                        left=min(xs) + 0.5, bottom=min(ys) + 0.3 * height, right=max(xs) - 0.5, top=max(ys) - 0.3 * height))
                popup = annotation.get("/Popup")
                found.append({
                    "page": index + 1, "contents": str(annotation.get("/Contents", "")), "author": str(annotation.get("/T", "")),
                    "under": "".join(under), "popup": popup.get_object() if popup is not None else None,
                    "colour": [float(c) for c in annotation.get("/C", [])],
                })
    finally:
        pdf.close()
    return found


def pdf_notes(data: bytes) -> list[str]:
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(data)).pages[0]
    return [str(a.get_object().get("/Contents", "")) for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Text"]


def place_of(finding: dict, comment: str) -> dict:
    """The place of a finding a comment or note is on (``此为第 k 处`` when it has several); an
    empty place when the comment belongs to another finding with the same rule and message."""
    number = re.search(r"共 (\d+) 处，此为第 (\d+) 处", comment)
    occurrences = finding.get("occurrences") or []
    if number is None:
        return finding if not occurrences else {"excerpt": "", "location": {}}
    count, place = int(number.group(1)), int(number.group(2))
    if count != 1 + len(occurrences):
        return {"excerpt": "", "location": {}}
    return finding if place == 1 else occurrences[place - 2]


def folded_excerpt(finding: dict) -> str:
    return "".join(pieces(finding["excerpt"])) if finding["excerpt"] else "\0"


def letters(text: str) -> str:
    return re.sub(r"[、，。；：,.;:]", "", fold_plain(text))


def similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def assert_docx_anchored(copy, report: dict, minimum: float = 1.0) -> None:
    comments = docx_comments(copy.data)
    assert all(c["author"] == AUTHOR for c in comments.values())
    # one comment per place of each anchored finding, and the cover comment
    assert len(report["findings"]) + 1 - copy.unanchored <= len(comments) <= 1 + sum(1 + len(f.get("occurrences") or []) for f in report["findings"])
    cover = [c for c in comments.values() if c["text"].startswith("tender-check 审查意见")]
    assert len(cover) == 1
    placed = 0
    for finding in report["findings"]:
        mine = [c for c in comments.values() if c["text"].startswith("【") and f"{finding['rule_id']} " in c["text"]
                and finding["message"] in c["text"]]
        enclosed = [c for c in mine if c["range"] and fold_plain(c["range"]) in folded_excerpt(place_of(finding, c["text"]))]
        if enclosed:
            placed += 1
        else:
            assert finding["excerpt"] in cover[0]["text"], f"{finding['rule_id']} neither anchored nor on the cover"
    assert placed >= minimum * len(report["findings"])


def assert_pdf_anchored(copy, report: dict, minimum: float = 1.0) -> None:
    highlights = pdf_highlights(copy.data)
    notes = pdf_notes(copy.data)
    assert len(notes) == 1 and "tender-check 审查意见" in notes[0]
    placed = 0
    for finding in report["findings"]:
        mine = [h for h in highlights if f"{finding['rule_id']} " in h["contents"] and finding["message"] in h["contents"]]
        assert all(h["author"] == AUTHOR and h["popup"] is not None and h["popup"]["/Parent"] for h in mine)
        good = []
        for h in mine:
            place = place_of(finding, h["contents"])
            under, excerpt = fold_plain(h["under"]), folded_excerpt(place)
            page = place["location"].get("page")
            if under and (under in excerpt or similar(under, excerpt) > 0.6) and (page is None or abs(h["page"] - page) <= 1):
                good.append(h)
        if good:
            placed += 1
        else:
            assert finding["excerpt"] in notes[0], f"{finding['rule_id']} neither highlighted nor on the first-page note"
    assert placed >= minimum * len(report["findings"])


# ----------------------------------------------------------------------------- DOCX


@pytest.mark.parametrize("name", ["zj-gp-mri.docx", "tj-works-construction.docx", "soe-software-procurement.docx"])
def test_docx_comments_enclose_each_finding(name):
    data = (TENDERS / name).read_bytes()
    copy = annotate_bytes(data, name, LOCAL)
    report = copy.report
    assert report["findings"] and copy.unanchored == 0 and copy.anchored == len(report["findings"])
    assert copy.name == name.replace(".docx", "_审查意见.docx") and copy.format == "docx"
    assert_docx_anchored(copy, report)
    comments = docx_comments(copy.data)
    for finding in report["findings"]:  # the comment text: severity and status, rule and title, message, basis, suggestion
        text = next(c["text"] for c in comments.values() if finding["message"] in c["text"] and finding["rule_id"] in c["text"])
        severity, status = {"violation": "违规", "risk": "风险", "advice": "提示"}[finding["severity"]], {"confirmed": "已确认", "needs_review": "待复核"}[finding["status"]]
        assert text.splitlines()[0].startswith(f"【{severity}｜{status}】")
        assert finding["title"] in text and "依据：" + finding["legal_basis"][0]["document"] in text
        assert "建议修改：" + finding["suggestion"] in text


def test_docx_text_and_tables_unchanged():
    import docx

    name = "tj-works-construction.docx"
    data = (TENDERS / name).read_bytes()
    copy = annotate_bytes(data, name, LOCAL)

    def content(raw: bytes):
        document = docx.Document(io.BytesIO(raw))
        return ([p.text for p in document.paragraphs],
                [[c.text for c in row.cells] for t in document.tables for row in t.rows],
                [s.name for s in document.styles])

    assert content(copy.data) == content(data)


def _docx(paragraphs: list[list[tuple[str, bool]]], comment_on_first: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, bold in runs:
            paragraph.add_run(text).bold = bold
    if comment_on_first:
        document.add_comment(document.paragraphs[0].runs, text=comment_on_first, author="审核人", initials="SH")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _finding(excerpt: str, rule: str = "GP102", **extra) -> dict:
    return {
        "rule_id": rule, "title": "以注册资本设定门槛", "severity": "violation", "category": "scale_condition",
        "message": "以注册资本作为资格条件。", "suggestion": "删除注册资本要求。",
        "legal_basis": [{"document": "《政府采购法实施条例》", "article": "第二十条第（二）项", "status": "in_force"}],
        "excerpt": excerpt, "location": {"start": 0, "end": len(excerpt), "page": None}, "evidence": {}, **extra,
    }


def _report(findings: list[dict], name: str = "t.docx", characters: int = 100) -> dict:
    return {"document": {"name": name, "characters": characters, "title": "测试"}, "findings": findings}


def test_docx_runs_split_where_a_finding_starts_and_ends_inside_one():
    import docx

    data = _docx([[("一、资格要求：投标人注册资本不低于5000万元，", False), ("并具有", True), ("相关资质。", False)]],
                 comment_on_first="原有批注")
    report = _report([_finding("注册资本不低于5000万元"), _finding("具有相关资质", rule="GP111")])
    copy = write_review_copy(data, "docx", report)
    comments = docx_comments(copy.data)
    assert any(c["text"] == "原有批注" and c["author"] == "审核人" for c in comments.values()), "existing comments stay"
    mine = [c for c in comments.values() if c["text"].startswith("【")]
    assert sorted(c["range"] for c in mine) == ["具有相关资质", "注册资本不低于5000万元"]
    paragraph = docx.Document(io.BytesIO(copy.data)).paragraphs[0]
    assert paragraph.text == "一、资格要求：投标人注册资本不低于5000万元，并具有相关资质。"
    assert [r.text for r in paragraph.runs if r.bold] == ["并", "具有"], "both halves of a split run keep its formatting"


def test_docx_unanchored_finding_goes_on_the_cover_comment():
    data = _docx([[("投标人注册资本不低于5000万元。", False)]])
    report = _report([_finding("注册资本不低于5000万元"), _finding("这句话不在文件里", rule="GP999")])
    copy = write_review_copy(data, "docx", report)
    assert (copy.anchored, copy.unanchored) == (1, 1)
    cover = next(c for c in docx_comments(copy.data).values() if c["text"].startswith("tender-check 审查意见"))
    assert "这句话不在文件里" in cover["text"] and "GP999" in cover["text"] and "1 条未能在原文中定位" in cover["text"]
    assert "未能定位" in copy.summary()


def test_docx_finding_across_cells_is_anchored_in_one_cell():
    import docx

    document = docx.Document()
    document.add_paragraph("资格审查表")
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["4", "财务要求", "注册资本不低于5000万元(人民币)"]):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    finding = _finding("4\t财务要求\t注册资本不低于5000万元(人民币)", evidence={"matched": "注册资本"})
    copy = write_review_copy(out.getvalue(), "docx", _report([finding]))
    mine = [c for c in docx_comments(copy.data).values() if c["text"].startswith("【")]
    assert [c["range"] for c in mine] == ["注册资本不低于5000万元(人民币)"]


def test_full_width_and_spacing_variants_are_found():
    data = _docx([[("投标人注册资本不低于　５０００　万元（人民币）。", False)]])
    copy = write_review_copy(data, "docx", _report([_finding("注册资本不低于5000万元(人民币)")]))
    assert copy.anchored == 1
    mine = [c for c in docx_comments(copy.data).values() if c["text"].startswith("【")]
    assert mine[0]["range"] == "注册资本不低于　５０００　万元（人民币）"


def test_text_and_html_come_back_as_docx_with_comments():
    text = ("某市政府采购项目招标文件\n第二章 投标人须知\n一、投标人资格要求\n"
            "1.投标人注册资本不低于5000万元，成立年限不少于5年。\n2.投标人须提供近三年经审计的财务报表。\n").encode("utf-8")
    copy = annotate_bytes(text, "采购文件.txt", LOCAL)
    assert copy.format == "docx" and copy.name == "采购文件_审查意见.docx"
    assert copy.report["findings"] and copy.unanchored == 0
    assert_docx_anchored(copy, copy.report)
    html = ("<html><body><h1>某市政府采购项目招标文件</h1><h2>投标人资格要求</h2><table><tr><td>1</td><td>注册资本</td>"
            "<td>投标人注册资本不低于5000万元</td></tr></table><p>投标人成立年限不少于5年。</p></body></html>").encode("utf-8")
    copy = annotate_bytes(html, "公告.html", LOCAL)
    assert copy.format == "docx" and copy.report["findings"]
    assert_docx_anchored(copy, copy.report, minimum=0.9)


# ----------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("name", ["zj-gp-mri.pdf", "tj-works-construction.pdf", "zj-gp-broach-brands.pdf"])
def test_pdf_highlights_cover_each_finding(name):
    data = (TENDERS / name).read_bytes()
    copy = annotate_bytes(data, name, LOCAL)
    report = copy.report
    assert report["findings"] and copy.unanchored == 0
    assert copy.name == name.replace(".pdf", "_审查意见.pdf") and copy.format == "pdf"
    assert_pdf_anchored(copy, report)
    for highlight in pdf_highlights(copy.data):
        finding = next(f for f in report["findings"] if f["message"] in highlight["contents"] and f["rule_id"] in highlight["contents"])
        place = place_of(finding, highlight["contents"])
        assert highlight["page"] == place["location"]["page"]
        # (small punctuation glyphs may fall outside the inset box the text is read back from)
        assert letters(highlight["under"]) == letters(folded_excerpt(place)), "the highlight covers exactly the finding's characters"


def test_pdf_original_kept_as_is_and_existing_annotations_stay():
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText

    writer = PdfWriter(clone_from=PdfReader(TENDERS / "tj-works-construction.pdf"))
    writer.add_annotation(0, FreeText(text="原有批注", rect=(50, 50, 200, 80)))
    out = io.BytesIO()
    writer.write(out)
    original = out.getvalue()
    copy = annotate_bytes(original, "tj.pdf", LOCAL)
    assert copy.data.startswith(original), "an incremental update: the original bytes come first, unchanged"
    reader = PdfReader(io.BytesIO(copy.data))
    kinds = [a.get_object()["/Subtype"] for a in reader.pages[0]["/Annots"]]
    assert "/FreeText" in kinds and "/Text" in kinds
    source = PdfReader(io.BytesIO(original))
    assert [p.extract_text() for p in reader.pages] == [p.extract_text() for p in source.pages]


def test_pdf_unanchored_finding_goes_on_the_first_page_note():
    data = (TENDERS / "tj-works-construction.pdf").read_bytes()
    report = check_bytes(data, "tj.pdf", LOCAL)
    report["findings"].append(_finding("这句话不在文件里", rule="GP999"))
    copy = write_review_copy(data, "pdf", report)
    assert copy.unanchored == 1 and copy.anchored == len(report["findings"]) - 1
    note = pdf_notes(copy.data)[0]
    assert "这句话不在文件里" in note and "GP999" in note


def test_pdf_page_rendered_by_poppler_shows_the_highlight(tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; scripts/test.sh installs it")
    from PIL import Image

    copy = annotate_bytes((TENDERS / "tj-works-construction.pdf").read_bytes(), "tj.pdf", LOCAL)
    page = next(f["location"]["page"] for f in copy.report["findings"] if f["severity"] == "violation")
    annotated, plain = tmp_path / "annotated.pdf", tmp_path / "plain.pdf"
    annotated.write_bytes(copy.data)
    plain.write_bytes((TENDERS / "tj-works-construction.pdf").read_bytes())
    counts = {}
    for label, path in (("annotated", annotated), ("plain", plain)):
        subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(path), str(tmp_path / label)],
                       check=True, timeout=60)
        image = Image.open(tmp_path / f"{label}.png").convert("RGB")  # left in tmp_path for a person to look at
        r, g, b = (int(COLOUR["violation"][i : i + 2], 16) for i in (0, 2, 4))
        pixels = image.tobytes()
        counts[label] = sum(1 for i in range(0, len(pixels), 3)
                            if abs(pixels[i] - r) < 12 and abs(pixels[i + 1] - g) < 12 and abs(pixels[i + 2] - b) < 12)
    assert counts["annotated"] > 200 and counts["plain"] < 20, counts


# ----------------------------------------------------------------------------- 整改清单


def test_xlsx_one_row_per_finding():
    from openpyxl import load_workbook

    report = check_bytes((TENDERS / "tj-works-construction.pdf").read_bytes(), "tj-works-construction.pdf", LOCAL)
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == len(report["findings"]) + 1
    for number, (row, finding) in enumerate(zip(rows[1:], report["findings"]), 1):
        assert row[0] == number
        assert f"第{finding['location']['page']}页" in row[1]
        assert row[2] == finding["excerpt"].replace("\t", " | ")
        assert finding["rule_id"] in row[3] and finding["message"] in row[3]
        assert finding["legal_basis"][0]["document"] in row[4]
        assert row[5] == finding["suggestion"]
        assert row[6] == {"confirmed": "已确认", "needs_review": "待复核"}[finding["status"]]  # the finding's status


# ----------------------------------------------------------------------------- command line


def test_cli_annotate_writes_the_review_copy_and_prints_counts(tmp_path, capsys):
    from checker.cli import main

    source = tmp_path / "招标文件.docx"
    source.write_bytes((TENDERS / "zj-gp-mri.docx").read_bytes())
    status = main(["annotate", str(source), "--fail-on", "violation"])
    out = capsys.readouterr().out
    target = tmp_path / "招标文件_审查意见.docx"
    assert status == 1 and target.is_file()
    assert str(target) in out and "已定位 3/3 条问题" in out
    status = main(["annotate", str(source), "-o", str(tmp_path / "out.docx"), "--jurisdiction", "zhejiang"])
    assert status == 1 and (tmp_path / "out.docx").is_file()
    assert main(["annotate", str(source), "-o", str(source)]) == 2
    assert "不会覆盖原文件" in capsys.readouterr().err


def test_cli_check_xlsx_needs_an_output_file(tmp_path, capsys):
    from checker.cli import main

    source = str(TENDERS / "zj-gp-mri.docx")
    assert main(["check", source, "--format", "xlsx"]) == 2
    assert "-o" in capsys.readouterr().err
    out = tmp_path / "整改清单.xlsx"
    assert main(["check", source, "--format", "xlsx", "-o", str(out)]) == 1
    assert out.read_bytes()[:2] == b"PK"
    assert main(["check", source, "--format", "json", "-o", str(tmp_path / "r.json")]) == 1
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["findings"]
