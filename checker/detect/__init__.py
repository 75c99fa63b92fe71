"""Detect: clauses → findings, by the rule packs (text rules) and the catalogue-aware checks."""

from __future__ import annotations

from checker.detect.pipeline import ClauseContext, RuleHit, run
from checker.locate import Locator
from checker.model import Finding, Location, StructuredDocument, severity_rank
from checker.normalise import normalise_text
from checker.structure.facts import detect_regime

_EXCERPT = 240


def detect(doc: StructuredDocument, jurisdiction: str, regime: str) -> list[Finding]:
    clauses = doc.clauses
    contexts = []
    for i, clause in enumerate(clauses):
        following = clauses[i + 1].text if i + 1 < len(clauses) and clauses[i + 1].section == clause.section else ""
        context = ClauseContext(clause.section_kind, regime, jurisdiction, following, doc.facts.budget_wan)
        contexts.append((clause.text, context))
    locator = Locator(doc)
    findings = []
    for clause, hits in zip(clauses, run(contexts)):
        for hit in _strongest_per_category(hits):
            location = locator.location(clause.start + hit.start, clause.start + hit.end)
            location.start, location.end = clause.start, clause.end
            findings.append(_finding(hit, clause.text, location, regime, jurisdiction))
    return findings


def check_clause(text: str, section: str = "unknown", jurisdiction: str = "national", regime: str | None = None) -> list[Finding]:
    """Check one clause alone (evaluation, API text snippets, rule examples)."""
    normalised = normalise_text(text)
    regime = regime or detect_regime(normalised)
    hits = run([(normalised, ClauseContext(section, regime, jurisdiction, ""))])[0]
    return [
        _finding(hit, normalised, Location(start=0, end=len(normalised), section_kind=section), regime, jurisdiction)
        for hit in _strongest_per_category(hits)
    ]


def _strongest_per_category(hits: list[RuleHit]) -> list[RuleHit]:
    """One finding per category and clause: the most severe rule speaks, the others are noted."""
    superseded = {rule_id for hit in hits for rule_id in hit.rule.supersedes}
    best: dict[str, RuleHit] = {}
    for hit in hits:
        if hit.rule.id in superseded:
            continue
        current = best.get(hit.rule.category)
        if current is None or severity_rank(hit.severity) > severity_rank(current.severity):
            if current is not None:
                hit.evidence.setdefault("also_matched", []).append(current.rule.id)
            best[hit.rule.category] = hit
        else:
            current.evidence.setdefault("also_matched", []).append(hit.rule.id)
    return list(best.values())


def _excerpt(text: str, start: int, end: int) -> str:
    if len(text) <= _EXCERPT:
        return text
    left = max(0, min(start - 80, len(text) - _EXCERPT))
    return ("…" if left else "") + text[left : left + _EXCERPT] + ("…" if left + _EXCERPT < len(text) else "")


def _finding(hit: RuleHit, clause: str, location: Location, regime: str, jurisdiction: str) -> Finding:
    return hit.rule.finding(
        severity=hit.severity,
        message=hit.rule.message,
        excerpt=_excerpt(clause, hit.start, hit.end),
        location=location,
        regime=regime,
        jurisdiction=jurisdiction,
        evidence={**hit.evidence, "matched": clause[hit.start : hit.end]},
    )
