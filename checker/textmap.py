"""A text together with, for each of its characters, the offset it came from in an original text.

Every normalisation step is an edit of a MappedText, so a finding in the normalised text
can always be traced back to the page and box of the extracted text.
"""

from __future__ import annotations

import re
from collections.abc import Callable


class MappedText:
    __slots__ = ("text", "index")

    def __init__(self, text: str, index: list[int] | None = None):
        self.text = text
        self.index = index if index is not None else list(range(len(text)))

    def __len__(self) -> int:
        return len(self.text)

    def translate_chars(self, convert: Callable[[str], str]) -> MappedText:
        """Replace each character by ``convert(char)`` (possibly several characters or none)."""
        cache: dict[str, str] = {}
        pieces: list[str] = []
        index: list[int] = []
        changed = False
        for ch, origin in zip(self.text, self.index):
            out = cache.get(ch)
            if out is None:
                out = cache[ch] = convert(ch)
            if out != ch:
                changed = True
            pieces.append(out)
            if len(out) == 1:
                index.append(origin)
            else:
                index.extend([origin] * len(out))
        if not changed:
            return self
        return MappedText("".join(pieces), index)

    def replace_same_length(self, converted: str) -> MappedText:
        """Take a character-for-character conversion of the whole text (e.g. Traditional → Simplified)."""
        assert len(converted) == len(self.text)
        return MappedText(converted, self.index)

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> MappedText:
        """Regex substitution that keeps the map: kept characters keep their origin, new ones map to the match."""
        pieces: list[str] = []
        index: list[int] = []
        last = 0
        text, origins = self.text, self.index
        for match in pattern.finditer(text):
            start, end = match.span()
            pieces.append(text[last:start])
            index.extend(origins[last:start])
            out = repl(match) if callable(repl) else match.expand(repl)
            pieces.append(out)
            index.extend(_replacement_origins(match, out, origins))
            last = end
        if last == 0 and not pieces:
            return self
        pieces.append(text[last:])
        index.extend(origins[last:])
        return MappedText("".join(pieces), index)


def _replacement_origins(match: re.Match[str], out: str, origins: list[int]) -> list[int]:
    start, end = match.span()
    matched = match.group(0)
    if len(out) == end - start:
        return origins[start:end]
    position = matched.find(out) if out else -1
    if position >= 0:
        return origins[start + position : start + position + len(out)]
    anchor = origins[start] if start < len(origins) else (origins[-1] if origins else 0)
    return [anchor] * len(out)


def delete_ranges(mapped: MappedText, ranges: list[tuple[int, int]]) -> MappedText:
    """Drop the characters in the given [start, end) ranges of ``mapped.text``."""
    if not ranges:
        return mapped
    pieces: list[str] = []
    index: list[int] = []
    last = 0
    for start, end in sorted(ranges):
        start = max(start, last)
        if start >= end:
            continue
        pieces.append(mapped.text[last:start])
        index.extend(mapped.index[last:start])
        last = end
    pieces.append(mapped.text[last:])
    index.extend(mapped.index[last:])
    return MappedText("".join(pieces), index)


def replace_at(mapped: MappedText, replacements: dict[int, str]) -> MappedText:
    """Replace single characters at the given positions by a string (possibly empty)."""
    if not replacements:
        return mapped
    pieces: list[str] = []
    index: list[int] = []
    last = 0
    for position in sorted(replacements):
        pieces.append(mapped.text[last:position])
        index.extend(mapped.index[last:position])
        out = replacements[position]
        pieces.append(out)
        index.extend([mapped.index[position]] * len(out))
        last = position + 1
    pieces.append(mapped.text[last:])
    index.extend(mapped.index[last:])
    return MappedText("".join(pieces), index)
