"""The catalogue entry: one recognised first-set product, or one product type of a national directory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from checker.catalogue.parameters import KeyParameter

KINDS = ("装备", "新材料", "软件")

# Recognition levels, highest first (Shaoxing §二.2, §四.2).
LEVELS = ("国际", "国内", "省级", "市级")
LEVEL_RANK = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}  # 国际 4 … 市级 1


def entry_id(catalogue: str, name: str, company: str | None, version: str | None = None) -> str:
    """A short id that stays the same when the same row is loaded again from any file format."""
    key = "\x1f".join((catalogue, name, company or "", version or ""))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    id: str
    name: str  # as published, model code included
    catalogue: str  # the list's name, e.g. 2020年度浙江省装备制造业重点领域首台(套)产品名单
    kind: str  # one of KINDS
    model: tuple[str, ...] = ()  # model codes as published (a series gives several)
    company: str | None = None  # legal name; None when the source gave only a short name or a USCC
    company_short: str | None = None  # 字号 or the short name the source used
    uscc: str | None = None  # unified social credit code, when the source named the company by it
    brands: tuple[str, ...] = ()  # other names the company or product goes by
    version: str | None = None  # software: part of the product's identity (V1.0)
    level: str | None = None  # one of LEVELS, None where the source did not say
    region: str | None = None  # province or city of the catalogue / company
    listed_year: int | None = None
    listed_date: date | None = None
    exit_date: date | None = None  # 退出目录时间 where the list gives one
    category: str | None = None
    key_parameters: tuple[KeyParameter, ...] = ()
    source: str | None = None
    generated: bool = False  # True only for synthetic scale-test rows, never for real ones

    @property
    def type_keyed(self) -> bool:
        """A national directory row: a product type with thresholds, no company."""
        return bool(self.key_parameters) and not (self.company or self.company_short or self.uscc)

    @property
    def company_label(self) -> str | None:
        if self.company or self.company_short:
            return self.company or self.company_short
        return f"统一社会信用代码 {self.uscc}" if self.uscc else None

    @property
    def listed(self) -> str | None:
        if self.listed_date:
            return self.listed_date.isoformat()
        return str(self.listed_year) if self.listed_year else None

    def to_dict(self) -> dict[str, Any]:
        """The normalised JSON form; `load.rows_to_entries` reads it back unchanged."""
        return {
            "id": self.id,
            "name": self.name,
            "catalogue": self.catalogue,
            "kind": self.kind,
            "model": list(self.model),
            "company": self.company,
            "company_short": self.company_short,
            "uscc": self.uscc,
            "brands": list(self.brands),
            "version": self.version,
            "level": self.level,
            "region": self.region,
            "listed_year": self.listed_year,
            "listed_date": self.listed_date.isoformat() if self.listed_date else None,
            "exit_date": self.exit_date.isoformat() if self.exit_date else None,
            "category": self.category,
            "key_parameters": [p.to_dict() for p in self.key_parameters],
            "source": self.source,
            "generated": self.generated,
        }
