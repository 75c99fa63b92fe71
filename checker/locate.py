"""Where an offset of the normalised text is: page, section, table position, box."""

from __future__ import annotations

from checker.model import Location, StructuredDocument
from checker.normalise import block_at
from checker.structure.sections import section_at


class Locator:
    def __init__(self, doc: StructuredDocument):
        self.doc = doc
        self.blocks = doc.raw.blocks
        self.starts = [b.source_start for b in self.blocks]

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
        )
