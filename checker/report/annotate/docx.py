"""DOCX review copy: a native Word comment (批注) on the text of each finding.

Comments attach to whole runs, so a run is split where a finding starts or ends inside it
(the two halves keep the run's properties). A finding whose excerpt spans several table cells
is anchored in one cell (the one holding the matched words), since a comment range across
cells is not something Word or LibreOffice keep reliably. Everything else in the document —
text, styles, numbering, tables, existing comments — is left as it was.
"""

from __future__ import annotations

import bisect
import copy
import io
from dataclasses import dataclass
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.run import Run

from checker.report.annotate import AUTHOR, INITIALS, comment_text, cover_paragraphs, places
from checker.report.annotate.anchor import Stream, fold_plain, locate

_TEXT_TAGS = {qn(f"w:{t}") for t in ("t", "tab", "br", "cr", "noBreakHyphen", "ptab")}
_RUNS = "./w:r | ./w:hyperlink/w:r"  # the runs python-docx (and so the ingest stage) reads text from


@dataclass
class _RunRecord:
    element: Any  # CT_R
    paragraph: int  # index into _DocText.paragraphs
    start: int  # offset in the document's source text
    length: int


class _DocText:
    """The document's paragraphs as one source text, with the run each character sits in."""

    def __init__(self, document):
        self.document = document
        self.paragraphs: list[Any] = []  # CT_P
        self.cells: list[Any] = []  # the w:tc holding each paragraph, or None
        self.runs: list[_RunRecord] = []
        parts: list[str] = []
        offset = 0
        for p in document.element.body.iter(qn("w:p")):
            if _in_text_box(p):
                continue
            index = len(self.paragraphs)
            self.paragraphs.append(p)
            self.cells.append(_cell_of(p))
            if parts:
                parts.append("\n")
                offset += 1
            for r in p.xpath(_RUNS):
                text = "".join(str(e) for e in r if e.tag in _TEXT_TAGS)
                if text:
                    self.runs.append(_RunRecord(r, index, offset, len(text)))
                    parts.append(text)
                    offset += len(text)
        self.source = "".join(parts)
        self.starts = [r.start for r in self.runs]

    def record_at(self, position: int) -> int:
        """Index of the run record holding source character ``position`` (or the next run)."""
        i = bisect.bisect_right(self.starts, position) - 1
        if i >= 0 and position < self.runs[i].start + self.runs[i].length:
            return i
        return min(i + 1, len(self.runs) - 1)

    def split_at(self, position: int) -> int:
        """Make a run start exactly at ``position``; the index of that run's record."""
        i = self.record_at(position)
        record = self.runs[i]
        k = position - record.start
        if k <= 0 or k >= record.length:
            return i
        right = copy.deepcopy(record.element)
        _keep(record.element, 0, k, record.length)
        _keep(right, k, record.length, record.length)
        record.element.addnext(right)
        self.runs.insert(i + 1, _RunRecord(right, record.paragraph, position, record.length - k))
        record.length = k
        self.starts.insert(i + 1, position)
        return i + 1

    def runs_for(self, start: int, end: int) -> tuple[Run, Run]:
        """The first and last run of source [start, end), split so that they begin and end there."""
        first = self.split_at(start)
        if end < len(self.source):
            self.split_at(end)
        last = max(first, self.record_at(end - 1))
        return self._run(first), self._run(last)

    def _run(self, i: int) -> Run:
        return Run(self.runs[i].element, _Parent(self.document))


class _Parent:
    """Just enough of a parent for a Run: its part (the main document part)."""

    def __init__(self, document):
        self.part = document.part


def _in_text_box(p) -> bool:
    parent = p.getparent()
    while parent is not None:
        if parent.tag in (qn("w:txbxContent"), qn("w:comment"), qn("w:footnote"), qn("w:endnote")):
            return True
        parent = parent.getparent()
    return False


def _cell_of(p):
    parent = p.getparent()
    while parent is not None and parent.tag != qn("w:body"):
        if parent.tag == qn("w:tc"):
            return parent
        parent = parent.getparent()
    return None


def _keep(run, lo: int, hi: int, total: int) -> None:
    """Keep only the characters [lo, hi) of the run's text; content without text (a drawing, a
    field character) stays on the side of the split it stands on."""
    position = 0
    for child in list(run):
        if child.tag == qn("w:rPr"):
            continue
        length = len(str(child)) if child.tag in _TEXT_TAGS else 0
        if length == 0:
            if not ((position >= lo or lo == 0) and (position < hi or hi >= total)):
                run.remove(child)
            continue
        start, end = position, position + length
        position = end
        if end <= lo or start >= hi:
            run.remove(child)
        elif start < lo or end > hi:  # only w:t holds more than one character
            text = child.text or ""
            child.text = text[max(lo - start, 0) : min(hi, end) - start]
            child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _choose_span(doc: _DocText, spans: list[tuple[int, int]], matched: str) -> tuple[int, int]:
    """One range for the comment: all the spans, or the one cell's part when they cross cells."""
    start, end = spans[0][0], spans[-1][1]
    segments: list[tuple[Any, int, int]] = []  # (cell, start, end) runs of one container
    for i in range(doc.record_at(start), len(doc.runs)):
        record = doc.runs[i]
        if record.start >= end:
            break
        cell = doc.cells[record.paragraph]
        s, e = max(start, record.start), min(end, record.start + record.length)
        if segments and segments[-1][0] is cell:
            segments[-1] = (cell, segments[-1][1], e)
        else:
            segments.append((cell, s, e))
    if len(segments) <= 1 or all(cell is None for cell, _, _ in segments):
        return start, end
    wanted = fold_plain(matched) if matched else ""
    if wanted:
        for _, s, e in segments:
            if wanted in fold_plain(doc.source[s:e]):
                return s, e
    _, s, e = max(segments, key=lambda seg: len(fold_plain(doc.source[seg[1] : seg[2]])))
    return s, e


def annotate_docx(data: bytes, report: dict[str, Any]) -> tuple[bytes, list[str]]:
    """The DOCX with one comment per finding; for each finding how it was anchored ('' = not)."""
    document = docx.Document(io.BytesIO(data))
    doc = _DocText(document)
    stream = Stream.of(doc.source)
    findings = report.get("findings", [])
    characters = max(int(report.get("document", {}).get("characters") or 0), 1)
    placed: list[str] = []
    unanchored: list[dict[str, Any]] = []
    targets = []
    for finding in findings:
        spots = places(finding)
        found = []
        for number, (excerpt, location, matched) in enumerate(spots):
            expected = len(stream.text) * min((location.get("start") or 0) / characters, 1.0)
            anchor = locate(stream, excerpt, lambda pos, x=expected: abs(pos - x), matched)
            if anchor and doc.runs:
                found.append((anchor.how, (finding, number, len(spots)), _choose_span(doc, anchor.spans, matched)))
        if not found:
            placed.append("")
            unanchored.append(finding)
            continue
        placed.append(found[0][0])
        targets += [(key, span) for _, key, span in found]
    anchored = sum(1 for how in placed if how)
    if doc.runs:
        first = doc.runs[0]
        cover = "\n".join(cover_paragraphs(report, unanchored, anchored))
        start, end = first.start, first.start + first.length
        targets.insert(0, (cover, (start, end)))
    for key, (start, end) in targets:
        first_run, last_run = doc.runs_for(start, end)
        text = key if isinstance(key, str) else comment_text(*key)
        document.add_comment([first_run, last_run], text=text, author=AUTHOR, initials=INITIALS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), placed


def docx_from_blocks(blocks, report: dict[str, Any]) -> bytes:
    """A plain DOCX of an HTML or text document's blocks: headings, paragraphs, tables."""
    document = docx.Document()
    title = (report.get("document") or {}).get("title") or (report.get("document") or {}).get("name") or ""
    document.core_properties.title = title[:250]
    document.core_properties.author = AUTHOR
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.table is not None:
            j = i
            while j < len(blocks) and blocks[j].table == block.table:
                j += 1
            _table(document, blocks[i:j])
            i = j
            continue
        text = block.text.replace("\v", "\n")
        if block.kind == "heading":
            document.add_heading(text, level=min(max(block.level or 1, 1), 9))
        else:
            document.add_paragraph(text)
        i += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, cells) -> None:
    rows = sorted({c.row or 0 for c in cells})
    row_index = {row: n for n, row in enumerate(rows)}
    columns = max((c.col or 0) for c in cells) + 1
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    for cell in cells:
        table.cell(row_index[cell.row or 0], cell.col or 0).text = cell.text.replace("\v", "\n")
