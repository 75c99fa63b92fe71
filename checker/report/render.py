"""Renderings of a report: JSON, plain text for terminals, a standalone HTML page, SARIF 2.1.0."""

from __future__ import annotations

import json
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from typing import Any

SEVERITY_LABEL = {"violation": "违规", "risk": "风险", "advice": "提示"}
SECTION_LABEL = {
    "notice": "公告", "qualification": "资格条件", "scoring": "评分标准", "technical": "技术要求",
    "commercial": "商务要求", "contract": "合同条款", "forms": "投标文件格式", "other": "其他", "unknown": "未知",
}
JURISDICTION_LABEL = {
    "national": "全国", "zhejiang": "浙江省", "hangzhou": "杭州市", "shaoxing": "绍兴市", "tianjin": "天津市",
    "shenyang": "沈阳市", "sichuan": "四川省", "shanxi": "山西省", "liaoning": "辽宁省",
}
REGIME_LABEL = {"government_procurement": "政府采购", "tendering": "招标投标", "enterprise": "企业采购"}
CATEGORY_LABEL = {
    "market_share": "市场占有率", "prior_performance": "业绩要求", "regional_performance_or_awards": "地域/行业业绩或奖项",
    "scale_condition": "规模条件", "establishment_years": "成立年限", "brand_designation": "指定品牌", "brand_list": "品牌清单",
    "tailored_parameters": "量身定制参数", "locality_or_ownership": "地域或所有制限制", "manufacturer_authorization": "制造商授权",
    "other_discriminatory": "其他歧视性条款", "deemed_performance": "首台（套）视同业绩", "catalogue_level": "目录层级与有效期",
    "first_set_preference": "首台（套）优先",
}
STATUS_LABEL = {"confirmed": "已确认", "needs_review": "待复核"}
DISCLAIMER = "本报告为辅助审查意见，不构成法律结论；请结合文件全文和适用规定复核。"
_SARIF_LEVEL = {"violation": "error", "risk": "warning", "advice": "note"}


def citation_label(citation: dict[str, Any]) -> str:
    """《document》 article, a draft always marked once (the title may already say 征求意见稿)."""
    document, article = citation.get("document", ""), (citation.get("article") or "").strip()
    text = f"{document} {article}".rstrip()
    if citation.get("status") == "draft":
        text += "（尚未生效）" if "征求意见稿" in document else "（征求意见稿，尚未生效）"
    return text


def status_label(value: str | None) -> str:
    return STATUS_LABEL.get(value or "", value or "")


def to_json(report: dict[str, Any], indent: int | None = 2) -> str:
    return json.dumps(report, ensure_ascii=False, indent=indent)


def to_text(report: dict[str, Any]) -> str:
    doc, summary = report["document"], report["summary"]
    counts = "，".join(f"{SEVERITY_LABEL.get(s, s)} {n} 处" for s, n in summary["by_severity"].items() if n) or "未发现问题"
    detected = jurisdiction_label(doc["detected_jurisdiction"])
    jurisdiction = jurisdiction_label(doc["jurisdiction"])
    jurisdiction_text = jurisdiction if jurisdiction == detected else f"{jurisdiction}（识别为{detected}）"
    date_text = "文件载明" if doc["date_source"] == "document" else "文件未载明日期，按今日"
    lines = [
        f"{doc['name']}：{doc['pages']} 页，{doc['format'].upper()}，适用地区 {jurisdiction_text}，"
        f"适用制度 {regime_label(doc['regime'])}，判断日期 {doc['checked_as_of']}（{date_text}）",
        f"  {counts}",
    ]
    if doc.get("regime_reason"):
        lines.insert(1, f"  制度判断：{doc['regime_reason']}")
    for warning in doc["extraction_warnings"]:
        pages = f"（第 {'、'.join(map(str, warning['pages']))} 页）" if warning.get("pages") else ""
        lines.append(f"  提示 [{warning['code']}] {warning['message']}{pages}")
    for f in report["findings"]:
        loc = f["location"]
        where = f"第 {loc['page']} 页" if loc.get("page") else f"第 {loc['start']} 字"
        section = f" {loc['section']}" if loc.get("section") else ""
        status = f"[{status_label(f['status'])}]" if f.get("status") else ""
        lines.append(f"\n  {where}{section}  [{SEVERITY_LABEL.get(f['severity'], f['severity'])}]{status} {f['rule_id']} {f['title']}")
        lines.append(f"    「{f['excerpt']}」")
        lines.append(f"    {f['message']}")
        for citation in f["legal_basis"]:
            lines.append(f"    依据：{citation_label(citation)}")
        if f.get("review_hint"):
            lines.append(f"    复核要点：{f['review_hint']}")
        lines.append(f"    建议：{f['suggestion']}")
    matched = [i for i in report["items"] if i["catalogue_matches"]]
    if matched:
        lines.append("\n  与首台（套）目录匹配的采购标的：")
        for item in matched:
            best = item["catalogue_matches"][0]
            valid = {True: "有效", False: "已过期", None: "有效期未知"}[best["valid"]]
            lines.append(f"    {item['name']} → {best['name']}（{best['company'] or '-'}，{best['level'] or '-'}，相似度 {best['score']:.0f}，{valid}）")
    lines.append("\n  " + footer_text(report))
    return "\n".join(lines)


def jurisdiction_label(value: str | None) -> str:
    return JURISDICTION_LABEL.get(value or "", value or "未识别")


def regime_label(value: str | None) -> str:
    return REGIME_LABEL.get(value or "", value or "未识别")


def local_time(value: str | None, tz: tzinfo | None = None) -> str:
    """An ISO 8601 time as ``2026-12-02 08:53`` in ``tz`` (default: this machine's local zone)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment.astimezone(tz) if tz is not None else moment.astimezone()).strftime("%Y-%m-%d %H:%M")


def footer_text(report: dict[str, Any], tz: tzinfo | None = None) -> str:
    tool = report.get("tool", {})
    parts = [f"tender-check {tool.get('version', '')}".strip()]
    if tool.get("rules_version"):
        parts.append(f"规则版本 {tool['rules_version']}")
    if tool.get("checked_at"):
        parts.append(f"检查时间 {local_time(tool['checked_at'], tz)}")
    return " · ".join(parts) + "。" + DISCLAIMER


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("checker.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["severity_label"] = lambda s: SEVERITY_LABEL.get(s, s)
    env.filters["section_label"] = lambda s: SECTION_LABEL.get(s or "unknown", s)
    env.filters["jurisdiction_label"] = jurisdiction_label
    env.filters["regime_label"] = regime_label
    env.filters["citation_label"] = citation_label
    env.filters["status_label"] = status_label
    return env


def highlight_parts(finding: dict[str, Any]) -> tuple[str, str, str]:
    """Split the excerpt around the matched words so the page can mark them (escaped by the template)."""
    excerpt = finding["excerpt"]
    evidence = finding.get("evidence") or {}
    matched = evidence.get("matched_original") or evidence.get("matched") or ""
    position = excerpt.find(matched) if matched else -1
    if position < 0:
        return excerpt, "", ""
    return excerpt[:position], matched, excerpt[position + len(matched):]


def to_html(report: dict[str, Any], embedded: bool = False, tz: tzinfo | None = None) -> str:
    """A standalone page (or, ``embedded``, the report's section for another page); times in ``tz``
    (default: this machine's local zone)."""
    groups = []
    for severity in ("violation", "risk", "advice"):
        findings = [f for f in report["findings"] if f["severity"] == severity]
        if findings:
            groups.append((severity, findings))
    template = _environment().get_template("report.html")
    tool = report.get("tool", {})
    return template.render(report=report, groups=groups, highlight=highlight_parts, embedded=embedded,
                           checked_at=local_time(tool.get("checked_at"), tz), disclaimer=DISCLAIMER)


def to_sarif(report: dict[str, Any], rules: list | None = None) -> str:
    from checker.detect.rules import default_rules

    rules = rules if rules is not None else list(default_rules())
    used = {f["rule_id"] for f in report["findings"]}
    driver_rules = [
        {
            "id": r.id,
            "name": r.name,
            "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.doc["what"].strip()},
            "help": {"text": f"{r.doc['why'].strip()}\n建议：{r.suggestion}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
            "properties": {"category": r.category},
        }
        for r in rules
        if r.id in used
    ]
    index = {r["id"]: i for i, r in enumerate(driver_rules)}
    uri = report["document"]["name"]
    results = []
    for f in report["findings"]:
        loc = f["location"]
        results.append(
            {
                "ruleId": f["rule_id"],
                "ruleIndex": index.get(f["rule_id"], 0),
                "level": _SARIF_LEVEL[f["severity"]],
                "message": {"text": f"{f['title']}：{f['message']}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri},
                            "region": {
                                "charOffset": loc["start"],
                                "charLength": max(loc["end"] - loc["start"], 0),
                                "snippet": {"text": f["excerpt"]},
                            },
                        },
                        "logicalLocations": [{"name": loc.get("section") or "", "kind": "section"}],
                    }
                ],
                "properties": {
                    "category": f["category"],
                    "severity": f["severity"],
                    "page": loc.get("page"),
                    "legal_basis": [citation_label(c) for c in f["legal_basis"]],
                    "status": f.get("status"),
                    "review_hint": f.get("review_hint"),
                    "suggestion": f["suggestion"],
                },
            }
        )
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "tender-check", "version": report["tool"]["version"], "rules": driver_rules}},
                "artifacts": [{"location": {"uri": uri}, "hashes": {"sha-256": report["document"]["sha256"]}}],
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2)


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "text":
        return to_text(report)
    if fmt == "html":
        return to_html(report)
    if fmt == "sarif":
        return to_sarif(report)
    raise ValueError(f"unknown format {fmt}")

