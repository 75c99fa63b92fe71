"""Clauses: the sentence-level units that rules read, each with its offsets and section.

A paragraph is cut after 。!? (and at ; when it runs long); a table row is one clause,
its cells separated by tabs, so that a scoring row such as
"同类业绩\t10分\t每提供一个得2分" is read as one requirement.
"""

from __future__ import annotations

import re

from checker.model import Clause, Section
from checker.normalise import NormalisedDocument
from checker.structure.roles import clause_role
from checker.structure.sections import section_at

_SENTENCE_END = re.compile(r"(?<=[。!?])")
_SOFT_END = re.compile(r"(?<=;)")
_LONG = 260  # characters; a longer sentence is also cut at semicolons
_LONG_ROW = 500


def build_clauses(doc: NormalisedDocument, sections: list[Section]) -> list[Clause]:
    clauses: list[Clause] = []
    position = 0
    for line in doc.text.split("\n"):
        start = position
        position += len(line) + 1
        if not line.strip():
            continue
        if "\t" in line and len(line) <= _LONG_ROW:
            pieces = [(start, line)]
        else:  # a paragraph, or a row too long to read as one unit: cell by cell, sentence by sentence
            pieces = []
            cell_start = start
            for cell in line.split("\t"):
                pieces.extend(_sentences(cell, cell_start))
                cell_start += len(cell) + 1
        for piece_start, piece in pieces:
            stripped = piece.strip()
            if len(stripped) < 2:
                continue
            offset = piece_start + (len(piece) - len(piece.lstrip()))
            end = offset + len(stripped)
            index = section_at(sections, offset)
            block = doc.block_at(offset)
            role, reason = clause_role(stripped)
            clauses.append(
                Clause(
                    text=stripped,
                    start=offset,
                    end=end,
                    section=index,
                    section_kind=sections[index].kind if index is not None else "other",
                    page=block.page if block else None,
                    table=block.table if block else None,
                    row=block.row if block else None,
                    role=role,
                    role_reason=reason,
                )
            )
    return clauses


def _sentences(line: str, start: int):
    offset = start
    for sentence in _split(line, _SENTENCE_END):
        if len(sentence) > _LONG:
            inner = offset
            for part in _split(sentence, _SOFT_END):
                yield inner, part
                inner += len(part)
        else:
            yield offset, sentence
        offset += len(sentence)


def _split(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [part for part in pattern.split(text) if part]
