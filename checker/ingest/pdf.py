"""PDF tenders.

Every page's text comes from pypdfium2 (fast). Pages whose drawing suggests a ruled table
go to pdfplumber's table finder, fed with the ruling lines pdfium already read (explicit
edges), so pdfminer never has to parse the page; each cell's text is then read from
pdfium's text layer inside the cell's box. Tables that run over a page break are joined.
Each line keeps its page and box so that a finding can point at it, and so that the
normaliser can tell a wrapped line from a paragraph end.
"""

from __future__ import annotations

import ctypes
import io
import os
import pickle
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from checker.errors import InputError, TooLarge
from checker.ingest.limits import Limits
from checker.model import Block, QualityWarning

# A ruled table draws its grid as path objects; running text draws none, a header rule one or two.
_TABLE_PATH_THRESHOLD = 6
# Header and footer bands (fraction of page height) ignored when deciding whether a table
# touches the page edge and so may continue on the next page.
_EDGE_BAND = 0.12
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class _Table:
    rows: list[list[str]]
    cell_boxes: list[list[tuple | None]]
    top: float
    bottom: float
    index: int = -1


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line]
    path_count: int
    image_count: int
    edges: list[dict] = field(default_factory=list)  # ruling lines, in pdfplumber's edge form
    tables: list[_Table] = field(default_factory=list)
    failed: bool = False  # the page's text or drawing could not be read in full


def read_pdf(data: bytes, limits: Limits) -> tuple[list[Block], int, list[QualityWarning]]:
    count = _page_count(data, limits)
    numbers = list(range(1, count + 1))
    pages = None
    if count >= _PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        half = count // 2
        pages = _in_two_processes(lambda part: _read_range(data, part), numbers[:half], numbers[half:])
    if pages is None:
        pages = _read_range(data, numbers)
    warnings = _quality(pages)
    unread = sorted(p.number for p in pages if p.failed)
    if unread:
        warnings.append(QualityWarning(
            "page_fallback", "这些页的表格或字体无法解析，已按纯文本行读取（表格结构可能丢失）", unread))
    return _assemble(pages), len(pages), warnings


def _has_grid(page: _Page) -> bool:
    """pdfplumber's explicit strategy needs two ruling lines each way; a page with horizontal
    rules only (a header rule, an underlined title) has no table to find."""
    vertical = sum(e["orientation"] == "v" for e in page.edges)
    return vertical >= 2 and len(page.edges) - vertical >= 2


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).lower()
        if "password" in reason or "security" in reason:
            raise InputError("PDF 已加密（设有密码）：请去除密码后重试", code="encrypted") from exc
        raise InputError(f"PDF 文件已损坏或不完整（{exc}）", code="corrupt") from exc


def _page_count(data: bytes, limits: Limits) -> int:
    pdf = _open(data)
    try:
        count = len(pdf)
    finally:
        pdf.close()
    if count == 0:
        raise InputError("PDF 没有任何页面", code="corrupt")
    if count > limits.max_pages:
        raise TooLarge(f"PDF 共 {count} 页，超过 {limits.max_pages} 页的页数上限")
    return count


def _read_range(data: bytes, numbers: list[int]) -> list[_Page]:
    """These pages whole: text lines with their boxes, the drawing, and the tables it rules."""
    pages = _read_pages(data, numbers)
    table_pages = [p for p in pages if p.path_count >= _TABLE_PATH_THRESHOLD and _has_grid(p)]
    if table_pages:
        _find_tables(data, table_pages)
    return pages


def _read_pages(data: bytes, numbers: list[int]) -> list[_Page]:
    pdf = _open(data)
    try:
        pages = []
        for number in numbers:
            try:
                page = pdf[number - 1]
            except pdfium.PdfiumError as exc:
                raise InputError(f"PDF 文件已损坏：第 {number} 页无法读取（{exc}）", code="corrupt") from exc
            try:
                pages.append(_read_page(page, number))
            except Exception:  # one page's broken font or drawing never fails the document
                pages.append(_Page(number=number, height=page.get_height(), lines=[], path_count=0,
                                   image_count=0, failed=True))
            finally:
                page.close()
        return pages
    finally:
        pdf.close()


def _read_page(page, number: int) -> _Page:
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        lines = []
        start = 0
        for match in [*_LINE_BREAK.finditer(text), None]:
            end = match.start() if match else len(text)
            line = _line(textpage, text, start, end, height)
            if line is not None:
                lines.append(line)
            if match:
                start = match.end()
    finally:
        textpage.close()
    paths = images = 0
    edges: list[dict] = []
    bounds = [ctypes.c_float() for _ in range(4)]
    # raw calls: a page can hold thousands of text objects and only their type matters here
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
            if pdfium_c.FPDFPageObj_GetBounds(obj, *bounds):
                edges += _edges(*(b.value for b in bounds), height)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
    return _Page(number=number, height=height, lines=lines, path_count=paths, image_count=images, edges=edges)


_THIN = 2.5  # points: a path this thin is a ruling line, not a box


def _edges(left: float, bottom: float, right: float, top: float, height: float) -> list[dict]:
    """A path's bounds as pdfplumber edges (top-down coordinates): a line gives one, a box four."""
    y_top, y_bottom = height - top, height - bottom

    def edge(x0, x1, t, b, orientation):
        return {"object_type": "rect_edge", "x0": x0, "x1": x1, "top": t, "bottom": b,
                "width": x1 - x0, "height": b - t, "orientation": orientation}

    width, tall = right - left, y_bottom - y_top
    if width < _THIN and tall < _THIN:
        return []
    if tall < _THIN:
        middle = (y_top + y_bottom) / 2
        return [edge(left, right, middle, middle, "h")]
    if width < _THIN:
        middle = (left + right) / 2
        return [edge(middle, middle, y_top, y_bottom, "v")]
    return [
        edge(left, right, y_top, y_top, "h"),
        edge(left, right, y_bottom, y_bottom, "h"),
        edge(left, left, y_top, y_bottom, "v"),
        edge(right, right, y_top, y_bottom, "v"),
    ]


def _line(textpage, text: str, start: int, end: int, height: float) -> _Line | None:
    segment = text[start:end]
    stripped = segment.strip()
    if not stripped:
        return None
    first = start + (len(segment) - len(segment.lstrip()))
    last = start + len(segment.rstrip()) - 1
    left, bottom, _, top = textpage.get_charbox(first)
    _, bottom2, right, top2 = textpage.get_charbox(last)
    return _Line(
        text=_undouble(stripped),
        x0=left,
        top=height - max(top, top2),
        x1=right,
        bottom=height - min(bottom, bottom2),
    )


def _undouble(line: str) -> str:
    """Fake-bold text drawn twice yields '投投标标人人'; keep one of each pair when the whole line is doubled."""
    if len(line) >= 6 and len(line) % 2 == 0 and all(line[i] == line[i + 1] for i in range(0, len(line), 2)):
        return line[::2]
    return line


# Below this many pages one process reads them all; above it the second half is read by a forked
# second process (pdfplumber's cell search is pure Python and dominates a long tender).
_PARALLEL_FROM = 40

def _find_tables(data: bytes, pages: list[_Page]) -> None:
    """Each page's ruled tables: pdfplumber's finder fed the ruling lines pdfium read, each cell's
    text read by pdfium. A page where that fails keeps its text as plain lines and is marked
    ``failed`` (a fault on one page never fails the document)."""
    import pdfplumber

    pdf = _open(data)
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[p.number for p in pages]) as plumber:
            for page, plumber_page in zip(pages, plumber.pages):
                settings = {
                    "vertical_strategy": "explicit",
                    "horizontal_strategy": "explicit",
                    "explicit_vertical_lines": [e for e in page.edges if e["orientation"] == "v"],
                    "explicit_horizontal_lines": [e for e in page.edges if e["orientation"] == "h"],
                }
                try:
                    page.tables = _read_tables(pdf, page, plumber_page.find_tables(settings))
                except Exception:
                    page.tables, page.failed = [], True
                finally:
                    plumber_page.close()
    finally:
        pdf.close()


def _in_two_processes(work, mine: list, theirs: list):
    """``work(mine) + work(theirs)``, the second part in a forked child; None when that cannot be
    done (the caller then does all the work itself). An error raised by ``work`` here propagates."""
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: work, send, leave without running any of the parent's exit handlers
        status = 0
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(work(theirs), out, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            status = 1
        os._exit(status)
    os.close(write_end)
    received = None
    try:
        result = work(mine)
        with os.fdopen(read_end, "rb") as incoming:
            try:
                received = pickle.load(incoming)
            except (EOFError, pickle.UnpicklingError):
                received = None
    finally:
        os.waitpid(pid, 0)
    return None if received is None else result + received


def _read_tables(pdf: pdfium.PdfDocument, page: _Page, found) -> list[_Table]:
    tables: list[_Table] = []
    if not found:
        return tables
    source = pdf[page.number - 1]
    textpage = source.get_textpage()
    try:
        for table in found:
            boxes = [list(row.cells) for row in table.rows]
            rows = [[_cell_text(textpage, box, page.height) for box in row] for row in boxes]
            if rows and max(len(r) for r in rows) >= 2:
                tables.append(_Table(rows, boxes, top=table.bbox[1], bottom=table.bbox[3]))
    finally:
        textpage.close()
        source.close()
    return tables


def _cell_text(textpage, box: tuple | None, height: float) -> str:
    """The text pdfium finds inside a cell (pdfplumber's boxes are top-down, pdfium's bottom-up)."""
    if not box:
        return ""
    x0, top, x1, bottom = box
    text = textpage.get_text_bounded(left=x0 + 0.5, bottom=height - bottom + 0.5, right=x1 - 0.5, top=height - top - 0.5)
    return "\v".join(part.strip() for part in _LINE_BREAK.split(text) if part.strip())


def _quality(pages: list[_Page]) -> list[QualityWarning]:
    empty = [p.number for p in pages if sum(len(line.text) for line in p.lines) < 5]
    if len(empty) == len(pages) or len(empty) > 0.5 * len(pages):
        raise InputError(
            f"{len(pages)} 页中有 {len(empty)} 页没有文字层：该 PDF 疑似扫描件，请先进行 OCR 文字识别",
            code="scanned",
        )
    warnings = []
    if empty:
        warnings.append(QualityWarning("no_text_layer", "这些页没有文字层（扫描页或空白页），未检查", empty))
    bad_pages: dict[str, list[int]] = {"cid_glyphs": [], "private_use_chars": [], "doubled_chars": []}
    total = bad = 0
    for page in pages:
        text = "".join(line.text for line in page.lines) + "".join(
            cell for t in page.tables for row in t.rows for cell in row
        )
        cid = text.count("(cid:") + text.count("\ufffd")
        private = len(_PRIVATE_USE.findall(text))
        total += len(text)
        bad += cid * 4 + private
        if cid >= 3:
            bad_pages["cid_glyphs"].append(page.number)
        if private >= 3:
            bad_pages["private_use_chars"].append(page.number)
        if _doubled_ratio(text) > 0.3:
            bad_pages["doubled_chars"].append(page.number)
    if total and bad / total > 0.3:
        raise InputError(
            "PDF 的文字层无法读取（字形缺少 Unicode 映射 (cid) 或含私用区字符）：请先进行 OCR 文字识别",
            code="unreadable_text",
        )
    messages = {
        "cid_glyphs": "部分字形缺少 Unicode 映射（(cid:N) 或 U+FFFD）：有些字符缺失",
        "private_use_chars": "含私用区（Private Use Area）字符（方正等嵌入字体）：部分字符可能有误",
        "doubled_chars": "字符重复（伪粗体）：文字可能把“X”读成“XX”",
    }
    warnings += [QualityWarning(code, messages[code], numbers) for code, numbers in bad_pages.items() if numbers]
    return warnings


def _doubled_ratio(text: str) -> float:
    cjk = [i for i in range(len(text) - 1) if "\u4e00" <= text[i] <= "\u9fff"]
    if len(cjk) < 20:
        return 0.0
    return sum(text[i] == text[i + 1] for i in cjk) / len(cjk)


def _assemble(pages: list[_Page]) -> list[Block]:
    blocks: list[Block] = []
    table_count = 0
    open_table: _Table | None = None  # a table that reached the bottom of the previous page
    for page in pages:
        body_top = page.height * _EDGE_BAND
        body_bottom = page.height * (1 - _EDGE_BAND)
        tables = sorted(page.tables, key=lambda t: t.top)
        for table in tables:
            first_on_page = not any(l.bottom <= table.top and l.top >= body_top for l in page.lines) and table is tables[0]
            continues = (
                open_table is not None
                and first_on_page
                and max(map(len, table.rows)) == max(map(len, open_table.rows))
            )
            if continues:
                table.index = open_table.index
                _drop_repeated_header(table, open_table)
            else:
                table.index = table_count
                table_count += 1
        open_table = None
        if tables:
            last = tables[-1]
            if not any(l.top >= last.bottom and l.bottom <= body_bottom for l in page.lines):
                open_table = last
        blocks.extend(_page_blocks(page, tables))
    return _renumber_rows(blocks)


def _drop_repeated_header(table: _Table, previous: _Table) -> None:
    if table.rows and previous.rows and _row_key(table.rows[0]) == _row_key(previous.rows[0]):
        del table.rows[0]
        del table.cell_boxes[0]


def _row_key(row: list[str]) -> str:
    return "|".join(re.sub(r"\s+", "", cell) for cell in row)


def _inside(line: _Line, table: _Table) -> bool:
    middle = (line.top + line.bottom) / 2
    return table.top - 1 <= middle <= table.bottom + 1


def _page_blocks(page: _Page, tables: list[_Table]) -> list[Block]:
    elements: list[tuple[float, int, object]] = []
    for line in page.lines:
        if not any(_inside(line, t) for t in tables):
            elements.append((line.top, 0, line))
    for table in tables:
        elements.append((table.top, 1, table))
    elements.sort(key=lambda e: (e[0], e[1]))
    blocks: list[Block] = []
    for _, _, element in elements:
        if isinstance(element, _Line):
            blocks.append(
                Block(
                    text=element.text,
                    page=page.number,
                    kind="line",
                    bbox=(element.x0, element.top, element.x1, element.bottom),
                )
            )
            continue
        for row_index, (row, boxes) in enumerate(zip(element.rows, element.cell_boxes)):
            for col, text in enumerate(row):
                box = boxes[col] if col < len(boxes) else None
                blocks.append(
                    Block(
                        text=text,
                        page=page.number,
                        kind="cell",
                        table=element.index,
                        row=row_index,
                        col=col,
                        bbox=tuple(box) if box else None,
                    )
                )
    return blocks


def _renumber_rows(blocks: list[Block]) -> list[Block]:
    """Give rows of a table continued over pages one running row number; join a row split by the page break."""
    next_row: dict[int, int] = {}
    current: dict[tuple[int, int, int], int] = {}
    result: list[Block] = []
    for block in blocks:
        if block.table is None:
            result.append(block)
            continue
        key = (block.table, block.page, block.row)
        if key not in current:
            current[key] = next_row.get(block.table, 0)
            next_row[block.table] = current[key] + 1
        block.row = current[key]
        result.append(block)
    return _join_split_rows(result)


def _join_split_rows(blocks: list[Block]) -> list[Block]:
    """A row cut by a page break continues with an empty first cell on the next page."""
    by_row: dict[tuple[int, int], list[Block]] = {}
    for block in blocks:
        if block.table is not None:
            by_row.setdefault((block.table, block.row), []).append(block)
    drop: set[int] = set()
    for (table, row), cells in by_row.items():
        previous = by_row.get((table, row - 1))
        if (
            previous
            and cells[0].col == 0
            and not cells[0].text.strip()
            and previous[0].page is not None
            and cells[0].page == previous[0].page + 1
            and len(cells) == len(previous)
        ):
            for prev_cell, cell in zip(previous, cells):
                if cell.text.strip():
                    prev_cell.text = f"{prev_cell.text}\v{cell.text}" if prev_cell.text else cell.text
                drop.add(id(cell))
    return [b for b in blocks if id(b) not in drop]
