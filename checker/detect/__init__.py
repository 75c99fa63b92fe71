"""Detect: clauses → findings, by the rule packs (text rules) and the catalogue-aware checks."""

from __future__ import annotations

import re

from checker.detect.pipeline import ClauseContext, RuleHit, run
from checker.locate import Locator
from checker.model import Finding, Location, StructuredDocument, severity_rank
from checker.normalise import normalise_text
from checker.structure.facts import detect_regime
from checker.structure.roles import REQUIREMENT

_WS = re.compile(r"\s+")

_EXCERPT = 240


def detect(doc: StructuredDocument, jurisdiction: str, regime: str) -> tuple[list[Finding], list[dict]]:
    """The findings of the text rules, one per clause and category, and the clauses whose words a
    rule matched but which state no requirement (``cleared``). Repeats across clauses are merged
    by ``merge_repeats`` once every finding, text and document-level, is known."""
    clauses = doc.clauses
    contexts = []
    for i, clause in enumerate(clauses):
        following = clauses[i + 1].text if i + 1 < len(clauses) and clauses[i + 1].section == clause.section else ""
        context = ClauseContext(clause.section_kind, regime, jurisdiction, following, doc.facts.budget_wan)
        contexts.append((clause.text, context))
    locator = Locator(doc)
    findings = []
    cleared: dict[tuple[str, str], dict] = {}
    for clause, hits in zip(clauses, run(contexts)):
        if hits and clause.role != REQUIREMENT:
            for hit in hits:
                seen = cleared.setdefault((hit.rule.id, clause.role), {
                    "rule_id": hit.rule.id, "role": clause.role, "reason": clause.role_reason,
                    "excerpt": locator.original(clause.start, min(clause.end, clause.start + 120)),
                    "location": locator.location(clause.start, clause.end).to_dict(), "count": 0})
                seen["count"] += 1
            continue
        for hit in _strongest_per_category(hits):
            location = locator.location(clause.start + hit.start, clause.start + hit.end)
            location.start, location.end = clause.start, clause.end
            left, right = _excerpt_span(clause.text, hit.start, hit.end)
            finding = _finding(hit, clause.text, location, regime, jurisdiction)
            # quote the file's own characters (what Ctrl+F finds); the normalised words stay in evidence
            finding.excerpt = locator.original(clause.start + left, clause.start + right) or finding.excerpt
            finding.evidence["matched_original"] = locator.original(clause.start + hit.start, clause.start + hit.end)
            findings.append(finding)
    return findings, list(cleared.values())


def merge_repeats(findings: list[Finding]) -> list[Finding]:
    """One finding per problem: the same rule on the same words (a notice repeating the
    qualification list), or on rows of one table (one row per product), is reported once with
    every place it occurs; the first place speaks, the most severe severity stands."""
    merged: dict[tuple, Finding] = {}
    for finding in findings:
        table = finding.location.table
        key = (finding.rule_id, "table", table) if table is not None else (finding.rule_id, _WS.sub("", finding.excerpt))
        first = merged.get(key)
        if first is None:
            merged[key] = finding
            continue
        first.occurrences.append({"location": finding.location.to_dict(), "excerpt": finding.excerpt})
        if severity_rank(finding.severity) > severity_rank(first.severity):
            first.severity = finding.severity
    return list(merged.values())


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


def _excerpt_span(text: str, start: int, end: int) -> tuple[int, int]:
    if len(text) <= _EXCERPT:
        return 0, len(text)
    left = max(0, min(start - 80, len(text) - _EXCERPT))
    return left, min(len(text), left + _EXCERPT)


def _excerpt(text: str, start: int, end: int) -> str:
    left, right = _excerpt_span(text, start, end)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


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
