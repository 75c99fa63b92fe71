"""Plain data types passed between the pipeline stages.

ingest → RawDocument (blocks with page / table positions)
normalise → NormalisedDocument (one text, a map back to the extracted text)
structure → StructuredDocument (sections, clauses, procurement items, document facts)
detect / match → Finding, CatalogueMatch
report → dict / text / HTML / SARIF

Offsets called ``start``/``end`` are always into the *normalised* text; ``source``
offsets are into the extracted text (the blocks laid out one after another).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

SEVERITIES = ("advice", "risk", "violation")  # ascending


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


SECTION_KINDS = (
    "notice",
    "qualification",
    "scoring",
    "technical",
    "commercial",
    "contract",
    "forms",
    "other",
)

CATEGORIES = (
    "market_share",
    "prior_performance",
    "regional_performance_or_awards",
    "scale_condition",
    "establishment_years",
    "brand_designation",
    "brand_list",
    "tailored_parameters",
    "locality_or_ownership",
    "manufacturer_authorization",
    "other_discriminatory",
    "deemed_performance",
    "catalogue_level",
    "first_set_preference",
)

JURISDICTIONS = ("national", "zhejiang", "hangzhou", "shaoxing", "tianjin", "shenyang")

REGIMES = ("government_procurement", "tendering", "enterprise")


# ---------------------------------------------------------------- ingest


@dataclass(slots=True)
class Block:
    """One piece of text as the file holds it: a line or paragraph, a heading, or a table cell."""

    text: str
    page: int | None = None  # 1-based; None where the format has no pages (DOCX, HTML, text)
    kind: str = "paragraph"  # paragraph | heading | cell
    level: int | None = None  # heading level given by the file's own styles (DOCX Heading N, <hN>)
    table: int | None = None  # table index in the document; a table continued over a page keeps its index
    row: int | None = None
    col: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    paragraph: int | None = None  # DOCX: 1-based body paragraph (a table counts as one)
    line: int | None = None  # HTML and text: 1-based line of the source file
    source_start: int = 0  # offset of this block in the extracted text (set by layout_blocks)


@dataclass(slots=True)
class QualityWarning:
    """An extraction-quality signal: the text of these pages may be wrong or missing."""

    code: str  # no_text_layer | cid_glyphs | private_use_chars | doubled_chars | page_cap | ...
    message: str
    pages: list[int] = field(default_factory=list)


@dataclass
class RawDocument:
    name: str
    format: str  # pdf | docx | html | text
    sha256: str
    pages: int  # 1 for formats without pages
    blocks: list[Block]
    warnings: list[QualityWarning] = field(default_factory=list)

    @property
    def source_text(self) -> str:
        return layout_blocks(self.blocks)


def layout_blocks(blocks: list[Block]) -> str:
    """Lay the blocks out as one extracted text, recording each block's offset.

    Cells of one table row are joined by a tab, rows and other blocks end with a newline;
    a page break is a form feed so that the normaliser can see page boundaries.
    """
    parts: list[str] = []
    offset = 0
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            same_row = (
                block.table is not None
                and block.table == previous.table
                and block.row == previous.row
            )
            if same_row:
                sep = "\t"
            elif block.bbox is not None and block.page is not None and previous.page is not None and block.page != previous.page:
                sep = "\f"
            else:
                sep = "\n"
            parts.append(sep)
            offset += 1
        block.source_start = offset
        parts.append(block.text)
        offset += len(block.text)
        previous = block
    return "".join(parts)


# ---------------------------------------------------------------- structure


@dataclass
class Section:
    heading: str
    kind: str  # one of SECTION_KINDS
    level: int  # 1 = chapter
    start: int  # offset of the heading in the normalised text
    end: int  # end of the section's body (exclusive)
    page: int | None = None
    parent: int | None = None  # index of the enclosing section

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Clause:
    """A sentence-level unit of requirement text, or one table row."""

    text: str
    start: int
    end: int
    section: int | None  # index into StructuredDocument.sections
    section_kind: str
    page: int | None = None
    table: int | None = None
    row: int | None = None
    role: str = "requirement"  # what the clause does (checker.structure.roles); rules judge requirements only
    role_reason: str = ""


@dataclass
class CatalogueMatch:
    entry_id: str
    name: str
    company: str | None
    level: str | None
    kind: str | None
    catalogue: str | None
    region: str | None
    listed: str | None  # ISO date (or year) of listing
    valid_until: str | None  # ISO date, None when the catalogue does not say
    valid: bool | None  # on the tender's date; None when unknown
    score: float
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Item:
    """A thing being bought: a goods-table row or an item named in the text."""

    name: str
    start: int
    end: int
    page: int | None = None
    section: str | None = None
    table: int | None = None
    row: int | None = None
    quantity: str | None = None
    unit: str | None = None
    spec: str | None = None
    brands: list[str] = field(default_factory=list)
    brands_open: bool = False  # brand list followed by 或同等 / 或相当 / 不限于
    catalogue_matches: list[CatalogueMatch] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class DocumentFacts:
    title: str | None = None
    purchaser: str | None = None
    date: date | None = None  # the tender's own date (公告/落款), None when not found
    province: str | None = None
    city: str | None = None
    jurisdiction: str = "national"
    regime: str = "government_procurement"
    budget_wan: float | None = None  # 预算金额 / 最高限价, in 万元
    evidence: dict[str, str] = field(default_factory=dict)  # fact -> the text it was read from


@dataclass
class StructuredDocument:
    raw: RawDocument
    text: str  # normalised text
    source_index: list[int] | Any  # for each normalised char, its offset in raw.source_text
    sections: list[Section]
    clauses: list[Clause]
    items: list[Item]
    facts: DocumentFacts


# ---------------------------------------------------------------- findings


@dataclass
class Citation:
    document: str  # e.g. 《政府采购法实施条例》
    article: str  # e.g. 第二十条第（六）项
    quote: str | None = None
    status: str = "in_force"  # in_force | draft
    jurisdiction: str = "national"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Location:
    start: int
    end: int
    page: int | None = None
    section: str | None = None  # heading of the innermost section
    section_kind: str | None = None
    table: int | None = None
    row: int | None = None
    bbox: list[float] | None = None
    paragraph: int | None = None  # DOCX body paragraph, 1-based
    line: int | None = None  # HTML / text source line, 1-based

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Finding:
    rule_id: str
    category: str
    severity: str
    message: str
    legal_basis: list[Citation]
    suggestion: str
    excerpt: str
    location: Location
    title: str = ""
    jurisdiction: str = "national"  # whose rule was applied
    evidence: dict[str, Any] = field(default_factory=dict)
    # the same problem elsewhere in the document (前附表 and body, one row per product): one
    # finding, every place; each is {"location": {...}, "excerpt": "..."}
    occurrences: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["location"] = self.location.to_dict()
        d["legal_basis"] = [c.to_dict() for c in self.legal_basis]
        return d
