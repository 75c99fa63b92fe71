"""Named context checks that rules list under ``checks:``.

A check looks at one hit (the clause, the match, the section and regime) and answers
True (keep), False (drop: a lawful look-alike) or a severity (keep, at that severity).
It may add what it measured to ``hit.evidence`` so the report can show it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from checker.detect.rules import MODAL
from checker.structure.items import split_brands


@dataclass
class Hit:
    clause: str
    match: re.Match[str]
    section: str
    regime: str
    jurisdiction: str
    following: str = ""  # the next sentence of the same paragraph: carve-outs often stand there
    budget_wan: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


Verdict = bool | str
CHECKS: dict[str, Callable[..., Verdict]] = {}


def check(name: str):
    def register(func):
        CHECKS[name] = func
        return func

    return register


# Words that turn a requirement into its prohibition: "不得将注册资本作为资格条件".
_NEGATION = re.compile(r"(?:不得|不应|不能|禁止|严禁|不以|不将|不把|不作为|不设置|不设|不要求|不提出|不含|不涉及|不受|不限制|不限定|无需|不需|不再|取消|杜绝|避免|防止|除外)[^。;]{0,14}$")
# Whole-clause statements that a condition does not bind: "不影响资格审查结论", "仅供参考".
_PROHIBITION_CONTEXT = re.compile(
    r"(?:不得|禁止|严禁|不应)(?:将|以|把|设定|设置|要求|限定|限制|指定)|属于.{0,8}(?:差别待遇|歧视待遇|不合理条件)|(?:差别|歧视)待遇的?(?:情形|行为)"
    r"|不影响.{0,8}(?:资格|审查|评审|评标|结论|得分)|不作为(?:限制|否决|资格|评审|废标|评分)|不得因.{0,30}(?:拒绝|否决|扣分|废标)"
    r"|仅(?:供|作为?)(?:技术档次|档次)?参考|同等(?:认定|对待)|不因.{0,24}(?:拒绝|否决|扣分|区别对待|差别对待)|自愿提供"
    r"|视同(?:已)?具备|不设.{0,10}(?:要求|门槛|限制)|不具有?(?:限定性|排他性|倾向性)|不作(?:为)?限定|不限定(?:投标)?品牌"
    r"|仅(?:为|用于|作)说明|也可以是[^。;]{0,30}(?:其他|其它)(?:品牌|厂家)|(?:不同|多种|各种|任何)品牌"
    r"|可(?:以)?(?:选用|采用|提供|投报|投)[^。;]{0,10}(?:以外|之外|其他|其它)(?:的)?[^。;]{0,12}(?:品牌|产品)"
    r"|(?:无须|无需|不需|不必)(?:办理|提供|具备|设立)|不(?:将|以|把)[^。;]{0,60}(?:作为|列为|设为|设置为)"
)
# Negations that may stand inside a match ("经销商;不要求提供制造商授权"); 不得/不接受 are left out
# because discriminatory clauses use them ("其他品牌不得进场").
_INNER_NEGATION = re.compile(r"不要求|无需|无须|不需|不作为|不将|不以|不设|不提出|不因|不影响|不限制|不限定")


@check("not_negated")
def not_negated(hit: Hit) -> Verdict:
    """Applied to every rule: the clause states the prohibition, not the requirement."""
    before = hit.clause[max(0, hit.match.start() - 24) : hit.match.start()]
    if _NEGATION.search(before) or _INNER_NEGATION.search(hit.match.group(0)):
        return False
    return not _PROHIBITION_CONTEXT.search(hit.clause)


# Every "N分" in a scoring clause; the largest is the factor's weight ("每个得2分，最高10分" → 10).
_POINTS = [
    re.compile(r"(?P<n>\d+(?:\.\d+)?|\*(?:\.\d+|\.\*)?)\s*分(?!钟|公司|包|之|标|期|批)"),
    re.compile(r"分值\s*[::]?\s*(?P<n>\d+(?:\.\d+)?|\*)"),
]
_PERCENT = re.compile(r"(?:权重|占|分值|分)\s*(?P<n>\d+(?:\.\d+)?)\s*%|(?P<m>\d+(?:\.\d+)?)\s*%\s*(?:\t|$)")


def stated_weights(text: str) -> tuple[list[tuple[float, str]], bool]:
    """Scores and weights a scoring clause gives, as (value, '分' | '%'), and whether any is masked."""
    found: list[tuple[float, str]] = []
    masked = False
    for pattern in _POINTS:
        for m in pattern.finditer(text):
            if "*" in m.group("n"):
                masked = True
            elif float(m.group("n")) <= 100:
                found.append((float(m.group("n")), "分"))
    for m in _PERCENT.finditer(text):
        value = float(m.group("n") or m.group("m"))
        if value <= 100:
            found.append((value, "%"))
    return found, masked or (not found and "*" in text)


@check("weight_at_least")
def weight_at_least(hit: Hit, points: float = 5, percent: float = 5, below: str = "advice") -> Verdict:
    """In scoring: a factor worth less than the threshold (or of unknown, masked weight) is only advice."""
    if hit.section != "scoring" and not re.search(r"得\s*[\d*]+(?:\.\d+)?\s*分|加\s*[\d*]+\s*分", hit.clause):
        return True
    weights, masked = stated_weights(hit.clause)
    if not weights:
        hit.evidence["weight"] = "masked" if masked else "not stated"
        return below if masked else True
    value, unit = max(weights, key=lambda w: w[0] / (points if w[1] == "分" else percent))
    hit.evidence["weight"] = f"{value:g}{unit}"
    return True if value >= (points if unit == "分" else percent) else below


# A carve-out lets newer firms show what they have: "成立不足三年的，提供成立以来的财务报表".
_CARVE_OUT = re.compile(
    r"(?:成立(?:时间)?(?:不足|未满|少于|不满)|新成立)[^。;]{0,16}?(?:的|者)?[,]?\s*(?:可|可以|提供|按|以|只需|仅需|应提供|须提供|据实)"
    r"|成立以来|自成立之日起?至|如有|(?:无|没有)(?:审计报告|财务报告)的?[,]?\s*(?:可|提供)|或(?:银行)?资信证明|或财务报表"
)


@check("no_carve_out")
def no_carve_out(hit: Hit) -> Verdict:
    """Years of audited reports or tax records are lawful when newer firms may show what they have."""
    return not _CARVE_OUT.search(hit.clause + hit.following)


_BRAND_RUN = re.compile(r"[A-Za-z\u4e00-\u9fff][^、/\s|\t,;:。]{0,14}(?:[、/][^、/\s|\t,;:。]{1,15})+")
_LIST_START = re.compile(r"(?:参考|推荐|建议|备选|意向)品牌(?:为|如|包括|有)?\s*[::]?\s*")


@check("brand_count")
def brand_count(hit: Hit, minimum: int = 3) -> Verdict:
    """参考/推荐品牌: fewer than three names points at a product; three or more is a brand list
    (judged by the catalogue-aware check where a first-set catalogue applies)."""
    if re.fullmatch(r"[\t ]*", hit.clause[hit.match.end() : hit.match.end() + 1]) and hit.clause[hit.match.start() - 1 : hit.match.start()] in ("\t", ""):
        if "\t" in hit.clause:
            return False  # the column header of a goods table: its rows are judged as items (GP116)
    tail = hit.clause[hit.match.end() :]
    run = _BRAND_RUN.search(tail)  # a table header is followed by its row: take the first "A、B、C" run
    if run:
        brands, openness = split_brands(tail[run.start() :].split("\n")[0].split("|")[0].split("\t")[0])
    else:
        start = _LIST_START.search(hit.clause, max(0, hit.match.start() - 2))
        tail = hit.clause[start.end() :] if start else tail
        brands, openness = split_brands(re.split(r"[。;\n]", tail)[0])
    hit.evidence["brands"] = brands
    hit.evidence["open"] = openness
    return len(brands) < minimum


@check("few_named_brands")
def few_named_brands(hit: Hit, maximum: int = 2) -> Verdict:
    """One or two known brands named: a designation. Three or more is a brand list (other rules)."""
    from checker.detect.rules import lexicons

    names = {m.group(0).lower() for m in re.finditer(lexicons()["brand"], hit.clause)}
    hit.evidence["brands"] = sorted(names)
    for run in _BRAND_RUN.finditer(hit.clause):  # "圣奥、震旦、冠宇": a list, whether or not all are known
        listed, _ = split_brands(run.group(0))
        if len(listed) > maximum and any(n in run.group(0).lower() for n in names):
            return False
    return 0 < len(names) <= maximum


_DIMENSIONS = re.compile(r"(\d{2,5}(?:\.\d+)?)\s*(?:mm)?\s*[×xX*]\s*(\d{2,5}(?:\.\d+)?)\s*(?:mm)?\s*[×xX*]\s*(\d{2,5}(?:\.\d+)?)\s*mm")


@check("odd_dimensions")
def odd_dimensions(hit: Hit) -> Verdict:
    """Exact outer dimensions with values no designer would choose (1823×765×1476 mm) were copied from one model."""
    for match in _DIMENSIONS.finditer(hit.clause):
        odd = [v for v in match.groups() if float(v) % 5]
        if len(odd) >= 2:
            hit.evidence["dimensions"] = match.group(0)
            return True
    return False


_AMOUNT = re.compile(r"(?:金额|合同额|合同价|造价|销售额)[^。;]{0,8}?(?:不低于|不少于|≥|>=|达到|以上|在)\s*(?:人民币)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|万|元)")


@check("amount_vs_budget")
def amount_vs_budget(hit: Hit, ratio: float = 1.0) -> Verdict:
    """A contract-amount threshold above the project's own budget cannot be fitted to the project."""
    from checker.structure.facts import to_wan

    match = _AMOUNT.search(hit.clause)
    if not match:
        return True
    required = to_wan(match.group("n"), match.group("unit"))
    hit.evidence["amount_required_wan"] = required
    if hit.budget_wan:
        hit.evidence["budget_wan"] = hit.budget_wan
        if required > ratio * hit.budget_wan:
            return "violation"
    return True


_THRESHOLD_NEAR = re.compile(r"\d|\*|不低于|不少于|以上|达到|超过|高于|大于|≥|>=|不高于|低于")
_SCORED = re.compile(r"得\s*[\d*]|\d\s*分|评分|考虑|优秀|较强|较弱|排名|型企业|大中型|列前|排前|优先|亏损|盈利")


@check("scale_threshold")
def scale_threshold(hit: Hit) -> Verdict:
    """A scale word with a threshold right after it, or scored; not a price breakdown naming 利润 or 存款利息."""
    window = hit.clause[hit.match.start() : hit.match.end() + 30]
    return bool(_THRESHOLD_NEAR.search(window[len(hit.match.group(0)) :] or "") or _THRESHOLD_NEAR.search(hit.match.group(0)) or _SCORED.search(hit.clause))


_BINDING = re.compile(r"实质性|资格|否则|无效|不合格|不予|不通过|废标|拒绝|否决|★|必须|" + MODAL + r"(?:须|应当?)(?:具有|具备|承担|提供|为|是)")


@check("binding_in")
def binding_in(hit: Hit, sections: list[str]) -> Verdict:
    """In these sections the clause counts only where it is made a pass/fail condition."""
    return hit.section not in sections or bool(_BINDING.search(hit.clause))
