"""PDF review copy: a highlight over each finding's characters with a popup note.

The characters and their boxes come from pdfium's text page (as in the ingest stage); the
annotations are written by pypdf as an incremental update, so the original bytes — pages, text,
existing annotations — stay exactly as they were and the review comes after them.
"""

from __future__ import annotations

import bisect
import io
import uuid
from datetime import datetime, timezone
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight, Popup, Text
from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, TextStringObject

from checker.report.annotate import AUTHOR, comment_text, cover_paragraphs, places
from checker.report.annotate.anchor import Stream, locate

# highlight colours (multiplied over the page): violation red, risk yellow, advice blue
COLOUR = {"violation": "ff9c9c", "risk": "ffe24d", "advice": "9ccfff"}
_NOTE_WIDTH, _NOTE_HEIGHT = 220.0, 160.0


class _PdfText:
    """Every page's text (pdfium) laid end to end, with page boundaries."""

    def __init__(self, pdf: pdfium.PdfDocument):
        self.pdf = pdf
        parts: list[str] = []
        self.page_starts: list[int] = []
        self.page_lengths: list[int] = []
        self.heights: list[float] = []
        offset = 0
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                self.heights.append(page.get_height())
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                finally:
                    textpage.close()
            finally:
                page.close()
            if parts:
                parts.append("\f")
                offset += 1
            self.page_starts.append(offset)
            self.page_lengths.append(len(text))
            parts.append(text)
            offset += len(text)
        self.source = "".join(parts)

    def page_of(self, position: int) -> int:
        return max(bisect.bisect_right(self.page_starts, position) - 1, 0)

    def distance(self, location: dict[str, Any], characters: int, stream: Stream):
        page = location.get("page")
        if not page or not 1 <= page <= len(self.page_starts):
            expected = len(stream.text) * min((location.get("start") or 0) / max(characters, 1), 1.0)
            return lambda pos: abs(pos - expected)
        index = page - 1
        expected_source = self.page_starts[index]
        bbox = location.get("bbox")
        if bbox and self.heights[index]:
            expected_source += int(self.page_lengths[index] * min(max(bbox[1] / self.heights[index], 0.0), 1.0))

        def distance(pos: int) -> float:
            source = stream.origin[pos]
            return abs(self.page_of(source) - index) * 1e7 + abs(source - expected_source)

        return distance

    def quads(self, start: int, end: int) -> dict[int, list[tuple[float, float, float, float]]]:
        """Source [start, end) → page index → line boxes (left, bottom, right, top)."""
        result: dict[int, list[tuple[float, float, float, float]]] = {}
        first, last = self.page_of(start), self.page_of(max(end - 1, start))
        for index in range(first, last + 1):
            lo = max(start, self.page_starts[index]) - self.page_starts[index]
            hi = min(end, self.page_starts[index] + self.page_lengths[index]) - self.page_starts[index]
            if hi <= lo:
                continue
            page = self.pdf[index]
            textpage = page.get_textpage()
            try:
                boxes = [textpage.get_rect(i) for i in range(textpage.count_rects(lo, hi - lo))]
            finally:
                textpage.close()
                page.close()
            boxes = [b for b in boxes if b[2] - b[0] > 0.1 and b[3] - b[1] > 0.1]
            if boxes:
                result.setdefault(index, []).extend(boxes)
        return result


def _quad_points(boxes) -> ArrayObject:
    points = []
    for left, bottom, right, top in boxes:  # upper left, upper right, lower left, lower right
        points += [left, top, right, top, left, bottom, right, bottom]
    return ArrayObject(FloatObject(round(v, 3)) for v in points)


def _union(boxes, margin: float = 1.0) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin,
            max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin)


def _pdf_date() -> str:
    return datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%SZ")


def _note_rect(page, near: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    box = page.cropbox
    left, bottom, right, top = float(box.left), float(box.bottom), float(box.right), float(box.top)
    x = min(max(near[2] + 10, left), max(right - _NOTE_WIDTH, left))
    y = min(max(near[3], bottom + _NOTE_HEIGHT), top)
    return (x, y - _NOTE_HEIGHT, x + _NOTE_WIDTH, y)


def _mark(annotation, text: str, subject: str) -> None:
    annotation[NameObject("/Contents")] = TextStringObject(text)
    annotation[NameObject("/T")] = TextStringObject(AUTHOR)
    annotation[NameObject("/Subj")] = TextStringObject(subject)
    annotation[NameObject("/M")] = TextStringObject(_pdf_date())
    annotation[NameObject("/NM")] = TextStringObject(f"tender-check-{uuid.uuid4().hex}")


def _add_with_popup(writer: PdfWriter, index: int, annotation, rect) -> None:
    added = writer.add_annotation(index, annotation)
    popup = writer.add_annotation(index, Popup(rect=rect, parent=added, open=False))
    added[NameObject("/Popup")] = popup.indirect_reference


def _writer(data: bytes) -> PdfWriter:
    """An incremental update of the original; a full copy where pypdf cannot update in place."""
    reader = PdfReader(io.BytesIO(data))
    if not reader.is_encrypted:
        try:
            return PdfWriter(reader, incremental=True)
        except (NotImplementedError, ValueError, KeyError):
            reader = PdfReader(io.BytesIO(data))
    else:
        reader.decrypt("")  # opened by the checker, so readable without a password (owner-only protection)
    # an encrypted original comes back without its owner restrictions: pypdf cannot add to it in place
    return PdfWriter(clone_from=reader)


def annotate_pdf(data: bytes, report: dict[str, Any]) -> tuple[bytes, list[str]]:
    """The PDF with a highlight and note per finding; for each finding how it was anchored ('' = not)."""
    pdf = pdfium.PdfDocument(data)
    try:
        text = _PdfText(pdf)
        stream = Stream.of(text.source)
        characters = int(report.get("document", {}).get("characters") or 0)
        placed: list[str] = []
        marks: list[tuple[tuple[dict[str, Any], int, int], dict[int, list]]] = []
        unanchored: list[dict[str, Any]] = []
        for finding in report.get("findings", []):
            spots = places(finding)
            hows = []
            for number, (excerpt, location, matched) in enumerate(spots):
                anchor = locate(stream, excerpt, text.distance(location, characters, stream), matched)
                boxes: dict[int, list] = {}
                for start, end in anchor.spans:
                    for index, found in text.quads(start, end).items():
                        boxes.setdefault(index, []).extend(found)
                if boxes:
                    hows.append(anchor.how)
                    marks.append(((finding, number, len(spots)), boxes))
            if not hows:
                placed.append("")
                unanchored.append(finding)
            else:
                placed.append(hows[0])
    finally:
        pdf.close()

    writer = _writer(data)
    for (finding, number, count), boxes in marks:
        note = comment_text(finding, number, count)
        subject = f"{finding.get('rule_id', '')} {finding.get('title', '')}".strip()
        for index, page_boxes in sorted(boxes.items()):
            rect = _union(page_boxes)
            highlight = Highlight(
                rect=rect, quad_points=_quad_points(page_boxes),
                highlight_color=COLOUR.get(finding.get("severity"), COLOUR["risk"]), printing=True,
            )
            _mark(highlight, note, subject)
            _add_with_popup(writer, index, highlight, _note_rect(writer.pages[index], rect))
    if len(writer.pages):
        page = writer.pages[0]
        box = page.cropbox
        icon = (float(box.left) + 8, float(box.top) - 28, float(box.left) + 28, float(box.top) - 8)
        cover = Text(rect=icon, text="\n".join(cover_paragraphs(report, unanchored, sum(1 for how in placed if how))), open=bool(unanchored))
        _mark(cover, "\n".join(cover_paragraphs(report, unanchored, sum(1 for how in placed if how))), "tender-check 审查意见")
        cover[NameObject("/F")] = NumberObject(4)  # print
        _add_with_popup(writer, 0, cover, _note_rect(page, icon))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), placed
