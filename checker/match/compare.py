"""Aligning two product names and saying how much of each the other covers.

The names are aligned on their longest common subsequence. What is left over is read in
gaps (before, between and after the aligned runs):

- a gap where *both* names have content words is a substitution: 泥水平衡 against 土压平衡,
  硫酸 against 硝酸, 立式 against 卧式. Different products differ exactly there.
- a gap where only the item has words is an addition (磁共振 in 1.5T无液氦超导磁共振磁体系统);
  additions after the end are what the item really is (…内拉床刀具 is a tool, not the machine).
- characters left over on one side that occur, unaligned, on the other are counted as
  found: tenders reorder words (全极耳动力电池 for 动力电池全极耳).
- a negation (无液氦, 无酸) on one side only, before words both share, reverses the meaning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

CONTENT = 1.0  # characters weighing this much or more are content, lighter ones are generic words
NEGATIONS = frozenset("无非免")  # not 不: 不锈钢 is a material, not a negation


@dataclass(frozen=True, slots=True)
class Comparison:
    entry_coverage: float  # weighted share of the entry's name found in the item
    item_coverage: float  # weighted share of the item's name found in the entry
    missing: str  # entry content not found in the item
    missing_weight: float  # its weight (a Latin word such as ArF weighs more than one character)
    extra: str  # item content not found in the entry
    substitution: tuple[str, str] | None  # (entry words, item words) standing in the same place
    trailing: str  # item content after the last aligned run
    negation: bool  # one name negates (无…) what both names say

    @property
    def score(self) -> float:
        # tenders add words around a product's name far more often than they drop its words
        return 100.0 * (0.75 * self.entry_coverage + 0.25 * self.item_coverage)


def compare(
    entry_core: str,
    entry_weights: tuple[float, ...],
    item_core: str,
    item_weights: tuple[float, ...],
) -> Comparison:
    blocks = LCSseq.editops(entry_core, item_core).as_matching_blocks()
    entry_found = [False] * len(entry_core)
    item_found = [False] * len(item_core)
    for block in blocks:
        for k in range(block.size):
            entry_found[block.a + k] = True
            item_found[block.b + k] = True
    _rescue_reordered(entry_core, entry_found, item_core, item_found)

    substitution = None
    trailing = ""
    a_end = b_end = 0
    for block in blocks:  # the last block is an empty sentinel at the ends, so trailing gaps are seen
        entry_gap = _unfound(entry_core, entry_weights, entry_found, a_end, block.a)
        item_gap = _unfound(item_core, item_weights, item_found, b_end, block.b)
        if entry_gap and item_gap and substitution is None:
            substitution = (entry_gap, item_gap)
        if block.size == 0:
            trailing = item_gap
        a_end, b_end = block.a + block.size, block.b + block.size

    return Comparison(
        entry_coverage=_coverage(entry_weights, entry_found),
        item_coverage=_coverage(item_weights, item_found),
        missing=_unfound(entry_core, entry_weights, entry_found, 0, len(entry_core)),
        missing_weight=sum(w for w, f in zip(entry_weights, entry_found) if not f and w >= CONTENT),
        extra=_unfound(item_core, item_weights, item_found, 0, len(item_core)),
        substitution=substitution,
        trailing=trailing,
        negation=_one_sided_negation(entry_core, entry_found) or _one_sided_negation(item_core, item_found),
    )


def _one_sided_negation(text: str, found: list[bool]) -> bool:
    """An unaligned 无 right before an aligned character: the other name lacks the negation."""
    return any(
        ch in NEGATIONS and not found[k] and k + 1 < len(text) and found[k + 1]
        for k, ch in enumerate(text)
    )


def _rescue_reordered(entry: str, entry_found: list[bool], item: str, item_found: list[bool]) -> None:
    spare = Counter(ch for ch, found in zip(item, item_found) if not found)
    for i, ch in enumerate(entry):
        if not entry_found[i] and spare[ch] > 0:
            spare[ch] -= 1
            entry_found[i] = True
            j = next(j for j, (c, f) in enumerate(zip(item, item_found)) if c == ch and not f)
            item_found[j] = True


def _unfound(text: str, weights: tuple[float, ...], found: list[bool], start: int, end: int) -> str:
    return "".join(text[k] for k in range(start, end) if not found[k] and weights[k] >= CONTENT)


def _coverage(weights: tuple[float, ...], found: list[bool]) -> float:
    total = sum(weights)
    if total == 0:
        return 0.0
    return sum(w for w, f in zip(weights, found) if f) / total
