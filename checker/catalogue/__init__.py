"""The first-set (首台（套）) catalogue: entries, loading and import, validity rules."""

from checker.catalogue.catalogue import Catalogue
from checker.catalogue.load import ImportResult
from checker.catalogue.model import KINDS, LEVEL_RANK, LEVELS, CatalogueEntry
from checker.catalogue.parameters import KeyParameter
from checker.catalogue.validity import deemed_performance_until, is_valid, valid_until, validity_rule

__all__ = [
    "KINDS",
    "LEVELS",
    "LEVEL_RANK",
    "Catalogue",
    "CatalogueEntry",
    "ImportResult",
    "KeyParameter",
    "deemed_performance_until",
    "is_valid",
    "valid_until",
    "validity_rule",
]
