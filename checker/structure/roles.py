"""What a clause does: state a requirement, or something a rule must not judge.

Rules judge only text that states a requirement or a scoring rule. Real tenders are mostly
other text that carries the same words: the SME classification standard quotes 从业人员 and
营业收入 thresholds, bidder forms have blanks for them, declarations promise 业绩 is true, a
table of contents names every chapter, a requirement row answers 无. Each role below is
declared with the pattern that recognises it and the reason a reviewer is shown when a rule's
words were seen in such a clause and cleared (``report["cleared"]``).

The patterns run on normalised text (ASCII punctuation, Simplified script). A role is decided
by the clause alone; the section kind (``forms``, ``contract``) is decided by the headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REQUIREMENT = "requirement"


@dataclass(frozen=True)
class Role:
    name: str
    pattern: re.Pattern[str]
    reason: str  # shown to the reviewer, in Chinese


def _role(name: str, pattern: str, reason: str) -> Role:
    return Role(name, re.compile(pattern), reason)


ROLES: tuple[Role, ...] = (
    _role("table_of_contents", r"(?:\.{4,}|…{2,}|·{4,}|-{6,})\s*\d{1,3}\s*$",
          "目录行：只列出章节名称和页码，不是要求"),
    # the SME classification standard (工信部联企业〔2011〕300号) and the rules for declaring it
    _role("sme_definition",
          r"(?:从业人员|营业收入|资产总额)\s*\(\s*[XYZ]\s*\)|\d+\s*≤\s*[XYZ]\s*<|[XYZ]\s*(?:≥|<)\s*\d+|大型\s*中型\s*小型\s*微型|"
          r"的为(?:中小微型?|中型|小型|微型|大型)企|^(?:\d+\s*)?(?:中型|小型|微型)企业\s*(?:从业人员|营业收入|资产总额)|中小微型企业划型|规模类型|企业标准上限|统计分类|划型标准|(?:中型企业|小型企业)[/、](?:小型企业|微型企业)"
          r"|不能(?:按|享受)中小企业|(?:不)?(?:享受|享有)(?:中小企业|小微企业)(?:扶持|价格扣除)|中小企业声明函|属于\(?(?:采购文件中)?明确的所属行业"
          r"|企业(?:规模)?类型.{0,6}(?:划分|认定)|所属行业.{0,20}(?:划型|工信部联企业)",
          "中小企业划型标准或声明规则：引用的从业人员、营业收入等数额是企业分类口径，不是对供应商的门槛"),
    # bidder-form templates: blanks, placeholders, signature lines
    _role("form_template",
          r"_{3,}|\((?:企业|单位|供应商|投标人|标的|项目|采购人)?名称\)|(?:名称|单位|人|代表|供应商|投标人)\s*\((?:盖章|公章|盖单位章|签字|签名)[^)]{0,6}\)\s*(?::|$)"
          r"|(?:法定代表人|授权代表|委托代理人)[^。]{0,6}(?:签字|签名)\s*[:)]|[□☐]"
          r"|(?:为|:)\s*(?:万元|元|人|年)\s*(?:[,;,。]|$)|(?:从业人员|营业收入|资产总额)(?:为)?\s*(?:人|万元)\s*[,;,]"
          r"|\((?:中型企业|小型企业|微型企业)[/、]|(?:(?:19|20)\d\d年\s*:\s*){2,}",
          "投标文件格式（模板）：空白处由投标人填写，本身不是要求"),
    _role("declaration",
          r"^(?:\d+[.、)]\s*)?(?:我|本)(?:单位|公司|方|企业|人)(?:郑重|在此)?(?:承诺|声明|保证|确认|愿意|已|接受|同意)"
          r"|^注\s*:?\s*(?:\d[、.])?\s*(?:投标人|供应商)应?按(?:照)?(?:招标|采购)?文件(?:的)?要求(?:列举|填写|列明|提供)"
          r"|特此(?:声明|承诺|证明)|是真实的?、?(?:有效|准确)的|如有(?:隐瞒|虚假).{0,12}(?:承担|后果)",
          "投标人的声明或承诺文本，不是招标人提出的条件"),
    _role("definition", r"实质性控制关系|关联关系(?:是指|指)|(?:本文件|本招标文件)所称|是指[^。]{0,40}(?:企业|单位|供应商)",
          "定义性条文：解释用语的含义，不是对供应商的要求"),
    _role("bidder_reminder", r"^(?:[一二三四五六七八九十]+[、.])?\s*请(?:仔细|认真|各)?(?:投标人|供应商)?(?:根据|对照|检查|核对)|逐条检查(?:投标|响应)文件",
          "对投标人的提示（自查清单），不是资格条件"),
    _role("answer_none", r"^[^。]{0,40}(?:[:\t]|\s)\s*(?:无|否|不适用|不要求|/|—+|-)\s*[。;]?\s*$",
          "该项要求为“无/否/不适用”，没有提出条件"),
    _role("grants_first_set",
          r"(?:首台|首批次|首版次|首台\(套\)|推广应用指导目录|首台套目录)[^。]{0,60}视同(?:满足|具备|符合|具有)"
          r"|视同(?:满足|具备|符合|具有)[^。]{0,30}(?:首台|首批次|首版次)",
          "条款给予首台（套）产品视同具备业绩或市场占有率的待遇，正是政策要求的写法"),
)


_FIELD_NAME = re.compile(r"^[\u4e00-\u9fff()/]{1,10}$")
_DEMAND = re.compile(r"须|应|不得|不少于|不低于|以上|以下|得分|分值|≥|≤|>|<")
HEADER_REASON = "表头行：只有填写项的名称，没有提出要求"


def clause_role(text: str) -> tuple[str, str]:
    """``(role, reason)``; ``("requirement", "")`` for a clause that rules should judge."""
    cells = [cell.strip() for cell in text.split("\t") if cell.strip()]
    if len(cells) >= 3 and all(_FIELD_NAME.match(cell) for cell in cells) and not _DEMAND.search(text):
        return "table_header", HEADER_REASON
    for role in ROLES:
        if role.pattern.search(text):
            return role.name, role.reason
    return REQUIREMENT, ""
