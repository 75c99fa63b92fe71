"""The whole check, top to bottom: ingest → normalise → structure → detect → match → report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from checker.catalogue import Catalogue
from checker.detect import detect
from checker.detect.catalogue_checks import catalogue_findings
from checker.errors import ConfigError, InputError
from checker.ingest import Limits, read_bytes, read_document
from checker.isolation import read_isolated
from checker.match import match_items
from checker.model import JURISDICTIONS, REGIMES, Item, RawDocument
from checker.normalise import normalise
from checker.report import build_report
from checker.structure import build_structure


@dataclass
class CheckOptions:
    jurisdiction: str = "auto"  # or one of JURISDICTIONS
    regime: str | None = None  # None: detected from the document
    catalogue: Catalogue | None = None  # None: bundled + imported catalogues
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True  # parse in a child process (time and memory caps)
    today: date | None = None  # for tenders without a date; None = the real today

    def __post_init__(self) -> None:
        if self.jurisdiction != "auto" and self.jurisdiction not in JURISDICTIONS:
            raise ConfigError(f"unknown jurisdiction {self.jurisdiction!r} (choose auto or one of {', '.join(JURISDICTIONS)})")
        if self.regime is not None and self.regime not in REGIMES:
            raise ConfigError(f"unknown regime {self.regime!r} (choose one of {', '.join(REGIMES)})")


def check_path(path: str | Path, options: CheckOptions | None = None) -> dict[str, Any]:
    options = options or CheckOptions()
    return check_bytes(read_bytes(path, options.limits), Path(path).name, options)


def check_bytes(data: bytes, name: str, options: CheckOptions | None = None) -> dict[str, Any]:
    options = options or CheckOptions()
    raw = read_isolated(data, name, options.limits) if options.isolate else read_document(data, name, options.limits)
    return check_raw(raw, options)


def check_text(text: str, name: str = "pasted-text.txt", options: CheckOptions | None = None) -> dict[str, Any]:
    options = options or CheckOptions()
    if not text or not text.strip():
        raise InputError("the text is empty", code="empty")
    return check_raw(read_document(text.encode("utf-8"), name, options.limits), options)


def check_raw(raw: RawDocument, options: CheckOptions) -> dict[str, Any]:
    document = build_structure(normalise(raw))
    facts = document.facts
    jurisdiction = facts.jurisdiction if options.jurisdiction == "auto" else options.jurisdiction
    regime = options.regime or facts.regime
    on_date, date_source = (facts.date, "document") if facts.date else (options.today or date.today(), "today")
    catalogue = options.catalogue if options.catalogue is not None else Catalogue.default()

    findings = detect(document, jurisdiction, regime)
    match_catalogue(document.items, catalogue, on_date)
    findings += catalogue_findings(document, jurisdiction, regime, on_date, catalogue, findings)
    findings.sort(key=lambda f: (f.location.start, f.rule_id))
    return build_report(document, findings, jurisdiction, regime, on_date, date_source)


def match_catalogue(items: list[Item], catalogue: Catalogue, on: date) -> None:
    """Attach each item's best catalogue entries (score, level, validity on the tender's date)."""
    if not items or not len(catalogue):
        return
    params = [{"spec": item.spec} if item.spec else {} for item in items]  # thresholds of type-keyed entries
    for item, matches in zip(items, match_items([item.name for item in items], catalogue, params=params, on=on)):
        item.catalogue_matches = matches
