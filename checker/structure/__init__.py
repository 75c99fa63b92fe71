"""Structure: normalised text → sections, clauses, procurement items and document facts."""

from __future__ import annotations

import re

from checker.model import StructuredDocument
from checker.normalise import NormalisedDocument
from checker.structure.clauses import build_clauses
from checker.structure.facts import detect_facts
from checker.structure.items import build_items
from checker.structure.sections import build_sections

_TENDER_WORDS = re.compile(r"招标|采购|投标|供应商|磋商|询价|比选|谈判|竞价|遴选|标段|评标|响应文件")


def looks_like_tender(text: str) -> bool:
    """Whether the text has tender wording; a text without it (a pasted clause) is still checked,
    with a warning in the report."""
    return len(_TENDER_WORDS.findall(text)) >= 2


def build_structure(doc: NormalisedDocument) -> StructuredDocument:
    sections = build_sections(doc)
    return StructuredDocument(
        raw=doc.raw,
        text=doc.text,
        source_index=doc.source_index,
        sections=sections,
        clauses=build_clauses(doc, sections),
        items=build_items(doc, sections),
        facts=detect_facts(doc.text),
    )
