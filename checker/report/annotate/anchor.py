"""Find a finding's excerpt in the document's own text, whatever the document looks like.

The excerpt comes from the normalised text (NFKC, Simplified, no spaces between CJK characters,
wrapped lines joined, running headers dropped, table cells joined by tabs or `` | ``); the
document holds the original characters. Both sides are folded the same way (``fold_char``,
OpenCC t2s, whitespace dropped) and the search runs on the folded stream, which keeps for
every folded character the position of the original character it came from.

A finding is anchored on (in this order of preference) the whole excerpt; its cells or lines
one by one; its words one by one; the stretch between its first and last few characters (a running header or a
page break inside it); the matched words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from checker.normalise import MASK, fold_char, to_simplified
from checker.textmap import MappedText

_MASK_SOURCE = r"(?:\*+|\(略\)|×+)"
_PIECE_SPLIT = re.compile(r"\t| \| |\n|\v|\f")
_ELLIPSIS = "…"
_EDGE = 16  # characters of the excerpt's head and tail tried when the whole does not match
_MIN_PIECE = 2


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each folded character the index of its original."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for out in fold_char(ch):
            chars.append(out)
            origin.append(i)
    folded = "".join(chars)
    simplified = to_simplified(MappedText(folded))
    if len(simplified.text) == len(folded):
        folded = simplified.text
    keep = [i for i, ch in enumerate(folded) if not ch.isspace()]
    return "".join(folded[i] for i in keep), [origin[i] for i in keep]


def fold_plain(text: str) -> str:
    return fold(text)[0]


@dataclass
class Stream:
    """The document's text as one folded string with a map back to the original characters."""

    text: str  # folded
    origin: list[int]  # folded index → index into ``source``
    source_length: int

    @classmethod
    def of(cls, source: str) -> "Stream":
        text, origin = fold(source)
        return cls(text, origin, len(source))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Folded [start, end) → original [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


@dataclass
class Anchor:
    spans: list[tuple[int, int]] = field(default_factory=list)  # original-text spans, in order
    how: str = ""  # whole | pieces | edges | matched

    def __bool__(self) -> bool:
        return bool(self.spans)


def _pattern(folded: str) -> re.Pattern[str]:
    parts = [re.escape(part) for part in folded.split(MASK)]
    return re.compile(_MASK_SOURCE.join(parts))


def _occurrences(stream: Stream, folded: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    hi = len(stream.text) if hi is None else hi
    if MASK in folded:
        return [(m.start(), m.end()) for m in _pattern(folded).finditer(stream.text, lo, hi) if m.end() > m.start()]
    found, position = [], stream.text.find(folded, lo, hi)
    while position != -1:
        found.append((position, position + len(folded)))
        position = stream.text.find(folded, position + 1, hi)
    return found


def _best(found: list[tuple[int, int]], distance: Callable[[int], float]) -> tuple[int, int] | None:
    return min(found, key=lambda span: distance(span[0]), default=None)


def pieces(excerpt: str) -> list[str]:
    """The excerpt without truncation marks, split at cell and line boundaries, folded."""
    excerpt = excerpt.strip().strip(_ELLIPSIS)
    return [p for p in (fold_plain(piece) for piece in _PIECE_SPLIT.split(excerpt)) if p]


def locate(stream: Stream, excerpt: str, distance: Callable[[int], float], matched: str = "") -> Anchor:
    """Where ``excerpt`` is in ``stream`` (folded offsets turned into original spans).

    ``distance(folded_offset)`` ranks several occurrences: the one nearest the finding's known
    place (its page, its offset) wins.
    """
    parts = pieces(excerpt)
    whole = "".join(parts)
    if not whole:
        return Anchor()
    span = _best(_occurrences(stream, whole), distance)
    if span:
        return _anchor([span], stream, "whole")

    # cell by cell (a table row the document holds in another order, or with text between cells)
    spans = _pieces_near(stream, parts, distance)
    if spans:
        return _anchor(spans, stream, "pieces")

    # word by word: the text was extracted with stray characters between the words
    tokens = [t for t in (fold_plain(w) for w in re.split(r"\s+", excerpt.strip().strip(_ELLIPSIS))) if t]
    if len(tokens) > len(parts):
        spans = _pieces_near(stream, tokens, distance)
        if spans:
            start, end = spans[0][0], spans[-1][1]
            if end - start <= 2 * len(whole) + 40:
                spans = [(start, end)]
            return _anchor(spans, stream, "words")

    # head … tail: a running header, a footnote or a page break stands inside the excerpt
    if len(whole) > 2 * _EDGE:
        head, tail = whole[:_EDGE], whole[-_EDGE:]
        for start, head_end in sorted(_occurrences(stream, head), key=lambda s: distance(s[0])):
            limit = min(len(stream.text), start + 2 * len(whole) + 400)
            tails = _occurrences(stream, tail, head_end, limit)
            if tails:
                return _anchor([(start, tails[0][1])], stream, "edges")

    # the words the rule matched, near where the finding is
    folded_matched = fold_plain(matched) if matched else ""
    if len(folded_matched) >= _MIN_PIECE:
        span = _best(_occurrences(stream, folded_matched), distance)
        if span:
            return _anchor([span], stream, "matched")
    return Anchor()


def _pieces_near(stream: Stream, parts: Sequence[str], distance: Callable[[int], float]) -> list[tuple[int, int]]:
    """Each substantial piece found near the longest one; enough of the excerpt must be found."""
    substantial = list(dict.fromkeys(p for p in parts if len(p) >= _MIN_PIECE and not p.isdigit()))
    if len(substantial) < 2 and len(parts) < 2:
        return []
    longest = max(substantial or parts, key=len)
    anchor = _best(_occurrences(stream, longest), distance)
    if anchor is None:
        return []
    window = 2 * sum(len(p) for p in parts) + 400
    lo, hi = max(0, anchor[0] - window), min(len(stream.text), anchor[1] + window)
    spans = [anchor]
    for piece in substantial:
        if piece is longest:
            continue
        found = _occurrences(stream, piece, lo, hi)
        span = min(found, key=lambda s: abs(s[0] - anchor[0]), default=None)
        if span:
            spans.append(span)
    covered = sum(e - s for s, e in spans)
    if covered < 0.6 * sum(len(p) for p in substantial):
        return []
    return sorted(set(spans))


def _anchor(spans: list[tuple[int, int]], stream: Stream, how: str) -> Anchor:
    return Anchor([stream.source_span(s, e) for s, e in spans], how)
