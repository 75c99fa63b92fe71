"""Who buys, with what money, under which procedure: the regime a tender is checked under, and why."""

import pytest

from checker import CheckOptions, check_text
from checker.report.render import to_html, to_text
from checker.normalise import normalise_text
from checker.structure import facts as facts_module
from checker.structure.facts import clean_purchaser

OPTIONS = CheckOptions(isolate=False)


def detect_facts(text):  # the facts are read from the normalised text (NFKC: ：→:)
    return facts_module.detect_facts(normalise_text(text))


def decide_regime(text, purchaser):
    return facts_module.decide_regime(normalise_text(text), purchaser)


@pytest.mark.parametrize(
    ("text", "regime", "reason_has"),
    [
        # enterprises buying under their own rules are not government procurement
        ("中国移动通信集团浙江有限公司2024年办公家具集中采购项目\n竞争性谈判文件\n采购人：中国移动通信集团浙江有限公司\n"
         "参照政府采购有关规定，供应商未被列入中国政府采购网政府采购严重违法失信行为记录名单。", "enterprise", "竞争性谈判"),
        ("中国电信股份有限公司四川分公司\n比选文件\n比选人：中国电信股份有限公司四川分公司\n资金来源：企业自有资金。",
         "enterprise", "比选"),
        ("招标文件\n招标人：某某农村商业银行股份有限公司\n资金来源：自有资金。\n本次采购依据本行采购管理办法组织实施。",
         "enterprise", "采购管理办法"),
        # an enterprise tendering under 招标投标法 is tendering
        ("招标文件\n招标人：某某钢铁有限公司\n本项目已具备招标条件，现对该项目进行邀请招标。", "tendering", "已具备招标条件"),
        # state-funded works under 招标投标法
        ("某某区人民医院门诊楼施工总承包招标公告\n招标人：某某区卫生健康局\n本项目为依法必须进行招标的项目，"
         "资金来源为财政资金，根据《中华人民共和国招标投标法》组织公开招标。", "tendering", "招标投标法"),
        # a short pasted text that says 政府采购
        ("本项目为政府采购项目。投标人须具有近三年同类项目业绩不少于3个。", "government_procurement", "政府采购"),
        ("采购人：某某市教育局\n根据《中华人民共和国政府采购法》等有关规定，现对该项目进行公开招标。", "government_procurement", "政府采购法"),
        # a public body that says it is not government procurement
        ("招标人：某某大学附属医院\n本项目非政府采购项目，不适用《中华人民共和国政府采购法》。", "tendering", "不属于政府采购"),
    ],
)
def test_regime_is_decided_from_who_buys_and_how(text, regime, reason_has):
    decided, reason = decide_regime(text, detect_facts(text).purchaser)
    assert decided == regime, reason
    assert reason_has in reason


def test_the_credit_record_boilerplate_is_not_government_procurement():
    text = ("招标人：宁夏某某百货有限公司\n资金来源：企业自筹。\n"
            "投标人未被列入失信被执行人、重大税收违法失信主体、中国政府采购网政府采购严重违法失信行为记录名单。")
    assert decide_regime(text, detect_facts(text).purchaser)[0] == "enterprise"


def test_the_report_says_why_in_chinese():
    report = check_text("本项目为政府采购项目。投标人须具有近三年同类项目业绩不少于3个。", options=OPTIONS)
    reason = report["document"]["regime_reason"]
    assert report["document"]["regime"] == "government_procurement" and "政府采购" in reason
    assert f"制度判断：{reason}" in to_text(report)
    assert "判断依据：" in to_html(report)


def test_a_chosen_regime_says_so():
    report = check_text("本项目为政府采购项目。", options=CheckOptions(isolate=False, regime="enterprise"))
    assert report["document"]["regime"] == "enterprise" and report["document"]["regime_reason"] == "按用户指定的适用制度检查"


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("招标人：上海某某检测技术有限公司(盖单位章)", "上海某某检测技术有限公司"),
        ("采购人：&&&采购人名称&&&", None),
        ("招标人（盖章）：____________", None),
        ("招标人名称：鹰潭市教育局联系人：徐先生", "鹰潭市教育局"),
        ("采购人：是指依法进行政府采购的国家机关、事业单位和团体组织", None),
        ("招标人：某某市第一人民医院地址：某某路1号", "某某市第一人民医院"),
    ],
)
def test_purchaser_carries_no_template_debris(field, name):
    assert detect_facts(field + "\n").purchaser == name


def test_a_definition_is_skipped_for_the_named_purchaser():
    text = "第一章 总则\n采购人：是指依法进行政府采购的国家机关、事业单位和团体组织。\n第二章 公告\n采购人：温岭市自然资源和规划局\n"
    facts = detect_facts(text)
    assert facts.purchaser == "温岭市自然资源和规划局"
    assert facts.jurisdiction == "zhejiang"  # 温岭 is in Taizhou, Zhejiang: Zhejiang's rules bind it


def test_clean_purchaser_strips_stamps_and_blanks():
    assert clean_purchaser("XX有限公司（盖单位章）____") == "XX有限公司"
