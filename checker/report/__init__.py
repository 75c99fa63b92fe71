"""Report: findings + items + document facts → the report JSON (design interface 3) and its renderings."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from checker import __version__
from checker.locate import Locator
from checker.model import SEVERITIES, Finding, StructuredDocument, severity_rank

SCHEMA_VERSION = "1.0"


def build_report(
    document: StructuredDocument,
    findings: list[Finding],
    jurisdiction: str,
    regime: str,
    on_date: date,
    date_source: str,
    cleared: list[dict] | None = None,
) -> dict[str, Any]:
    raw, facts = document.raw, document.facts
    locator = Locator(document)
    by_severity = Counter(f.severity for f in findings)
    highest = max((f.severity for f in findings), key=severity_rank, default=None)
    items = []
    for item in document.items:
        location = locator.location(item.start, item.end).to_dict()
        items.append(
            {
                "name": item.name,
                "location": location,
                "quantity": item.quantity,
                "unit": item.unit,
                "spec": item.spec,
                "brands": item.brands,
                "brands_open": item.brands_open,
                "catalogue_matches": [m.to_dict() for m in item.catalogue_matches],
                "notes": item.notes,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "tender-check", "version": __version__},
        "document": {
            "name": raw.name,
            "format": raw.format,
            "pages": raw.pages,
            "sha256": raw.sha256,
            "title": facts.title,
            "purchaser": facts.purchaser,
            "date": facts.date.isoformat() if facts.date else None,
            "checked_as_of": on_date.isoformat(),
            "date_source": date_source,
            "province": facts.province,
            "city": facts.city,
            "detected_jurisdiction": facts.jurisdiction,
            "jurisdiction": jurisdiction,
            "detected_regime": facts.regime,
            "regime": regime,
            # why: the words the regime was read from (who buys, with what money, under which procedure)
            "regime_reason": facts.evidence.get("regime") if regime == facts.regime else "按用户指定的适用制度检查",
            "extraction_warnings": [{"code": w.code, "message": w.message, "pages": w.pages} for w in raw.warnings],
            "sections": [
                {"heading": s.heading, "kind": s.kind, "level": s.level, "page": s.page, "start": s.start, "end": s.end}
                for s in document.sections
            ],
            "clauses": len(document.clauses),
            "characters": len(document.text),
        },
        "findings": [_with_status(f) for f in findings],
        # what a rule's words matched but the checker left alone, and why (lawful look-alikes)
        "cleared": cleared or [],
        "items": items,
        "summary": {
            "findings": len(findings),
            "by_severity": {s: by_severity.get(s, 0) for s in reversed(SEVERITIES)},
            "by_category": dict(Counter(f.category for f in findings).most_common()),
            "highest_severity": highest,
            "items": len(items),
            "items_with_catalogue_match": sum(1 for i in items if i["catalogue_matches"]),
        },
    }


def _with_status(finding: Finding) -> dict[str, Any]:
    from checker.detect.rules import review_status

    data = finding.to_dict()
    data["status"], data["review_hint"] = review_status(finding)
    return data


def fails(report: dict[str, Any], fail_on: str) -> bool:
    """True when the report holds a finding at or above ``fail_on`` (CLI exit status 1)."""
    return any(severity_rank(f["severity"]) >= severity_rank(fail_on) for f in report["findings"])
