"""The right law for the right tender: whose text a finding cites, and how sure the finding is."""

import itertools

import pytest

from checker import CheckOptions, check_text
from checker.detect import check_clause
from checker.detect.rules import default_rules, jurisdiction_chain
from checker.model import JURISDICTIONS, REGIMES
from checker.report.render import citation_label, to_html, to_sarif, to_text

PERFORMANCE = "投标人须具有近三年同类项目业绩不少于3个。"
MARKET_SHARE = "投标产品近三年国内市场占有率排名前三的得5分。"
MIIT = "关于支持首台（套）重大技术装备平等参与企业招标投标活动的指导意见"


def _finding(text, jurisdiction, regime, section="qualification"):
    return check_clause(text, section, jurisdiction, regime)[0]


@pytest.mark.parametrize("jurisdiction", ["national", "zhejiang", "hangzhou", "shaoxing", "shenyang"])
def test_the_tianjin_draft_is_not_cited_outside_tianjin(jurisdiction):
    for regime in REGIMES:
        finding = _finding(PERFORMANCE, jurisdiction, regime)
        assert not [c for c in finding.legal_basis if "天津" in c.document], (jurisdiction, regime)


def test_in_tianjin_the_draft_is_cited_as_tianjins_and_as_a_draft():
    finding = _finding(MARKET_SHARE, "tianjin", "tendering", "scoring")
    tianjin = [c for c in finding.legal_basis if "天津" in c.document]
    assert tianjin and all(c.jurisdiction == "tianjin" and c.status == "draft" for c in tianjin)
    assert finding.legal_basis[0].status == "in_force"  # the law in force speaks first


def test_every_citation_binds_where_it_is_given():
    """For every rule, jurisdiction and regime a rule applies to: at least one citation, each from an
    issuer whose text binds there; a local text carries its issuer's jurisdiction, never national."""
    for rule, jurisdiction, regime in itertools.product(default_rules(), JURISDICTIONS, REGIMES):
        if rule.applies(jurisdiction, regime) is None:
            continue
        citations = rule.citations(regime, jurisdiction)
        assert citations, (rule.id, jurisdiction, regime)
        for c in citations:
            assert c.jurisdiction in jurisdiction_chain(jurisdiction), (rule.id, jurisdiction, c.document)
    for rule in default_rules():
        for c in rule.legal_basis:
            for city, code in (("天津", "tianjin"), ("浙江", "zhejiang"), ("绍兴", "shaoxing"), ("杭州", "hangzhou"), ("沈阳", "shenyang")):
                if c["document"].startswith("《" + city):
                    assert c.get("jurisdiction") == code, (rule.id, c["document"])


@pytest.mark.parametrize("rule_id", ["FS201", "FS202", "FS204"])
def test_zhejiang_rules_bind_zhejiang_and_its_cities_only(rule_id):
    rule = next(r for r in default_rules() if r.id == rule_id)
    for jurisdiction in ("zhejiang", "hangzhou", "shaoxing"):
        assert rule.applies(jurisdiction, "government_procurement")
    for jurisdiction in ("national", "tianjin", "shenyang"):
        assert rule.applies(jurisdiction, "government_procurement") is None


def test_shaoxing_drafts_are_cited_for_shaoxing_only():
    for rule in default_rules():
        for jurisdiction, regime in itertools.product(("zhejiang", "hangzhou", "national"), REGIMES):
            if rule.applies(jurisdiction, regime):
                assert not [c for c in rule.citations(regime, jurisdiction) if "绍兴" in c.document], (rule.id, jurisdiction)


@pytest.mark.parametrize("regime", ["enterprise", "tendering"])
def test_enterprise_tenders_cite_the_2023_guidance_by_title_and_issuers(regime):
    finding = _finding(PERFORMANCE, "national", regime)
    guidance = [c for c in finding.legal_basis if MIIT in c.document]
    assert guidance, [c.document for c in finding.legal_basis]
    assert "工业和信息化部、国家发展改革委、国务院国资委" in guidance[0].document
    assert guidance[0].article == ""  # no number or article until checked against the official text
    assert "〔" not in guidance[0].document


def test_government_procurement_performance_is_a_policy_risk_not_a_prohibition():
    finding = _finding(PERFORMANCE, "national", "government_procurement")
    assert finding.severity == "risk"
    assert "首台（套）政策层面的关注" in finding.message and "而非法律的禁止性规定" in finding.message
    assert not [c for c in finding.legal_basis if MIIT in c.document]  # the guidance is for enterprise tendering
    assert any("政府采购法实施条例" in c.document for c in finding.legal_basis)
    enterprise = _finding(PERFORMANCE, "national", "enterprise")
    assert "政策层面" not in enterprise.message


def test_a_draft_says_so_once_in_text_and_html():
    report = check_text("天津市某某局采购项目\n采购人：天津市某某局\n本项目为政府采购项目。\n" + MARKET_SHARE,
                        options=CheckOptions(isolate=False, jurisdiction="tianjin"))
    for rendered in (to_text(report), to_html(report)):
        assert "（征求意见稿）》（征求意见稿）" not in rendered
        assert "（征求意见稿）》 一、（一）（尚未生效）" in rendered
    assert citation_label({"document": "《某市办法》", "article": "第三条", "status": "draft"}) == "《某市办法》 第三条（征求意见稿，尚未生效）"


# ---------------------------------------------------------------- status


def _report(text, **options):
    return check_text(text, options=CheckOptions(isolate=False, **options))


def test_every_finding_carries_a_status():
    report = _report("招标文件\n采购人：某某市教育局\n本项目为政府采购项目。\n第三章 资格要求\n投标人注册资本不低于500万元。\n" + PERFORMANCE)
    assert report["findings"]
    for f in report["findings"]:
        assert f["status"] in ("confirmed", "needs_review")
        assert (f["review_hint"] is None) == (f["status"] == "confirmed")
    scale = next(f for f in report["findings"] if f["category"] == "scale_condition")
    assert scale["status"] == "confirmed"  # 财政部令第87号 forbids it outright
    performance = next(f for f in report["findings"] if f["category"] == "prior_performance")
    assert performance["status"] == "needs_review" and "首台（套）" in performance["review_hint"]


def test_a_brand_named_without_a_demand_needs_review_a_demanded_one_is_confirmed():
    named = check_clause("核心交换机参考型号：华为CE6881。", "technical", "national", "government_procurement")
    demanded = check_clause("投标设备须采用西门子品牌PLC。", "technical", "national", "government_procurement")
    from checker.detect.rules import review_status

    assert named and review_status(named[0])[0] == "needs_review" and "要求用语" in review_status(named[0])[1]
    assert demanded and review_status(demanded[0]) == ("confirmed", None)


def test_tailored_parameters_need_review():
    from checker.detect.rules import review_status

    finding = check_clause("设备须与西门子公司产品完全兼容。", "technical", "national", "government_procurement")[0]
    assert finding.category == "tailored_parameters"
    status, hint = review_status(finding)
    assert status == "needs_review" and "实际需要" in hint


def test_status_is_shown_in_text_html_and_sarif():
    import json

    report = _report("本项目为政府采购项目。" + PERFORMANCE)
    assert "[待复核]" in to_text(report) and "复核要点：" in to_text(report)
    assert "待复核" in to_html(report) and "复核要点" in to_html(report)
    result = json.loads(to_sarif(report))["runs"][0]["results"][0]
    assert result["properties"]["status"] == "needs_review" and result["properties"]["review_hint"]
