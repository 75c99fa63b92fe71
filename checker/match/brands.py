"""Brand or company name (德国Forst, 浙江畅尔, 畅尔智能, 浙江畅尔智能装备股份有限公司) ↔ catalogue entries.

Only the trade name (字号) identifies a company. Places (浙江, 宁波), industry words
(智能装备, 科技) and legal forms (股份有限公司) are shared by thousands of companies: they
can count against a match (浙江 against 江苏) but never make one. A foreign brand is not
matched to a Chinese company unless the entry lists that brand.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rapidfuzz import fuzz

from checker.catalogue import Catalogue, CatalogueEntry
from checker.catalogue.companies import PROVINCES, CompanyName, split_company

BRAND_THRESHOLD = 80.0
EQUAL_CORE = 100.0
CONTAINED_CORE = 80.0  # 金绮 inside 中科金绮: just enough, and any conflicting place undoes it
SIMILAR_CORE = 85.0  # below this edit similarity two trade names are different companies
PLACE_CONFLICT_PENALTY = 25.0
INDUSTRY_CONFLICT_PENALTY = 5.0

_ALIASES: WeakKeyDictionary[Catalogue, list[tuple[CatalogueEntry, list[CompanyName], str | None]]] = WeakKeyDictionary()


def _province(places: tuple[str, ...], region: str | None) -> str | None:
    for place in (*places, region or ""):
        for province in PROVINCES:
            if place.startswith(province):
                return province
    return None


def _aliases(catalogue: Catalogue):
    aliases = _ALIASES.get(catalogue)
    if aliases is None:
        aliases = []
        for entry in catalogue.entries:
            names = [split_company(n) for n in (entry.company, entry.company_short, *entry.brands) if n]
            names = [n for n in names if n.core]
            if names:
                places = tuple(p for n in names for p in n.places)
                aliases.append((entry, names, _province(places, entry.region)))
        _ALIASES[catalogue] = aliases
    return aliases


def _core_score(query: str, alias: str) -> float:
    if query == alias:
        return EQUAL_CORE
    shorter, longer = sorted((query, alias), key=len)
    if len(shorter) >= 2 and shorter in longer:
        return CONTAINED_CORE
    similarity = fuzz.ratio(query, alias)
    return similarity if similarity >= SIMILAR_CORE else 0.0


def _is_latin(name: CompanyName) -> bool:
    return name.core.isascii()


def match_brand(brand: str, catalogue: Catalogue, *, limit: int = 10) -> list[tuple[CatalogueEntry, float]]:
    """Entries whose company or brand is the one named, best first (score 0–100)."""
    query = split_company(brand)
    if len(query.core) < 2:  # one character (华) names no company
        return []
    query_province = _province(query.places, None)
    found = []
    for entry, names, entry_province in _aliases(catalogue):
        best = 0.0
        for name in names:
            if query.foreign and not _is_latin(name):
                continue  # a foreign brand is not a Chinese company's trade name
            score = _core_score(query.core, name.core)
            if score and query.industry and name.industry and not set(query.industry) & set(name.industry):
                score -= INDUSTRY_CONFLICT_PENALTY
            best = max(best, score)
        if best and query_province and entry_province and query_province != entry_province:
            best -= PLACE_CONFLICT_PENALTY
        if best >= BRAND_THRESHOLD:
            found.append((entry, best))
    found.sort(key=lambda hit: (-hit[1], hit[0].name))
    return found[:limit]
