"""HTML tenders: e-procurement platforms publish notices and whole 采购文件 as web pages."""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

from checker.ingest.text import decode
from checker.model import Block

_SKIP = {"script", "style", "noscript", "template", "head", "nav", "footer", "iframe", "svg", "button", "form", "select"}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_BLOCK = {
    "p", "div", "li", "section", "article", "main", "blockquote", "pre", "dd", "dt", "ul", "ol",
    "center", "body", "header", "aside", "td", "th", "caption", "dl", "figure", "figcaption",
} | set(_HEADINGS)


# html.parser records each tag's source line (a location a reader can find); lxml does not, but
# is several times faster, so very large pages are read without line numbers.
_LINE_NUMBERS_UP_TO = 4 * 2**20


def read_html(data: bytes) -> tuple[list[Block], int]:
    soup = BeautifulSoup(decode(data), "html.parser" if len(data) <= _LINE_NUMBERS_UP_TO else "lxml")
    root = soup.body or soup
    blocks: list[Block] = []
    tables = _TableCounter()
    _walk(root, blocks, tables)
    return [b for b in blocks if b.kind == "cell" or b.text.strip()], 1


class _TableCounter:
    def __init__(self) -> None:
        self.next = 0

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _walk(node: Tag, blocks: list[Block], tables: _TableCounter) -> None:
    inline: list[str] = []
    start_line = [node.sourceline]  # source line where the pending inline text began

    def flush() -> None:
        text = "".join(inline)
        inline.clear()
        for line in text.split("\n"):
            if line.strip():
                blocks.append(Block(text=line.strip(), kind="paragraph", line=start_line[0]))
        start_line[0] = None

    for child in node.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData"):
                continue
            if start_line[0] is None and child.strip():
                previous = child.find_previous(True)
                start_line[0] = (previous.sourceline if previous is not None else None) or node.sourceline
            inline.append(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        if start_line[0] is None:
            start_line[0] = child.sourceline
        if child.name == "br":
            inline.append("\n")
        elif child.name == "table":
            flush()
            _table(child, blocks, tables.take())
        elif child.name in _HEADINGS:
            flush()
            text = child.get_text(" ", strip=True)
            if text:
                blocks.append(Block(text=text, kind="heading", level=_HEADINGS[child.name], line=child.sourceline))
        elif child.name in _BLOCK:
            flush()
            _walk(child, blocks, tables)
        else:
            inline.append(_inline_text(child))
    flush()


def _inline_text(tag: Tag) -> str:
    parts = []
    for desc in tag.descendants:
        if isinstance(desc, NavigableString) and not any(p.name in _SKIP for p in desc.parents if isinstance(p, Tag)):
            parts.append(str(desc).replace("\n", " "))
        elif isinstance(desc, Tag) and desc.name == "br":
            parts.append("\n")
    return "".join(parts)


def _table(table: Tag, blocks: list[Block], index: int) -> None:
    row_index = 0
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue  # nested table rows are read as the text of their cell
        cells = [c for c in tr.find_all(["td", "th"]) if c.find_parent("tr") is tr]
        texts = [c.get_text("\v", strip=True).replace("\n", "\v") for c in cells]
        if not any(t.strip() for t in texts):
            continue
        for col, (cell, text) in enumerate(zip(cells, texts)):
            blocks.append(Block(text=text, kind="cell", table=index, row=row_index, col=col, line=cell.sourceline))
        row_index += 1
