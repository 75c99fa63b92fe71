"""The whole check, top to bottom: ingest → normalise → structure → detect → match → report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from checker.catalogue import Catalogue
from checker.detect import detect
from checker.detect import merge_repeats
from checker.detect.catalogue_checks import catalogue_findings
from checker.errors import ConfigError, InputError
from checker.ingest import Limits, read_bytes, read_document
from checker.isolation import Bounds, Channel, run_isolated
from checker.match import match_items
from checker.model import JURISDICTIONS, REGIMES, Item, RawDocument, severity_rank
from checker.normalise import normalise
from checker.report import build_report
from checker.structure import build_structure, looks_like_tender

Progress = Callable[..., None]  # progress(kind, stage, done, total): "parsed"/"progress" messages


@dataclass
class CheckOptions:
    jurisdiction: str = "auto"  # or one of JURISDICTIONS
    regime: str | None = None  # None: detected from the document
    catalogue: Catalogue | None = None  # None: bundled + imported catalogues
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True  # run the whole check in a child process (time and memory caps, killable)
    today: date | None = None  # for tenders without a date; None = the real today
    # Bounds on the whole check (parsing is bounded by ``limits``): wall clock, memory beyond what
    # the child inherits, and how many findings a report lists (the most severe are kept).
    timeout_s: float = 600.0
    memory_mb: int = 4096
    max_findings: int = 1000

    def __post_init__(self) -> None:
        if self.jurisdiction != "auto" and self.jurisdiction not in JURISDICTIONS:
            raise ConfigError(f"未知的适用地区 {self.jurisdiction!r}（可选：auto、{'、'.join(JURISDICTIONS)}）")
        if self.regime is not None and self.regime not in REGIMES:
            raise ConfigError(f"未知的适用制度 {self.regime!r}（可选：{'、'.join(REGIMES)}）")
        if self.timeout_s <= 0 or self.memory_mb <= 0 or self.max_findings < 1:
            raise ConfigError("timeout_s、memory_mb 和 max_findings 必须为正数")


def check_path(path: str | Path, options: CheckOptions | None = None, *, cancelled: Callable[[], bool] | None = None,
               progress: Progress | None = None) -> dict[str, Any]:
    options = options or CheckOptions()
    return check_bytes(read_bytes(path, options.limits), Path(path).name, options, cancelled=cancelled, progress=progress)


def check_bytes(data: bytes, name: str, options: CheckOptions | None = None, *, cancelled: Callable[[], bool] | None = None,
                progress: Progress | None = None) -> dict[str, Any]:
    """Check one document. With ``options.isolate`` (the default) parsing and analysis run in a
    child process bounded in time and memory; ``cancelled()`` returning true stops it."""
    options = options or CheckOptions()
    if not options.isolate:
        channel = _LocalChannel(progress)
        return _check_job(channel, data, name, options)
    bounds = Bounds(
        name=name, parse_timeout_s=options.limits.timeout_s, parse_memory_mb=options.limits.memory_mb,
        total_timeout_s=max(options.timeout_s, options.limits.timeout_s),
        total_memory_mb=max(options.memory_mb, options.limits.memory_mb),
    )
    return run_isolated(_check_job, (data, name, replace(options, isolate=False)), bounds, cancelled=cancelled, on_progress=progress)


def check_text(text: str, name: str = "pasted-text.txt", options: CheckOptions | None = None, *,
               cancelled: Callable[[], bool] | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Check pasted text, within the same bounds (and the same child process) as a file."""
    options = options or CheckOptions()
    if not text or not text.strip():
        raise InputError("文字为空", code="empty")
    return check_bytes(text.encode("utf-8"), name, options, cancelled=cancelled, progress=progress)


class _LocalChannel(Channel):
    def __init__(self, progress: Progress | None):
        super().__init__(None)
        self._progress = progress

    def send(self, *message: Any) -> None:
        if self._progress is not None:
            self._progress(*message)


def _check_job(channel: Channel, data: bytes, name: str, options: CheckOptions) -> dict[str, Any]:
    raw = read_document(data, name, options.limits)
    channel.parsed(raw.pages)
    return check_raw(raw, options, channel)


def check_raw(raw: RawDocument, options: CheckOptions, channel: Channel | None = None) -> dict[str, Any]:
    checked_at = datetime.now(timezone.utc)
    document = build_structure(normalise(raw))
    if channel is not None:
        channel.progress("clauses", 0, len(document.clauses))
    facts = document.facts
    jurisdiction = facts.jurisdiction if options.jurisdiction == "auto" else options.jurisdiction
    regime = options.regime or facts.regime
    on_date, date_source = (facts.date, "document") if facts.date else (options.today or date.today(), "today")
    catalogue = options.catalogue if options.catalogue is not None else Catalogue.default()

    findings, cleared = detect(document, jurisdiction, regime)
    match_catalogue(document.items, catalogue, on_date)
    findings = merge_repeats(findings + catalogue_findings(document, jurisdiction, regime, on_date, catalogue, findings))
    total = len(findings)
    if total > options.max_findings:  # a report must not bury its reader: keep the most severe
        findings.sort(key=lambda f: (-severity_rank(f.severity), f.location.start, f.rule_id))
        del findings[options.max_findings:]
    findings.sort(key=lambda f: (f.location.start, f.rule_id))
    if channel is not None:
        channel.progress("clauses", len(document.clauses), len(document.clauses))
    report = build_report(document, findings, jurisdiction, regime, on_date, date_source, cleared)
    notes = report["document"]["extraction_warnings"]
    if not looks_like_tender(document.text):
        notes.append({"code": "not_tender", "pages": [], "message":
                      "文中几乎没有招标、采购、投标等用语，可能不是完整的招标/采购文件；已按条款逐条检查，地区、制度等文件信息可能识别不全。"})
    report["summary"]["findings_total"] = total
    if total > len(findings):
        notes.append({"code": "findings_capped", "pages": [], "message":
                      f"共发现 {total} 处问题，报告只列出最严重的 {len(findings)} 处；请先修改这些条款后再次检查。"})
    report["tool"]["rules_version"] = rules_version()
    report["tool"]["checked_at"] = checked_at.isoformat(timespec="seconds")
    return report


@lru_cache(maxsize=1)
def rules_version() -> str:
    """The rule pack's version: how many rules, then a short digest of their files (``28-bf32d6ee0c68``)."""
    from checker.detect.rules import rules_root

    digest = hashlib.sha256()
    files = sorted(p for p in rules_root().rglob("*.yaml") if not p.name.endswith(".examples.yaml"))
    for path in files:
        digest.update(path.relative_to(rules_root()).as_posix().encode() + b"\0" + path.read_bytes())
    rules = sum(1 for p in files if p.parent.name != "lexicon")
    return f"{rules}-{digest.hexdigest()[:12]}"


def match_catalogue(items: list[Item], catalogue: Catalogue, on: date) -> None:
    """Attach each item's best catalogue entries (score, level, validity on the tender's date)."""
    if not items or not len(catalogue):
        return
    params = [{"spec": item.spec} if item.spec else {} for item in items]  # thresholds of type-keyed entries
    for item, matches in zip(items, match_items([item.name for item in items], catalogue, params=params, on=on)):
        item.catalogue_matches = matches
