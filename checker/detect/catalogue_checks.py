"""Catalogue-aware checks (policy digest section 2, rows C, D, H, I, J).

These rules have no text patterns: their YAML files under rules/FS/ name one of the
document checks below, which look at the whole document — its items with their
catalogue matches, its 业绩 findings, its wording — on the tender's own date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from checker.catalogue import LEVEL_RANK, Catalogue, deemed_performance_until
from checker.detect.rules import Rule, default_rules
from checker.locate import Locator
from checker.match import match_brand
from checker.model import CatalogueMatch, Finding, Item, Location, StructuredDocument, severity_rank


@dataclass
class DocumentContext:
    document: StructuredDocument
    jurisdiction: str
    regime: str
    on: date
    catalogue: Catalogue
    findings: list[Finding]  # the text rules' findings so far
    locator: Locator
    _makers: dict[int, list[tuple[str, CatalogueMatch]]] = field(default_factory=dict)

    def first_set_brands(self, item: Item) -> list[tuple[str, CatalogueMatch]]:
        """Brands of the item that make a first-set product of the kind the item is (valid or not)."""
        if id(item) not in self._makers:
            by_id = {m.entry_id: m for m in item.catalogue_matches}
            self._makers[id(item)] = [
                (brand, by_id[entry.id])
                for brand in item.brands
                for entry, _score in match_brand(brand, self.catalogue)
                if entry.id in by_id
            ]
        return self._makers[id(item)]


DocumentCheck = Callable[[Rule, DocumentContext], list[Finding]]
DOCUMENT_CHECKS: dict[str, DocumentCheck] = {}


def document_check(name: str):
    def register(func: DocumentCheck) -> DocumentCheck:
        DOCUMENT_CHECKS[name] = func
        return func

    return register


def catalogue_findings(
    document: StructuredDocument, jurisdiction: str, regime: str, on: date, catalogue: Catalogue, findings: list[Finding] | None = None
) -> list[Finding]:
    context = DocumentContext(document, jurisdiction, regime, on, catalogue, findings or [], Locator(document))
    result: list[Finding] = []
    for rule in default_rules():
        if not rule.document_level or rule.applies(jurisdiction, regime) is None:
            continue
        for name, _ in rule.checks:
            result += DOCUMENT_CHECKS[name](rule, context)
    return result


def _valid(matches: list[CatalogueMatch]) -> list[CatalogueMatch]:
    return [m for m in matches if m.valid is not False]


def _finding(rule: Rule, context: DocumentContext, location: Location, excerpt: str, message: str, evidence: dict) -> Finding:
    return rule.finding(
        severity=rule.severity_for(location.section_kind or "unknown", context.regime),
        message=message,
        excerpt=excerpt,
        location=location,
        regime=context.regime,
        jurisdiction=context.jurisdiction,
        evidence=evidence,
    )


def _item_excerpt(document: StructuredDocument, item: Item) -> str:
    line_start = document.text.rfind("\n", 0, item.start) + 1
    line_end = document.text.find("\n", item.end)
    return document.text[line_start : line_end if line_end != -1 else len(document.text)].replace("\t", " | ")[:240]


@document_check("brand_list_without_first_set")
def brand_list_without_first_set(rule: Rule, context: DocumentContext) -> list[Finding]:
    """D: three or more brands recommended and none is a valid first-set product of that kind."""
    result = []
    for item in context.document.items:
        if len(item.brands) < 3:
            continue
        valid = _valid(item.catalogue_matches)
        if not valid:
            item.notes.append("目录中没有该类首台（套）产品：推荐品牌不受“至少1个首台套产品”的要求约束（浙江 一、（二）除外情形）")
            continue
        makers = [(brand, m) for brand, m in context.first_set_brands(item) if m.valid is not False]
        if makers:
            item.notes.append("推荐品牌中包含首台（套）产品：" + "、".join(f"{b}（{m.name}）" for b, m in makers))
            continue
        location = context.locator.location(item.start, item.end)
        entries = "；".join(f"{m.name}（{m.company or '企业未载明'}，{m.level or '等级未载明'}）" for m in valid[:3])
        message = (
            f"“{item.name}”推荐了{len(item.brands)}个品牌（{'、'.join(item.brands)}），其中没有首台（套）产品，"
            f"而首台（套）目录中有同类产品：{entries}。"
        )
        result.append(_finding(rule, context, location, _item_excerpt(context.document, item), message,
                               {"brands": item.brands, "catalogue_entries": [m.to_dict() for m in valid[:3]]}))
    return result


_EQUIVALENCE = re.compile(r"(?:首台|目录)[^。]{0,40}视(?:同|为)[^。]{0,12}(?:具备|具有|有)?[^。]{0,8}业绩|视同(?:已)?具备(?:相应)?(?:的)?(?:工程|销售|供货)?业绩")
_PERFORMANCE_CATEGORIES = {"prior_performance", "regional_performance_or_awards"}


@document_check("deemed_performance")
def deemed_performance(rule: Rule, context: DocumentContext) -> list[Finding]:
    """C: 业绩 demanded while a recently listed catalogue product is being bought, with no equivalence clause."""
    demands = [
        f for f in context.findings
        if f.category in _PERFORMANCE_CATEGORIES and severity_rank(f.severity) >= severity_rank("risk")
    ]
    if not demands or _EQUIVALENCE.search(context.document.text):
        return []
    recent: list[tuple[Item, CatalogueMatch]] = []
    for item in context.document.items:
        for match in _valid(item.catalogue_matches):
            entry = context.catalogue.get(match.entry_id)
            until = deemed_performance_until(entry) if entry else None
            if until and context.on <= until and (entry.region or "").startswith("浙江"):
                recent.append((item, match))
                break
    if not recent:
        return []
    products = "；".join(f"{item.name} → {m.name}（{m.company or '企业未载明'}，列入 {m.listed}）" for item, m in recent)
    result = []
    for demand in demands:
        message = (
            "招标文件要求业绩，但所购货物在浙江省首台（套）目录中有列入未满2年的产品，这些产品视同已具备相应业绩；"
            f"文件未写明认可目录产品的业绩。涉及：{products}。"
        )
        result.append(_finding(rule, context, demand.location, demand.excerpt, message,
                               {"catalogue_entries": [m.to_dict() for _, m in recent], "performance_finding": demand.rule_id}))
    return result


@document_check("higher_level_first")
def higher_level_first(rule: Rule, context: DocumentContext) -> list[Finding]:
    """H: a first-set product is recommended while the catalogue holds a similar one of a higher level."""
    result = []
    for item in context.document.items:
        makers = [(b, m) for b, m in context.first_set_brands(item) if m.valid is not False]
        if not makers:
            continue
        best_recommended = max(LEVEL_RANK.get(m.level or "", 0) for _, m in makers)
        higher = [m for m in _valid(item.catalogue_matches) if LEVEL_RANK.get(m.level or "", 0) > best_recommended]
        if not higher:
            continue
        location = context.locator.location(item.start, item.end)
        message = (
            f"“{item.name}”推荐的首台（套）产品等级为{makers[0][1].level or '未载明'}，目录中有认定等级更高的同类产品："
            + "；".join(f"{m.name}（{m.level}，{m.company or '企业未载明'}）" for m in higher[:3])
            + "。绍兴规定认定等级高者优先。"
        )
        result.append(_finding(rule, context, location, _item_excerpt(context.document, item), message,
                               {"recommended": [m.to_dict() for _, m in makers], "higher": [m.to_dict() for m in higher[:3]]}))
    return result


_FIRST_SET_CLAIM = re.compile(r"首台|首批次|首版次")


@document_check("expired_entry_cited")
def expired_entry_cited(rule: Rule, context: DocumentContext) -> list[Finding]:
    """I: a product is presented as first-set although its catalogue entry has expired on the tender's date."""
    result = []
    for item in context.document.items:
        line = _item_excerpt(context.document, item)
        claims = _FIRST_SET_CLAIM.search(line) or any(_FIRST_SET_CLAIM.search(n) for n in item.notes)
        makers = context.first_set_brands(item)
        expired = [(b, m) for b, m in makers if m.valid is False]
        if not claims or not expired or any(m.valid for _, m in makers):
            continue
        location = context.locator.location(item.start, item.end)
        message = (
            "作为首台（套）产品推荐的"
            + "、".join(f"{b}（{m.name}，有效期至 {m.valid_until}）" for b, m in expired)
            + f"在招标文件日期 {context.on.isoformat()} 已超出目录有效期，不再视为首台（套）产品。"
        )
        result.append(_finding(rule, context, location, line, message, {"expired": [m.to_dict() for _, m in expired]}))
    return result


_KEY_FIELDS = re.compile(r"医疗设备|医疗器械|医用|新能源汽车|电动汽车|充电桩|电力|变电|输电|电网|能源|光伏|风电|储能|石化|化工|基础设施|市政|道路|桥梁|节能|环保|污水|垃圾|水利|水务|供水|排水|交通|轨道|隧道")


@document_check("missing_first_set_preference")
def missing_first_set_preference(rule: Rule, context: DocumentContext) -> list[Finding]:
    """J: a tender in a key field with no first-set provision at all (advisory)."""
    text = context.document.text
    if _FIRST_SET_CLAIM.search(text):
        return []
    head = (context.document.facts.title or "") + " " + " ".join(i.name for i in context.document.items)
    field = _KEY_FIELDS.search(head) or _KEY_FIELDS.search(text[:3000])
    if not field:
        return []
    start = text.find(context.document.facts.title) if context.document.facts.title else 0
    start = max(start, 0)
    end = start + len(context.document.facts.title or text[:40])
    location = context.locator.location(start, end)
    message = f"项目属于首台（套）推广的重点领域（{field.group(0)}），招标文件未设首台（套）产品优先或加分条款。"
    return [_finding(rule, context, location, text[start:end][:240], message, {"field": field.group(0)})]


@document_check("few_brands_per_item")
def few_brands_per_item(rule: Rule, context: DocumentContext) -> list[Finding]:
    """An item of a goods table (or a text brand list) naming only one or two brands."""
    result = []
    for item in context.document.items:
        if not 0 < len(item.brands) < 3:
            continue
        location = context.locator.location(item.start, item.end)
        message = f"“{item.name}”只列出{len(item.brands)}个参考品牌（{'、'.join(item.brands)}），需求实际上指向了特定产品。"
        result.append(_finding(rule, context, location, _item_excerpt(context.document, item), message, {"brands": item.brands, "open": item.brands_open}))
    return result
