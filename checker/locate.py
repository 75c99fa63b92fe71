"""Where an offset of the normalised text is: page, section, table position, box."""

from __future__ import annotations

import re

from checker.model import Location, StructuredDocument
from checker.normalise import block_at
from checker.structure.sections import section_at


_LAYOUT_BREAKS = re.compile(r"[ \t]*[\n\v\f]+[ \t]*")


class Locator:
    def __init__(self, doc: StructuredDocument):
        self.doc = doc
        self.blocks = doc.raw.blocks
        self.starts = [b.source_start for b in self.blocks]
        self._source: str | None = None

    def original(self, start: int, end: int) -> str:
        """The characters of the file behind normalised ``[start, end)``, as Ctrl+F in the original
        finds them: full-width digits, Traditional script and spaces kept; only the line and cell
        breaks of the layout are dropped (table cells are joined by a space)."""
        index = self.doc.source_index
        if end <= start or not len(index):
            return ""
        if self._source is None:
            self._source = self.doc.raw.source_text
        first, last = index[min(start, len(index) - 1)], index[min(end, len(index)) - 1]
        text = self._source[first:last + 1].replace("\t", " ")
        return _LAYOUT_BREAKS.sub("", text).strip()

    def block(self, offset: int):
        return block_at(self.blocks, self.starts, self.doc.source_index, offset)

    def location(self, start: int, end: int) -> Location:
        block = self.block(start)
        section = section_at(self.doc.sections, start)
        return Location(
            start=start,
            end=end,
            page=block.page if block else None,
            section=self.doc.sections[section].heading if section is not None else None,
            section_kind=self.doc.sections[section].kind if section is not None else None,
            table=block.table if block else None,
            row=block.row if block else None,
            bbox=list(block.bbox) if block is not None and block.bbox else None,
            paragraph=block.paragraph if block else None,
            line=block.line if block else None,
        )
