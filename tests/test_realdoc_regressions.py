"""One test per bug that real tenders (../shared/realdocs) showed, each on a minimal fixture written
here: the real documents themselves are never copied into the project."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from checker import CheckOptions, check_bytes, check_text
from checker.ingest import read_document
from tests.conftest import make_docx

FLAGGING = {"risk", "violation"}


def rule_ids(report) -> set[str]:
    return {f["rule_id"] for f in report["findings"] if f["severity"] in FLAGGING}


def _drawn_pdf(pages: int, draw) -> bytes:
    """A PDF of ``pages`` pages, each drawn by ``draw(canvas, page_number)`` with a CJK font set."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number in range(pages):
        pdf.setFont("STSong-Light", 10)
        draw(pdf, number)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _pdf_with_rules_but_no_columns() -> bytes:
    """A page that draws many horizontal rules and no vertical one (a letterhead, underlined
    blanks): pdfplumber's explicit table finder raised ValueError on it and failed the document."""
    def draw(pdf, _):
        for i in range(8):
            pdf.line(60, 700 - 40 * i, 540, 700 - 40 * i)
            pdf.drawString(70, 705 - 40 * i, f"第{i + 1}行：投标人须具有近三年同类项目业绩不少于3个。")

    return _drawn_pdf(1, draw)


def test_issue9_pdf_page_with_horizontal_rules_only_is_read_not_failed():
    raw = read_document(_pdf_with_rules_but_no_columns(), "rules.pdf")
    assert raw.pages == 1
    assert "同类项目业绩" in raw.source_text


def test_issue9_a_page_whose_tables_fail_falls_back_to_lines(monkeypatch):
    import pdfplumber.page

    def broken(self, *args, **kwargs):
        raise ValueError("a table finder fault on this page")

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", broken)
    from checker.ingest.pdf import read_pdf
    from checker.ingest.limits import Limits
    from tests.conftest import make_pdf

    data = make_pdf([["第一章 招标公告", "投标人须具有近三年同类项目业绩。"]])
    blocks, pages, warnings = read_pdf(data, Limits())
    assert any("同类项目业绩" in b.text for b in blocks)
    # a page only counts as fallen back when it had a table to find; the warning names its pages
    assert all(w.pages for w in warnings if w.code == "page_fallback")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup-system.sh")
def test_issue9_legacy_doc_is_read_even_when_named_docx(tmp_path):
    source = tmp_path / "tender.docx"
    source.write_bytes(make_docx([("第一章 资格要求", 1), "投标人须具有近三年同类项目业绩不少于3个。"]))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    data = (tmp_path / "tender.doc").read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    report = check_bytes(data, "招标文件.docx", CheckOptions())  # a .doc under a .docx name
    assert report["document"]["format"] == "doc"
    assert "FS102" in rule_ids(report)


def test_issue9_docx_findings_carry_rendered_page_and_paragraph():
    import docx

    document = docx.Document()
    document.add_paragraph("第一章 招标公告")
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    run._r.append(run._r.makeelement("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lastRenderedPageBreak", {}))
    run.add_text("投标人须具有近三年同类项目业绩不少于3个。")
    buffer = io.BytesIO()
    document.save(buffer)
    report = check_bytes(buffer.getvalue(), "t.docx", CheckOptions())
    finding = next(f for f in report["findings"] if f["rule_id"] == "FS102")
    assert finding["location"]["page"] == 2
    assert finding["location"]["paragraph"] == 2


@pytest.mark.parametrize("name", ["notice.html", "notice.txt"])
def test_issue9_html_and_text_findings_carry_source_lines(name):
    body = "招标公告\n\n资格要求\n投标人须具有近三年同类项目业绩不少于3个。\n"
    data = ("<div>招标公告</div>\n<p>资格要求</p>\n<p>投标人须具有近三年同类项目业绩不少于3个。</p>\n" if name.endswith("html") else body)
    report = check_bytes(data.encode("utf-8"), name, CheckOptions())
    finding = next(f for f in report["findings"] if f["rule_id"] == "FS102")
    assert finding["location"]["line"] == (3 if name.endswith("html") else 4)


def test_issue9_excerpt_quotes_the_original_characters():
    report = check_text("第一章 資格要求\n投標人須具有近３年同類項目業績不少於３個。", "t.txt")
    finding = next(f for f in report["findings"] if f["category"] == "prior_performance")
    assert "近３年同類項目業績" in finding["excerpt"]  # Ctrl+F in the original finds it
    assert "业绩" in finding["evidence"]["matched"]  # matching ran on the normalised text


def test_issue9_sme_classification_standard_is_not_a_scale_condition():
    report = check_text("附件 中小企业划型标准\n工业。从业人员1000人以下或营业收入40000万元以下的为中小微型企业。"
                        "其中，从业人员300人及以上，且营业收入2000万元及以上的为中型企业。")
    assert "GP102" not in rule_ids(report)
    assert any(c["rule_id"] == "GP102" and c["role"] == "sme_definition" for c in report["cleared"])


@pytest.mark.parametrize("text", [
    pytest.param("中小企业声明函\n1.(标的名称)，属于(采购文件中明确的所属行业)；供应商为(企业名称)，"
                 "从业人员人，营业收入为万元，资产总额为万元，属于(中型企业/小型企业/微型企业)。\n"
                 "财务状况\t近三年营业收入\t2023年:2024年:2025年:", id="bidder-form-blanks"),
    pytest.param("附件 中小企业划型标准规定\n行业名称\t指标名称\t计量单位\t大型\t中型\t小型\t微型\n"
                 "工业\t从业人员(X)\t人\tX≥1000\t300≤X<1000\t20≤X<300\tX<20\n"
                 "工业\t营业收入(Y)\t万元\tY≥40000\t2000≤Y<40000\t300≤Y<2000\tY<300", id="sme-classification-table"),
])
def test_issue9_size_figures_in_forms_and_the_sme_table_are_not_scale_conditions(text):
    assert "GP102" not in rule_ids(check_text(text))


def test_issue9_a_requirement_answered_none_is_cleared():
    report = check_text("资格要求\n本项目的特定资格要求：无。\n是否接受联合体投标\t否")
    assert not rule_ids(report)


def test_issue9_a_clause_granting_first_set_equivalence_is_not_a_performance_demand():
    report = check_text("评分标准\n列入首台（套）产品推广应用指导目录的产品，视同满足本项目业绩要求。")
    assert not rule_ids(report)
    assert "FS202" not in {f["rule_id"] for f in report["findings"]}


def test_issue9_a_clause_repeated_in_notice_and_body_is_one_finding_with_both_places():
    clause = "投标人须具有近三年同类项目业绩不少于3个。"
    report = check_text(f"第一章 招标公告\n{clause}\n第三章 资格要求\n{clause}")
    performance = [f for f in report["findings"] if f["rule_id"] == "FS102"]
    assert len(performance) == 1
    assert len(performance[0]["occurrences"]) == 1
    assert performance[0]["occurrences"][0]["location"]["start"] > performance[0]["location"]["start"]


def test_issue9_statutory_independent_legal_person_is_not_an_ownership_limit():
    report = check_text("资格要求\n具有独立法人资格，具备独立承担民事责任的能力。")
    assert "GP109" not in rule_ids(report)


def test_issue9_a_list_of_service_places_is_not_a_closed_brand_list():
    report = check_text("服务要求\n服务地点：武汉某钢铁有限公司、某焦化有限责任公司、某电力股份有限公司。\n"
                        "合同应包括价款或者报酬、履行期限及地址和方式、验收要求、违约责任等内容。")
    assert "GP115" not in rule_ids(report)


def test_issue9_origin_in_the_brand_column_is_not_a_brand():
    report = check_text("货物需求一览表\n序号\t货物名称\t品牌/产地\t数量\n1\t铅衣\t国产\t4套\n2\t铅帽\t国产\t10个")
    assert [i["name"] for i in report["items"]] == ["铅衣", "铅帽"]
    assert all(not i["brands"] for i in report["items"])
    assert "GP116" not in rule_ids(report)


def test_issue9_numbered_goods_lines_are_items_and_fees_are_not():
    report = check_text("采购需求\n1. 数控立式加工中心，数量：2台。主轴转速≥8000rpm。\n2. 运输费，数量：1项。\n3、激光切割机，数量：1台。")
    assert [(i["name"], i["quantity"], i["unit"]) for i in report["items"]] == [("数控立式加工中心", "2", "台"), ("激光切割机", "1", "台")]


def test_issue9_a_date_inside_a_requirement_is_not_the_tenders_date():
    report = check_text("资格要求\n投标人须提供2020年1月1日以来的同类项目业绩。")
    assert report["document"]["date_source"] == "today"
    dated = check_text("招标公告\n发布日期：2024年3月5日\n投标人须提供自2020年1月1日起的同类项目业绩。")
    assert dated["document"]["date"] == "2024-03-05"


def _pdf_with_a_table_on_every_page(pages: int) -> bytes:
    def draw(pdf, number):
        for row in range(5):
            pdf.line(60, 700 - 30 * row, 540, 700 - 30 * row)
        for x in (60, 220, 380, 540):
            pdf.line(x, 700, x, 580)
        for row in range(4):
            pdf.drawString(70, 680 - 30 * row, f"第{number + 1}页货物{row + 1}")
            pdf.drawString(230, 680 - 30 * row, f"{row + 2}台")

    return _drawn_pdf(pages, draw)


def test_issue9_a_long_tender_reads_the_same_when_its_tables_are_found_in_two_processes(monkeypatch):
    import checker.ingest.pdf as pdf_reader

    data = _pdf_with_a_table_on_every_page(44)
    shared = read_document(data, "long.pdf")
    monkeypatch.setattr(pdf_reader, "_PARALLEL_FROM", 10**6)
    alone = read_document(data, "long.pdf")
    assert shared.source_text == alone.source_text
    assert sum(b.kind == "cell" for b in shared.blocks) == 44 * 4 * 3


def test_issue9_people_put_on_the_project_are_not_the_suppliers_size():
    report = check_text("资格要求\n本项目驻场保洁人员不少于20人，须持健康证上岗。\n投标人在职员工总数不少于200人。")
    scale = [f for f in report["findings"] if f["rule_id"] == "GP102"]
    assert len(scale) == 1 and "200" in scale[0]["excerpt"]
