"""Every reader, on real files: pages, tables, headings, offsets back to the page."""

import json

import pytest

from checker.ingest import read_document, read_path
from checker.normalise import normalise, normalise_text
from checker.structure import build_structure


def test_pdf_pages_tables_and_lines_from_a_libreoffice_tender(tenders_dir):
    raw = read_path(tenders_dir / "zj-gp-broach-brands.pdf")
    expected = json.loads((tenders_dir / "zj-gp-broach-brands.expected.json").read_text("utf-8"))
    assert raw.format == "pdf" and raw.pages == expected["pdf_pages"]
    cells = [b for b in raw.blocks if b.kind == "cell"]
    assert cells and all(b.page for b in cells)
    assert any("深槽加工数控立式内拉床" in b.text for b in cells)
    assert not raw.warnings


def test_a_table_continued_over_a_page_break_keeps_one_index_and_drops_the_repeated_header(tenders_dir):
    raw = read_path(tenders_dir / "zj-gp-broach-brands.pdf")
    tables: dict[int, set[int]] = {}
    headers: dict[int, int] = {}
    for block in raw.blocks:
        if block.kind == "cell":
            tables.setdefault(block.table, set()).add(block.page)
            if block.col == 1 and block.text.replace("\v", "") == "货物名称":
                headers[block.table] = headers.get(block.table, 0) + 1
    spanning = [t for t, pages in tables.items() if len(pages) > 1]
    assert spanning, "the goods table runs over a page break in this document"
    assert all(headers.get(t, 0) <= 1 for t in spanning)


@pytest.mark.parametrize("stem", ["zj-gp-broach-brands", "tj-works-construction", "zj-gp-mri"])
def test_phrases_are_located_on_their_real_page(tenders_dir, stem):
    expected = json.loads((tenders_dir / f"{stem}.expected.json").read_text("utf-8"))
    raw = read_path(tenders_dir / f"{stem}.pdf")
    doc = normalise(raw)
    flat = doc.text.replace("\n", "").replace("\t", "").replace(" ", "")
    for phrase in expected["pages_of"]:
        wanted = "".join(normalise_text(phrase["text"]).split())
        position = flat.find(wanted)
        assert position != -1, phrase["text"]
        # map the position in the squeezed text back to the normalised text
        count, offset = 0, 0
        for offset, ch in enumerate(doc.text):
            if ch in "\n\t ":
                continue
            if count == position:
                break
            count += 1
        assert doc.block_at(offset).page == phrase["page"], phrase


def test_docx_paragraphs_tables_and_heading_styles(docx_bytes):
    data = docx_bytes(
        [("第三章 资格审查", 1), "投标人须具有独立法人资格。", ("一、资格要求", 2), "注册资本不低于500万元。"],
        table=[["序号", "货物名称", "数量"], ["1", "数控车床", "2"]],
    )
    raw = read_document(data, "t.docx")
    assert raw.format == "docx"
    headings = [(b.text, b.level) for b in raw.blocks if b.kind == "heading"]
    assert headings == [("第三章 资格审查", 1), ("一、资格要求", 2)]
    cells = [(b.row, b.col, b.text) for b in raw.blocks if b.kind == "cell"]
    assert (1, 1, "数控车床") in cells
    assert "数控车床" in raw.source_text.split("\n")[-1]


def test_docx_paragraphs_are_never_joined_as_wrapped_lines(docx_bytes):
    raw = read_document(docx_bytes(["资格要求", "投标人须具有独立法人资格"]), "t.docx")
    assert normalise(raw).text.split("\n")[:2] == ["资格要求", "投标人须具有独立法人资格"]


def test_html_notice_with_table_and_scripts():
    html = """<html><head><title>x</title><script>var a='招标';</script></head><body>
    <h1>某某区教育局课桌椅采购项目公开招标公告</h1><div><p>采购人：某某区教育局</p>
    <p>供应商须具有独立法人资格。<br>注册资本不低于100万元。</p></div>
    <table><tr><th>序号</th><th>货物名称</th><th>数量</th></tr><tr><td>1</td><td>课桌椅</td><td>300</td></tr></table>
    </body></html>""".encode()
    raw = read_document(html, "notice.html")
    assert raw.format == "html"
    texts = [b.text for b in raw.blocks]
    assert "var a" not in raw.source_text
    assert texts[0] == "某某区教育局课桌椅采购项目公开招标公告"
    assert "注册资本不低于100万元。" in texts
    doc = build_structure(normalise(raw))
    assert [i.name for i in doc.items] == ["课桌椅"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_in_common_encodings(encoding):
    text = "某某项目招标文件\n采购人：某某市人民医院\n投标人须具有近三年同类项目业\n绩不少于2项。"
    raw = read_document(text.encode(encoding), "t.txt")
    assert raw.format == "text"
    assert "投标人须具有近3年同类项目业绩不少于2项。" in normalise(raw).text


def test_doubled_characters_are_reported_and_collapsed(pdf_bytes):
    lines = ["投投标标人人须须具具有有独独立立法法人人资资格格", "招招标标文文件件第第三三章章资资格格要要求求说说明明"] * 6
    raw = read_document(pdf_bytes([lines]), "bold.pdf")
    assert "投标人须具有独立法人资格" in raw.source_text
    assert not any(w.code == "doubled_chars" for w in raw.warnings)  # collapsed lines no longer count


def test_blank_pages_are_reported_but_do_not_stop_the_check(pdf_bytes):
    text_page = ["某某项目招标文件", "投标人须具有独立法人资格。", "采购人：某某局"]
    raw = read_document(pdf_bytes([text_page, text_page, text_page, []]), "t.pdf")
    assert [w.code for w in raw.warnings] == ["no_text_layer"]
    assert raw.warnings[0].pages == [4]


def test_private_use_and_unmapped_glyphs_are_reported_per_page():
    from checker.ingest.pdf import _Line, _Page, _quality

    def page(number, text):
        return _Page(number=number, height=842, lines=[_Line(text, 72, 72, 500, 84)], path_count=0, image_count=0)

    clean = "投标人须具有独立法人资格并提供营业执照复印件。" * 4
    pages = [page(1, clean), page(2, clean + "\ue01a\ue01b\ue01c"), page(3, clean + "\ufffd\ufffd\ufffd")]
    warnings = {w.code: w.pages for w in _quality(pages)}
    assert warnings == {"private_use_chars": [2], "cid_glyphs": [3]}


def test_a_text_layer_of_unmapped_glyphs_is_an_error_not_an_empty_report():
    from checker.errors import InputError
    from checker.ingest.pdf import _Line, _Page, _quality

    garbage = _Page(number=1, height=842, lines=[_Line("\ufffd" * 200 + "招标", 72, 72, 500, 84)], path_count=0, image_count=0)
    with pytest.raises(InputError) as caught:
        _quality([garbage])
    assert caught.value.code == "unreadable_text"
