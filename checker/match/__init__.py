"""Matching tender items and brands against the first-set catalogue."""

from checker.match.brands import match_brand
from checker.match.matcher import MATCH_THRESHOLD, match_items

__all__ = ["MATCH_THRESHOLD", "match_brand", "match_items"]
