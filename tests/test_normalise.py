"""Each normalisation rule, on the defects real tender text has."""

import pytest

from checker.ingest import read_document
from checker.normalise import normalise, normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("近３年营业额不低于５０００万元（含）", "近3年营业额不低于5000万元(含)"),  # full-width digits and brackets
        ("⻅证⽅案与⻓期⻔窗", "见证方案与长期门窗"),  # CJK radicals (NFKC folds ⽅, not ⻅⻓⻔)
        ("注冊資金≥人民幣50萬元", "注册资金≥人民币50万元"),  # Traditional → Simplified
        ("境內(nèi)注冊並具有獨(dú)立法人資格", "境内注册并具有独立法人资格"),  # pinyin annotations
        ("投 标 人 须 具 有 独 立 法 人 资 格", "投标人须具有独立法人资格"),  # spaces between CJK
        ("近 3 年 同类业绩", "近3年同类业绩"),  # spaces between CJK and digits
        ("ISO 9001 质量管理体系", "ISO 9001质量管理体系"),  # Latin words keep their space
        ("每提供*个得**分，本项最高得(略)分", "每提供*个得*分,本项最高得*分"),  # masked digits → one token
        ("①3年内 ②5人", "①3年内 ②5人"),  # circled list markers are kept, not turned into 13年
        ("营业额合\n计不低于1000万元", "营业额合计不低于1000万元"),  # wrapped line inside a sentence
        ("一、资格要求\n1.投标人须具有独立法人资格。", "一、资格要求\n1.投标人须具有独立法人资格。"),  # real line ends stay
        ("本项最高1\n0分", "本项最高10分"),  # digits joined without a space
        ("零\u200b宽\ufeff字符", "零宽字符"),  # zero-width characters
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def test_headers_footers_and_page_numbers_are_dropped_and_the_map_points_back(pdf_bytes):
    pages = []
    for number in range(1, 5):
        body = f"第{number}条 投标人须具有近三年同类项目业绩,并提供中标通知书或合同复印件,未提供的视为不满足资格要求,本条"
        pages.append(["某某市人民医院设备采购项目 招标文件", body, f"为第{number}项实质性条款。", f"第 {number} 页 共 4 页"])
    raw = read_document(pdf_bytes(pages), "t.pdf")
    doc = normalise(raw)
    assert "招标文件\n" not in doc.text and "第 1 页" not in doc.text
    assert "某某市人民医院设备采购项目 招标文件" in doc.removed_headers
    position = doc.text.index("为第1项实质性条款")
    block = doc.block_at(position)
    assert block.page == 1 and "实质性条款" in block.text


def test_a_sentence_wrapped_over_a_page_break_is_joined(pdf_bytes):
    long_line = "投标人须具有近三年同类项目业绩并提供中标通知书或合同复印件及用户出具的验收证明材料复印件加"
    pages = [
        ["项目名称:某某采购项目 招标文件", "第三章 资格要求", long_line, "— 1 —"],
        ["项目名称:某某采购项目 招标文件", "盖投标人公章。", "第四章 评分标准", "一、评分办法", "— 2 —"],
        ["项目名称:某某采购项目 招标文件", "第五章 采购需求", "一、技术要求", "— 3 —"],
    ]
    doc = normalise(read_document(pdf_bytes(pages), "t.pdf"))
    assert long_line.replace("近三年", "近3年") + "盖投标人公章。" in doc.text
    start = doc.text.index("盖投标人公章")
    assert doc.block_at(start).page == 2


def test_quantities_in_chinese_numerals_and_our_city_read_as_the_rules_expect():
    from checker.normalise import normalise_text

    assert normalise_text("近三年具有不少于五十人的团队，满二十四个月") == "近3年具有不少于50人的团队,满24个月"
    assert normalise_text("投标人须为我市注册企业") == "投标人须为本市注册企业"
    # ordinals and words that merely contain a numeral stay as they are
    assert normalise_text("第三章 统一名称，十分重要") == "第三章统一名称,十分重要"
