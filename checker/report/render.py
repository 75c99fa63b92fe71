"""Renderings of a report: JSON, plain text for terminals, a standalone HTML page, SARIF 2.1.0."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

SEVERITY_LABEL = {"violation": "违规", "risk": "风险", "advice": "提示"}
SECTION_LABEL = {
    "notice": "公告", "qualification": "资格条件", "scoring": "评分标准", "technical": "技术要求",
    "commercial": "商务要求", "contract": "合同条款", "forms": "投标文件格式", "other": "其他", "unknown": "未知",
}
_SARIF_LEVEL = {"violation": "error", "risk": "warning", "advice": "note"}


def to_json(report: dict[str, Any], indent: int | None = 2) -> str:
    return json.dumps(report, ensure_ascii=False, indent=indent)


def to_text(report: dict[str, Any]) -> str:
    doc, summary = report["document"], report["summary"]
    counts = ", ".join(f"{n} {s}" for s, n in summary["by_severity"].items() if n) or "no findings"
    lines = [
        f"{doc['name']}: {doc['pages']} page(s), {doc['format']}, jurisdiction {doc['jurisdiction']}"
        f" (detected {doc['detected_jurisdiction']}), regime {doc['regime']}, date {doc['checked_as_of']}"
        f" ({'from the document' if doc['date_source'] == 'document' else 'today: the document states no date'})",
        f"  {counts}",
    ]
    for warning in doc["extraction_warnings"]:
        lines.append(f"  warning [{warning['code']}] {warning['message']} (pages {', '.join(map(str, warning['pages']))})")
    for f in report["findings"]:
        loc = f["location"]
        where = f"p.{loc['page']}" if loc.get("page") else f"@{loc['start']}"
        section = f" {loc['section']}" if loc.get("section") else ""
        lines.append(f"\n  {where}{section}  [{f['severity']}] {f['rule_id']} {f['title']}")
        lines.append(f"    「{f['excerpt']}」")
        lines.append(f"    {f['message']}")
        for citation in f["legal_basis"]:
            draft = "（征求意见稿）" if citation.get("status") == "draft" else ""
            lines.append(f"    依据: {citation['document']}{draft} {citation['article']}")
        lines.append(f"    建议: {f['suggestion']}")
    matched = [i for i in report["items"] if i["catalogue_matches"]]
    if matched:
        lines.append("\n  items matched to the first-set catalogue:")
        for item in matched:
            best = item["catalogue_matches"][0]
            valid = {True: "valid", False: "expired", None: "validity unknown"}[best["valid"]]
            lines.append(f"    {item['name']} → {best['name']} ({best['company'] or '-'}, {best['level'] or '-'}, score {best['score']:.0f}, {valid})")
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("checker.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["severity_label"] = lambda s: SEVERITY_LABEL.get(s, s)
    env.filters["section_label"] = lambda s: SECTION_LABEL.get(s or "unknown", s)
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


def to_html(report: dict[str, Any], embedded: bool = False) -> str:
    groups = []
    for severity in ("violation", "risk", "advice"):
        findings = [f for f in report["findings"] if f["severity"] == severity]
        if findings:
            groups.append((severity, findings))
    template = _environment().get_template("report.html")
    return template.render(report=report, groups=groups, highlight=highlight_parts, embedded=embedded)


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
                    "legal_basis": [f"{c['document']} {c['article']}" for c in f["legal_basis"]],
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

