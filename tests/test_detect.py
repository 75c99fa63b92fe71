"""Detection behaviour beyond single rule examples: context, sections, documents, the pipeline."""

import pytest

from checker.detect import check_clause
from checker.detect.pipeline import SPAN_KEY, ClauseContext, build_pipeline
from checker.pipeline import CheckOptions, check_text

TENDER_HEAD = "某某市某某局设备采购项目\n采购人：某某市某某局\n发布日期：2024年3月1日\n本项目为政府采购公开招标项目，预算金额：100万元。\n"


def _rules(text, section="qualification", jurisdiction="national"):
    return {f.rule_id for f in check_clause(text, section, jurisdiction)}


def test_pipeline_is_spacy_with_jieba_and_writes_spans():
    nlp = build_pipeline()
    assert nlp.lang == "zh" and "tender_rules_v1" in nlp.pipe_names
    assert build_pipeline() is nlp  # built once per process
    doc = nlp.make_doc("投标人注册资本不低于500万元。")
    doc._.tender_context = ClauseContext("qualification")
    doc = nlp(doc)
    assert [t.text for t in doc][:2] == ["投标人", "注册资本"]  # words, not characters
    assert [span.label_ for span in doc.spans[SPAN_KEY]] == ["GP102"]


def test_section_decides_severity_of_scored_performance():
    clause = "近三年每提供一个同类项目业绩得2分，最高得10分。"
    assert check_clause(clause, "scoring")[0].severity == "risk"
    low = "近三年每提供一个同类项目业绩得1分，最高得3分。"
    assert [f.severity for f in check_clause(low, "scoring")] == ["advice"]


def test_the_same_words_in_a_bidder_form_template_are_not_requirements():
    text = TENDER_HEAD + (
        "第三章 资格要求\n投标人须具有良好的商业信誉。\n"
        "第七章 投标文件格式\n资格承诺函\n我方注册资本不低于1000万元，近三年具有同类项目业绩不少于3项。\n"
    )
    report = check_text(text, options=CheckOptions(isolate=False))
    assert not [f for f in report["findings"] if f["severity"] != "advice"], report["findings"]


def test_performance_amount_above_the_budget_is_a_violation():
    text = TENDER_HEAD + "第三章 资格要求\n投标人须具有近三年单项合同金额不低于500万元的同类项目业绩。\n"
    report = check_text(text, options=CheckOptions(isolate=False))
    finding = next(f for f in report["findings"] if f["rule_id"] == "FS102")
    assert finding["severity"] == "violation"
    assert finding["evidence"]["amount_required_wan"] == 500 and finding["evidence"]["budget_wan"] == 100


def test_traditional_and_pinyin_text_is_read():
    assert "GP102" in _rules("投標人註冊資本(zī běn)不低於５００萬元")


def test_prohibitions_restated_are_not_findings():
    assert not _rules("采购人不得将投标人的注册资本、资产总额、营业收入、从业人员、利润、纳税额等规模条件作为资格要求。")


def test_carve_out_in_the_next_sentence_is_honoured():
    text = TENDER_HEAD + "第三章 资格要求\n供应商须提供近三年经审计的财务报告。成立不足三年的，提供成立以来的财务报表。\n"
    report = check_text(text, options=CheckOptions(isolate=False))
    assert not [f for f in report["findings"] if f["category"] == "establishment_years"]


@pytest.mark.parametrize(
    ("jurisdiction", "expected"),
    [("national", "national"), ("zhejiang", "zhejiang"), ("hangzhou", "zhejiang")],
)
def test_zhejiang_rules_bind_its_cities(jurisdiction, expected):
    from checker.detect.rules import default_rules

    brand_list = next(r for r in default_rules() if r.id == "FS201")
    applied = brand_list.applies(jurisdiction, "government_procurement")
    assert applied == (None if expected == "national" else "zhejiang")


def test_findings_cite_the_law_of_the_regime():
    gp = check_clause("投标人注册资本不低于500万元。", "qualification", regime="government_procurement")[0]
    works = check_clause("投标人注册资本不低于500万元。", "qualification", regime="tendering")[0]
    assert any("87号" in c.document for c in gp.legal_basis)
    assert any("招标投标法实施条例" in c.document for c in works.legal_basis)
    assert not any("87号" in c.document for c in works.legal_basis)


def test_draft_sources_are_marked():
    finding = check_clause("投标产品近三年国内市场占有率排名前三的得5分。", "scoring", "tianjin")[0]
    tianjin = [c for c in finding.legal_basis if "天津" in c.document]
    assert tianjin and tianjin[0].status == "draft"
