"""How long a catalogue entry counts as a first-set product.

- Zhejiang keeps a product in its directory at most 3 years; Jiangsu recognitions are
  valid 3 years from announcement; Shaoxing's city catalogue holds a product at most 3
  years (seed 000 §二.3). The Shaoxing rule is the only city rule known, so city-level
  (市级) lists are given the same 3 years.
- Zhejiang deems a product in its directory to have the matching engineering or sales
  record for 2 years from listing (seed 002 §一(三)).
- An exit date printed in the list (退出目录时间) overrides the computed date.

When only the listing year is known, the period counts from 31 December of that year:
the generous reading, so that an entry is never called expired too early.
"""

from __future__ import annotations

from datetime import date

from checker.catalogue.model import LEVEL_RANK, CatalogueEntry

__all__ = ["LEVEL_RANK", "deemed_performance_until", "is_valid", "validity_rule", "valid_until"]

_THREE_YEAR_RULES = (  # (where the catalogue is from, why it lasts 3 years), most specific first
    ("绍兴", "绍兴市目录：同一产品纳入目录不超过3年"),
    ("浙江", "浙江省目录：产品在目录中最长保留3年"),
    ("江苏", "江苏省认定：自公布之日起有效期3年"),
)
_CITY_RULE = "市级目录：同一产品纳入目录不超过3年（按绍兴市规则）"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def listing_day(entry: CatalogueEntry) -> date | None:
    """The day the entry was listed; 31 December of the listing year when only the year is known."""
    if entry.listed_date:
        return entry.listed_date
    return date(entry.listed_year, 12, 31) if entry.listed_year else None


def _origin(entry: CatalogueEntry) -> str:
    # the catalogue's name says whose list it is; the region is a fallback for imported lists
    return f"{entry.catalogue} {entry.region or ''}"


def validity_rule(entry: CatalogueEntry) -> str | None:
    """The rule that limits the entry's validity, in words; None when no rule is known."""
    if entry.exit_date:
        return "目录载明的退出目录时间"
    origin = _origin(entry)
    for place, rule in _THREE_YEAR_RULES:
        if place in origin:
            return rule
    if entry.level == "市级":
        return _CITY_RULE
    return None


def valid_until(entry: CatalogueEntry) -> date | None:
    """Last day the entry counts as a first-set product; None when the catalogue does not say."""
    if entry.exit_date:
        return entry.exit_date
    start = listing_day(entry)
    if start is None or validity_rule(entry) is None:
        return None
    return _add_years(start, 3)


def is_valid(entry: CatalogueEntry, on: date) -> bool | None:
    """Whether the entry counts on that day; None when its validity is unknown."""
    if entry.listed_date and on < entry.listed_date:
        return False
    if entry.listed_year and on.year < entry.listed_year:
        return False
    until = valid_until(entry)
    if until is None:
        return None
    return on <= until


def deemed_performance_until(entry: CatalogueEntry) -> date | None:
    """Last day a Zhejiang-listed product is deemed to have the matching performance record.

    The rule is Zhejiang's and covers its own directory only; None for other catalogues
    and for entries whose listing date is unknown.
    """
    start = listing_day(entry)
    if start is None or "浙江" not in _origin(entry):
        return None
    return _add_years(start, 2)
