"""Fixtures that build real files (DOCX with python-docx, PDF with reportlab's CID fonts) with the
defects real tenders have, so each reader is tested on the kind of file it will meet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TENDERS = CORPUS / "tenders"


@pytest.fixture(scope="session")
def tenders_dir() -> Path:
    return TENDERS


def make_docx(paragraphs: list[str | tuple[str, int]], table: list[list[str]] | None = None) -> bytes:
    """Paragraphs (text, or (text, heading level)) and an optional table, in body order."""
    import docx

    document = docx.Document()
    for entry in paragraphs:
        if isinstance(entry, tuple):
            document.add_heading(entry[0], level=entry[1])
        else:
            document.add_paragraph(entry)
    if table:
        grid = document.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = grid.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(pages: list[list[str]], *, encrypt: str | None = None, image_only: bool = False) -> bytes:
    """One list of lines per page, drawn with the STSong-Light CID font (a real text layer)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for lines in pages:
        if image_only:
            pdf.setFillGray(0.2)
            for i in range(30):  # a "scan": shapes, no text objects
                pdf.rect(72, 760 - i * 22, 400, 10, fill=1, stroke=0)
        else:
            pdf.setFont("STSong-Light", 11)
            for i, line in enumerate(lines):
                pdf.drawString(72, 780 - i * 18, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def docx_bytes():
    return make_docx


@pytest.fixture
def pdf_bytes():
    return make_pdf
