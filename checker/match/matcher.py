"""Procurement items ↔ catalogue entries.

Two passes. The first compares every item with every entry at once
(``rapidfuzz.process.cdist`` of the longest common subsequence of the names' content
characters) and keeps a few candidates per item. The second aligns each candidate
properly (``compare``) and applies what a plain string score cannot see: a different
capacity, an opposite attribute or a substituted word vetoes the match; an equal model
code supports it; a national directory's type entry needs every threshold met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from checker.catalogue import LEVEL_RANK, Catalogue, CatalogueEntry, is_valid, valid_until, validity_rule
from checker.match.compare import Comparison, compare
from checker.match.names import (
    EXCLUSIVE_GROUPS,
    HEAD_SYMBOLS,
    LINE,
    NameFeatures,
    name_features,
    readable,
    without_implied,
)
from checker.match.params import check_parameters
from checker.model import CatalogueMatch

MATCH_THRESHOLD = 80.0  # calibrated on corpus/matching/pairs.jsonl (benchmarks/match_quality.py)
CANDIDATES = 8  # kept per item by the first pass
FIRST_PASS_FLOOR = 0.45  # below this rough score an entry is not worth aligning
CODE_EQUAL_FLOOR = 90.0  # an equal model code lifts a plausible name to at least this
CODE_CONFLICT_PENALTY = 15.0
UNSTATED_CAPACITY_PENALTY = 5.0
TRAILING_PENALTY = 20.0  # the item names something after the product: a part, a tool, a consumable
TRAILING_CHAR_PENALTY = 10.0  # one such character (…纤维绳, …陶瓷板)
PRODUCT_OF_PENALTY = 10.0  # the item may be what the entry's line makes (碱性电池 of 碱性电池生产线)
MACHINE_SUFFIXES = frozenset("机器仪")  # one-character heads meaning "machine": 分级机 for 分级装备
TYPE_MISSING_ALLOWED = 1.0  # weight of a type entry's words the item may leave out (the 高 of 高导热)
PRINCIPAL_PENALTY = 3.0  # matched only a shorter reading of the entry's name (A of "A及B")
_CHUNK = 256  # items per cdist call, to bound the score matrices' memory


@dataclass
class _Index:
    entries: tuple[CatalogueEntry, ...]
    features: list[NameFeatures]
    contents: list[str]
    lengths: np.ndarray
    by_code: dict[str, list[int]]


_INDEXES: WeakKeyDictionary[Catalogue, _Index] = WeakKeyDictionary()


def _index(catalogue: Catalogue) -> _Index:
    index = _INDEXES.get(catalogue)
    if index is None:
        features = [name_features(e.name, e.model) for e in catalogue.entries]
        by_code: dict[str, list[int]] = {}
        for i, f in enumerate(features):
            for key in f.codes:
                by_code.setdefault(key, []).append(i)
        contents = [f.content for f in features]
        index = _Index(
            catalogue.entries, features, contents,
            np.array([max(len(c), 1) for c in contents], dtype=np.float32), by_code,
        )
        _INDEXES[catalogue] = index
    return index


def _candidates(index: _Index, items: list[NameFeatures]) -> list[set[int]]:
    """Entry indices worth aligning, per item: the best rough scores and any entry sharing a model code."""
    found: list[set[int]] = [set() for _ in items]
    if not index.entries:
        return found
    k = min(CANDIDATES, len(index.entries))
    for start in range(0, len(items), _CHUNK):
        chunk = items[start: start + _CHUNK]
        queries = [f.content for f in chunk]
        workers = -1 if len(queries) * len(index.contents) > 200_000 else 1
        common = process.cdist(queries, index.contents, scorer=LCSseq.similarity, dtype=np.int32, workers=workers)
        common = common.astype(np.float32)
        item_lengths = np.array([max(len(q), 1) for q in queries], dtype=np.float32)[:, None]
        # the same weighting as Comparison.score, on unweighted content characters
        rough = common / index.lengths[None, :]
        rough *= np.float32(0.75)
        rough += common * (np.float32(0.25) / item_lengths)
        best = np.argpartition(-rough, k - 1, axis=1)[:, :k]
        for row, columns in enumerate(best):
            found[start + row].update(int(c) for c in columns if rough[row, c] >= FIRST_PASS_FLOOR)
    for i, f in enumerate(items):
        for key in f.codes:
            found[i].update(index.by_code.get(key, ()))
    return found


def _best_comparison(item: NameFeatures, entry: NameFeatures) -> tuple[Comparison, str | None]:
    """The comparison with the whole entry name, or with a shorter reading of it when that fits better."""
    core, weights = without_implied(item, entry)
    best, reading = compare(entry.core, entry.weights, core, weights), None
    for alt_core, alt_weights in entry.alternatives:
        part = compare(alt_core, alt_weights, core, weights)
        if part.score - PRINCIPAL_PENALTY > best.score:
            best, reading = part, alt_core
    return best, reading


def _names_product_of(item: NameFeatures, entry: NameFeatures) -> bool:
    """The entry is a production line; the item names no line, equipment or machine.

    Only lines: equipment is often named without its head noun (FPSO), a line rarely is.
    """
    if not entry.core or entry.core[-1] != LINE:
        return False
    return not any(ch in HEAD_SYMBOLS for ch in item.core) and not (item.core and item.core[-1] in MACHINE_SUFFIXES)


def _readable_words(words: set[str]) -> str:
    return "/".join(sorted(w.upper() if w.isascii() else w for w in words))


def _conflicting_attributes(item: NameFeatures, entry: NameFeatures) -> tuple[str, str] | None:
    for group in EXCLUSIVE_GROUPS:
        mine, theirs = item.attributes.intersection(group), entry.attributes.intersection(group)
        if mine and theirs and mine.isdisjoint(theirs):
            return _readable_words(mine), _readable_words(theirs)
    return None


def _codes_reason(item: NameFeatures, entry: NameFeatures) -> tuple[bool | None, str | None]:
    """(True, reason) when a model code agrees, (False, reason) when both give codes that differ."""
    if not item.codes or not entry.codes:
        return None, None
    for key, written in item.codes.items():
        if key in entry.codes:
            return True, f"型号 {written} 一致"
        prefixed = next((entry.codes[k] for k in entry.codes if len(key) >= 4 and k.startswith(key)), None)
        if prefixed:
            return True, f"型号 {written} 是 {prefixed} 的主干"
        # LR6 inside QR-LR6-800 names the battery size the line makes, not another model
        related = next((entry.codes[k] for k in entry.codes if len(key) >= 3 and (key in k or k in key)), None)
        if related:
            return None, f"型号 {written} 包含在 {related} 中"
    mine = "、".join(item.codes.values())
    return False, f"型号 {mine} 不在目录型号 {'、'.join(entry.codes.values())} 之中"


_NOT_STATED = "标的未写明"  # a capacity note that costs points starts with this


def _capacity_check(item: NameFeatures, entry: NameFeatures) -> tuple[str | None, list[str]]:
    """(veto reason, notes): a capacity of the same kind with another value vetoes the match."""
    notes = []
    for wanted in entry.quantities:
        stated = [q for q in item.quantities if q.dimension == wanted.dimension]
        if not stated:
            notes.append(f"{_NOT_STATED}：规格 {wanted.text}")
        elif not any(q.same_as(wanted) for q in stated):
            return f"规格 {stated[0].text} ≠ {wanted.text}", notes
        else:
            notes.append(f"规格 {wanted.text} 一致")
    return None, notes


@dataclass
class Scored:
    score: float  # 0 when something vetoes the match
    reasons: list[str]


def _veto(reason: str) -> Scored:
    return Scored(0.0, [reason])


def score_pair(
    item_name: str, item: NameFeatures, entry: CatalogueEntry, features: NameFeatures,
    item_params: dict[str, Any] | None = None,
) -> Scored:
    """The item's score against one entry, with the reasons; a veto scores 0 and says why."""
    veto, capacity_notes = _capacity_check(item, features)
    if veto:
        return _veto(veto)
    conflict = _conflicting_attributes(item, features)
    if conflict:
        return _veto(f"{conflict[0]} ≠ {conflict[1]}")
    comparison, reading = _best_comparison(item, features)
    if comparison.substitution:
        entry_words, item_words = map(readable, comparison.substitution)
        return _veto(f"标的写的是 {item_words}，目录条目写的是 {entry_words}")
    if comparison.negation:
        return _veto("一方名称否定（无…）了另一方所述的内容")

    score = comparison.score - (PRINCIPAL_PENALTY if reading else 0.0)
    reasons = [f"名称：目录条目的词语有 {comparison.entry_coverage:.0%} 见于标的名称"]
    if reading:
        reasons.append(f"按目录条目名称中的产品部分比较：{readable(reading)}")
    if comparison.missing:
        reasons.append(f"标的名称中没有：{readable(comparison.missing)}")
    if comparison.extra:
        reasons.append(f"仅标的名称中有：{readable(comparison.extra)}")
    trailing = "" if comparison.trailing in MACHINE_SUFFIXES else comparison.trailing
    if trailing:
        score -= TRAILING_PENALTY if len(trailing) >= 2 else TRAILING_CHAR_PENALTY
        reasons.append(f"标的名称以 {readable(trailing)} 结尾：可能是零部件或另一种产品")
    if _names_product_of(item, features):
        score -= PRODUCT_OF_PENALTY
        reasons.append("目录条目是生产线，标的可能是它生产的产品")

    codes_agree, code_reason = _codes_reason(item, features)
    if codes_agree is True:
        # an equal code identifies the product when the names agree where they overlap
        plausible = comparison.entry_coverage >= 0.5 or comparison.item_coverage >= 0.9
        score = max(score + 5.0, CODE_EQUAL_FLOOR) if plausible else score + 5.0
    elif codes_agree is False:
        score -= CODE_CONFLICT_PENALTY
    if code_reason:
        reasons.append(code_reason)

    reasons += capacity_notes
    score -= UNSTATED_CAPACITY_PENALTY * sum(note.startswith(_NOT_STATED) for note in capacity_notes)

    if entry.type_keyed:
        if comparison.missing_weight > TYPE_MISSING_ALLOWED:
            return _veto(f"不属于目录类型 {entry.name}（标的缺少 {readable(comparison.missing)}）")
        reasons.append("国家目录的类型条目：产品须满足每一项指标")
        for check in check_parameters(entry.key_parameters, item_name, item_params):
            if check.meets is False:
                return _veto(check.reason())
            reasons.append(check.reason())
    return Scored(max(0.0, min(score, 100.0)), reasons)


def _validity(entry: CatalogueEntry, on: date) -> tuple[str | None, bool | None, str]:
    until = valid_until(entry)
    valid = is_valid(entry, on)
    rule = validity_rule(entry)
    if valid is None:
        reason = "有效期未知：目录未载明退出时间，也没有已知的有效期规则"
    elif valid:
        reason = f"{on.isoformat()} 有效（至 {until.isoformat()}；{rule}）"
    elif until and on > until:
        reason = f"已于 {until.isoformat()} 过期（{rule}）"
    else:
        reason = f"{on.isoformat()} 尚未列入目录（列入时间 {entry.listed}）"
    return (until.isoformat() if until else None), valid, reason


def to_match(entry: CatalogueEntry, score: float, reasons: list[str], on: date) -> CatalogueMatch:
    until, valid, validity_reason = _validity(entry, on)
    return CatalogueMatch(
        entry_id=entry.id,
        name=entry.name,
        company=entry.company_label,
        level=entry.level,
        kind=entry.kind,
        catalogue=entry.catalogue,
        region=entry.region,
        listed=entry.listed,
        valid_until=until,
        valid=valid,
        score=round(score, 1),
        reasons=[*reasons, validity_reason],
    )


def match_items(
    names: list[str],
    catalogue: Catalogue,
    *,
    params: list[dict[str, Any] | None] | None = None,
    on: date | None = None,
    limit: int = 3,
    min_score: float = MATCH_THRESHOLD,
) -> list[list[CatalogueMatch]]:
    """For each item name, the catalogue entries it is, best first (at most ``limit``).

    ``params[i]`` gives item i's stated parameters (name → value, e.g. ``{"分辨率": "≤38nm"}``)
    and/or its specification text under ``"spec"``; they are checked against national
    directory thresholds. ``on`` is the tender's date for validity (default: today).
    ``min_score`` below the calibrated threshold shows near misses (for review and calibration);
    at 0, vetoed candidates too, with the reason (``capacity 7500立方米 ≠ 20000立方米``).
    """
    on = on or date.today()
    if params is not None and len(params) != len(names):
        raise ValueError("params must give one dict (or None) per item name")
    index = _index(catalogue)
    items = [name_features(name) for name in names]
    candidates = _candidates(index, items)
    results: list[list[CatalogueMatch]] = []
    for i, (name, item) in enumerate(zip(names, items)):
        scored = []
        for e in candidates[i]:
            entry = index.entries[e]
            outcome = score_pair(name, item, entry, index.features[e], params[i] if params else None)
            if outcome.score >= min_score:
                scored.append((outcome.score, entry, outcome.reasons))
        # equal scores: the higher recognition level first (Shaoxing §四.2)
        scored.sort(key=lambda hit: (-hit[0], -LEVEL_RANK.get(hit[1].level, 0), hit[1].name))
        results.append([to_match(entry, score, reasons, on) for score, entry, reasons in scored[:limit]])
    return results
