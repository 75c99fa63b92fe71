"""DOCX tenders: paragraphs and tables in body order, heading levels from the styles."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.oxml.ns import qn

from checker.errors import InputError
from checker.ingest.limits import Limits
from checker.model import Block

_HEADING_STYLE = re.compile(r"^(?:heading|标题|title)\s*(\d)?", re.IGNORECASE)


def check_zip_bounds(data: bytes, limits: Limits) -> None:
    """Refuse zip bombs and XML with DOCTYPE declarations before python-docx opens anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"DOCX 文件已损坏或不完整（zip 结构错误：{exc}）", code="corrupt") from exc
    if len(infos) > limits.zip_max_entries:
        raise InputError(f"DOCX 含有 {len(infos)} 个 zip 条目（上限 {limits.zip_max_entries}）", code="zip_bomb")
    expanded = sum(i.file_size for i in infos)
    if expanded > limits.zip_max_expanded:
        raise InputError(
            f"DOCX 解压后达 {expanded // 2**20} MB（上限 {limits.zip_max_expanded // 2**20} MB）", code="zip_bomb"
        )
    for info in infos:
        if info.file_size > 2**20 and info.file_size > limits.zip_max_ratio * max(info.compress_size, 1):
            raise InputError(f"DOCX 条目 {info.filename} 的压缩比异常，疑似 zip 炸弹，已拒绝", code="zip_bomb")
        if info.filename.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as part:
                    head = part.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise InputError(f"DOCX 条目 {info.filename} 已损坏（{exc}）", code="corrupt") from exc
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise InputError(f"DOCX 部件 {info.filename} 含有 DOCTYPE 声明，已拒绝", code="doctype")


def read_docx(data: bytes, limits: Limits) -> tuple[list[Block], int]:
    check_zip_bounds(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors on broken packages
        raise InputError(f"DOCX 文件已损坏（{type(exc).__name__}：{exc}）", code="corrupt") from exc
    blocks: list[Block] = []
    table_index = 0
    body = document.element.body
    # Word writes w:lastRenderedPageBreak where its last layout broke the page: the page a reader saw
    pages = _PageCounter() if next(body.iter(qn("w:lastRenderedPageBreak")), None) is not None else None
    for number, element in enumerate(body.iterchildren(), 1):
        page = pages.advance(element) if pages else None
        if element.tag == qn("w:p"):
            _paragraph(docx.text.paragraph.Paragraph(element, document), blocks, number, page)
        elif element.tag == qn("w:tbl"):
            _table(docx.table.Table(element, document), table_index, blocks, number, page)
            table_index += 1
        elif element.tag == qn("w:sdt"):  # content controls wrap ordinary paragraphs
            for p in element.iter(qn("w:p")):
                _paragraph(docx.text.paragraph.Paragraph(p, document), blocks, number, page)
    return blocks, max(_page_count(document), pages.page if pages else 1)


class _PageCounter:
    """The rendered page of each body element: 1 + the rendered page breaks before it.

    A break inside an element moves the page on from that element's first character, so a
    paragraph is placed on the page where it starts."""

    def __init__(self) -> None:
        self.page = 1
        self._pending = 0

    def advance(self, element) -> int:
        self.page += self._pending
        breaks = list(element.iter(qn("w:lastRenderedPageBreak")))
        # a break before any text (the common case) means the element starts on the new page
        leading = 0
        for node in element.iter(qn("w:lastRenderedPageBreak"), qn("w:t")):
            if node.tag == qn("w:t") and (node.text or "").strip():
                break
            leading += node.tag == qn("w:lastRenderedPageBreak")
        self.page += leading
        self._pending = len(breaks) - leading
        return self.page


def _paragraph(paragraph, blocks: list[Block], number: int, page: int | None) -> None:
    text = paragraph.text.replace("\n", "\v")
    if not text.strip():
        return
    level = _heading_level(paragraph)
    blocks.append(Block(text=text, kind="heading" if level else "paragraph", level=level, paragraph=number, page=page))


def _heading_level(paragraph) -> int | None:
    style = paragraph.style
    while style is not None:
        match = _HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(1) or 1)
        style = style.base_style
    outline = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    if outline is not None:
        value = int(outline.get(qn("w:val"), "9"))
        return value + 1 if value < 9 else None
    return None


def _table(table, index: int, blocks: list[Block], number: int, page: int | None) -> None:
    for row_index, row in enumerate(table.rows):
        seen = set()
        col = 0
        for cell in row.cells:
            if id(cell._tc) in seen:  # a horizontally merged cell repeats in row.cells
                continue
            seen.add(id(cell._tc))
            text = "\v".join(p.text for p in cell.paragraphs if p.text.strip())
            for nested in cell.tables:
                text += "\v" + "\v".join(c.text for r in nested.rows for c in r.cells)
            blocks.append(Block(text=text, kind="cell", table=index, row=row_index, col=col, paragraph=number, page=page))
            col += 1


def _page_count(document) -> int:
    # DOCX has no fixed pages; the count Word saved in docProps/app.xml is the best available
    try:
        for rel in document.part.package.rels.values():
            if rel.reltype.endswith("/extended-properties"):
                xml = rel.target_part.blob.decode("utf-8", "ignore")
                match = re.search(r"<Pages>(\d+)</Pages>", xml)
                if match:
                    return int(match.group(1))
    except Exception:  # optional metadata; a missing or odd part is no error
        pass
    return 1
