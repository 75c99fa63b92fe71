"""Rendering helpers for the sample tender documents (used by ../build.py).

A document module under this folder defines:

* ``STEM``     – output file stem (``corpus/tenders/<STEM>.docx|.pdf``);
* ``META``     – cover and header data (see :func:`render`);
* ``LAYOUT``   – how the document looks (heading styles or plain bold paragraphs,
  footer kind, table of contents);
* ``TABLES``   – named :class:`Table` objects, placed with ``@table NAME``;
* ``CHAPTERS`` – a list of strings in the small line markup below, one per chapter;
* ``EXPECTED`` – the hand-written part of ``<STEM>.expected.json``; build.py adds the
  figures it measures in the generated PDF (``pdf_pages``, the page of each phrase).

Line markup (one paragraph per line; blank lines are ignored):

``# 第一章 …``      chapter title (Heading 1, or a bold centred paragraph), new page
``## 一、…``        level-2 heading (Heading 2, or a bold paragraph)
``### （一）…``     level-3 heading (bold paragraph)
``! text``          bold body paragraph
``> text``          body paragraph without first-line indent
``^ text``          centred paragraph;  ``^^ text`` centred, bold, larger (form titles)
``-> text``         right-aligned paragraph (signature lines, dates)
``@table NAME``     insert ``TABLES[NAME]``
``@pagebreak``      page break;  ``@blank`` an empty paragraph
anything else       body paragraph with a two-character first-line indent
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import (WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING,
                            WD_TAB_ALIGNMENT, WD_TAB_LEADER)
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

SAMPLE_NOTICE = "【示例文档】本文件由 tender-check 项目编写，用于测试，非真实招标文件。"

BLACK = RGBColor(0, 0, 0)
LATIN = "Times New Roman"


@dataclass
class Table:
    """A table: header row, body rows (cells are strings; ``\\n`` starts a new
    paragraph inside a cell), column widths in cm."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    repeat_header: bool = True
    font_size: float = 10.5
    center_cols: tuple[int, ...] = ()
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # body coords
    must_split: bool = False  # build.py checks that the table runs over a page break


# --------------------------------------------------------------------------- fonts

def set_run_font(run, east="宋体", size=None, bold=None, latin=LATIN):
    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _style_fonts(style, east, size, bold, latin=LATIN):
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK


def _setup_styles(doc, layout):
    normal = doc.styles["Normal"]
    _style_fonts(normal, layout.get("body_font", "宋体"), layout.get("body_size", 12), False)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = layout.get("line_spacing", 1.5)
    # language: zh-CN for East Asian text
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)

    h1 = doc.styles["Heading 1"]
    _style_fonts(h1, "黑体", 16, True)
    h1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h1.paragraph_format.space_before = Pt(12)
    h1.paragraph_format.space_after = Pt(18)
    h1.paragraph_format.line_spacing = 1.25
    h2 = doc.styles["Heading 2"]
    _style_fonts(h2, "黑体", 14, True)
    h2.paragraph_format.space_before = Pt(12)
    h2.paragraph_format.space_after = Pt(6)
    h2.paragraph_format.line_spacing = 1.25
    for name in ("Header", "Footer"):
        _style_fonts(doc.styles[name], "宋体", 9, False)


# --------------------------------------------------------------------------- fields

def add_field(paragraph, instr, placeholder="1", size=9):
    def fld(kind):
        r = paragraph.add_run()
        set_run_font(r, size=size)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    r = paragraph.add_run()
    set_run_font(r, size=size)
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    fld("separate")
    r = paragraph.add_run(placeholder)
    set_run_font(r, size=size)
    fld("end")


def _bottom_border(paragraph):
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    b = OxmlElement("w:bottom")
    b.set(qn("w:val"), "single")
    b.set(qn("w:sz"), "6")
    b.set(qn("w:space"), "1")
    b.set(qn("w:color"), "000000")
    bdr.append(b)
    ppr.append(bdr)


def _text(paragraph, text, size=None, bold=None, east="宋体"):
    r = paragraph.add_run(text)
    set_run_font(r, east=east, size=size, bold=bold)
    return r


def _setup_header_footer(section, meta, layout):
    section.different_first_page_header_footer = True  # the cover has none
    hp = section.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(hp, meta["header"], size=9)
    _bottom_border(hp)

    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind = layout.get("footer", "page_of")
    if kind == "page_of":
        _text(fp, "第 ", size=9)
        add_field(fp, "PAGE")
        _text(fp, " 页 共 ", size=9)
        add_field(fp, "NUMPAGES")
        _text(fp, " 页", size=9)
    elif kind == "emdash":
        _text(fp, "—", size=10.5)
        add_field(fp, "PAGE", size=10.5)
        _text(fp, "—", size=10.5)
    elif kind == "dash":
        _text(fp, "- ", size=10.5)
        add_field(fp, "PAGE", size=10.5)
        _text(fp, " -", size=10.5)
    else:
        raise ValueError(f"unknown footer kind {kind!r}")


# --------------------------------------------------------------------------- tables

def _cell_width(cell, cm):
    cell.width = Cm(cm)


def _repeat_header(row):
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _shade(cell, fill="D9D9D9"):
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _fill_cell(cell, text, size, bold=False, center=False):
    parts = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, part in enumerate(parts):
        p = first if i == 0 else cell.add_paragraph()
        p.paragraph_format.line_spacing = 1.15
        p.paragraph_format.first_line_indent = None
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(p, part, size=size, bold=bold)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def add_table(doc, t: Table):
    ncol = len(t.header)
    assert len(t.widths) == ncol, t.header
    table = doc.add_table(rows=1 + len(t.rows), cols=ncol)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for j, h in enumerate(t.header):
        c = table.rows[0].cells[j]
        _fill_cell(c, h, t.font_size, bold=True, center=True)
        _shade(c)
    if t.repeat_header:
        _repeat_header(table.rows[0])
    for i, row in enumerate(t.rows, start=1):
        assert len(row) == ncol, (t.header, row)
        for j, val in enumerate(row):
            _fill_cell(table.rows[i].cells[j], val, t.font_size, center=j in t.center_cols)
    for row in table.rows:
        for j, c in enumerate(row.cells):
            _cell_width(c, t.widths[j])
    # LibreOffice lays tables out from <w:tblGrid>, Word from the cell widths: set both
    grid = table._tbl.tblGrid
    for j, gc in enumerate(grid.findall(qn("w:gridCol"))):
        gc.set(qn("w:w"), str(int(t.widths[j] * 567)))
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(t.widths) * 567)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for (r1, c1, r2, c2) in t.merges:
        a = table.cell(r1 + 1, c1)
        b = table.cell(r2 + 1, c2)
        keep = a.text
        m = a.merge(b)
        # merging concatenates the cells' paragraphs: keep only the first cell's text
        for p in m.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        m.paragraphs[0].text = ""
        _fill_cell(m, keep, t.font_size, center=c1 in t.center_cols)
    # a little space after the table
    doc.add_paragraph()
    return table


# --------------------------------------------------------------------------- body

def _para(doc, text, *, indent=True, bold=False, align=None, size=None, east=None,
          style=None, keep_next=False):
    p = doc.add_paragraph(style=style)
    if indent:
        p.paragraph_format.first_line_indent = Pt(24)
    if align is not None:
        p.alignment = align
    if keep_next:
        p.paragraph_format.keep_with_next = True
    if style is None:
        _text(p, text, size=size, bold=bold or None, east=east or "宋体")
    else:
        r = p.add_run(text)
        if size is not None:
            r.font.size = Pt(size)
    return p


def _chapter(doc, text, layout):
    if layout.get("heading_styles"):
        p = doc.add_paragraph(style="Heading 1")
        p.add_run(text)
    else:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(18)
        p.paragraph_format.keep_with_next = True
        _text(p, text, size=16, bold=True, east="黑体")
    p.paragraph_format.page_break_before = True
    return p


def _level2(doc, text, layout):
    if layout.get("heading_styles"):
        p = doc.add_paragraph(style="Heading 2")
        p.add_run(text)
    else:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True
        _text(p, text, size=layout.get("body_size", 12), bold=True,
              east=layout.get("h2_font", "黑体"))
    return p


def render_markup(doc, markup, tables, layout):
    for raw in markup.strip("\n").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("# "):
            _chapter(doc, line[2:].strip(), layout)
        elif line.startswith("## "):
            _level2(doc, line[3:].strip(), layout)
        elif line.startswith("### "):
            _para(doc, line[4:].strip(), indent=True, bold=True, keep_next=True)
        elif line.startswith("! "):
            _para(doc, line[2:].strip(), bold=True)
        elif line.startswith("> "):
            _para(doc, line[2:].strip(), indent=False)
        elif line.startswith("^^ "):
            p = _para(doc, line[3:].strip(), indent=False, bold=True,
                      align=WD_ALIGN_PARAGRAPH.CENTER, size=15, east="黑体")
            p.paragraph_format.space_after = Pt(12)
        elif line.startswith("^ "):
            _para(doc, line[2:].strip(), indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif line.startswith("-> "):
            _para(doc, line[3:].strip(), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif line.startswith("@table "):
            name = line.split(None, 1)[1].strip()
            add_table(doc, tables[name])
        elif line == "@pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif line == "@blank":
            doc.add_paragraph()
        elif line.startswith("@"):
            raise ValueError(f"unknown directive: {line}")
        else:
            _para(doc, line)


def _cover(doc, meta):
    def blank(n=1):
        for _ in range(n):
            doc.add_paragraph()

    blank(1)
    for line in meta.get("cover_top", []):
        _para(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=14, east="黑体")
    blank(3)
    for line in meta["cover_title"]:
        p = _para(doc, line, indent=False, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                  size=22, east="黑体")
        p.paragraph_format.line_spacing = 1.3
    blank(1)
    p = _para(doc, meta["cover_kind"], indent=False, bold=True,
              align=WD_ALIGN_PARAGRAPH.CENTER, size=26, east="黑体")
    blank(1)
    _para(doc, meta["cover_code"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    blank(5)
    for label, value in meta["cover_lines"]:
        p = _para(doc, f"{label}{value}", indent=False, size=14)
        p.paragraph_format.left_indent = Cm(3.2)
        p.paragraph_format.line_spacing = 1.8
    blank(3)
    _para(doc, meta["cover_date"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    blank(2)
    _para(doc, SAMPLE_NOTICE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, size=10.5,
          bold=True)


def _toc(doc, chapters, layout, toc_pages):
    p = _para(doc, "目    录", indent=False, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
              size=16, east="黑体")
    p.paragraph_format.page_break_before = True
    p.paragraph_format.space_after = Pt(18)
    for i, title in enumerate(chapters):
        p = doc.add_paragraph()
        p.paragraph_format.line_spacing = 2.0
        p.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)
        page = (toc_pages or {}).get(i, "  ")
        _text(p, f"{title}\t{page}", size=13)


def chapter_titles(spec):
    titles = []
    for ch in spec.CHAPTERS:
        for line in ch.strip().split("\n"):
            if line.strip().startswith("# "):
                titles.append(line.strip()[2:].strip())
    return titles


def render(spec, toc_pages=None):
    """Build the python-docx Document for a document module ``spec``."""
    meta, layout = spec.META, spec.LAYOUT
    doc = Document()
    _setup_styles(doc, layout)
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(2.6), Cm(2.4)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5)
    sec.header_distance, sec.footer_distance = Cm(1.5), Cm(1.4)
    _setup_header_footer(sec, meta, layout)

    cp = doc.core_properties
    cp.title = meta["title"]
    cp.author = "tender-check sample corpus"
    cp.comments = SAMPLE_NOTICE
    cp.keywords = "tender-check; sample; 示例文档"
    import datetime as _dt
    cp.created = cp.modified = _dt.datetime(2024, 1, 1, 0, 0, 0)
    cp.last_modified_by = "tender-check"
    cp.revision = 1

    _cover(doc, meta)
    if layout.get("toc"):
        _toc(doc, chapter_titles(spec), layout, toc_pages)
    for ch in spec.CHAPTERS:
        render_markup(doc, ch, spec.TABLES, layout)
    return doc


def docx_text_blocks(doc):
    """(kind, text) for every paragraph and table cell, in order; kind is 'p' or 'cell'."""
    from docx.table import Table as _T
    from docx.text.paragraph import Paragraph as _P
    out = []
    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(("p", _P(child, doc).text))
        elif child.tag == qn("w:tbl"):
            t = _T(child, doc)
            seen = []  # merged cells repeat the same <w:tc>; keep each once
            for row in t.rows:
                for c in row.cells:
                    if any(c._tc is s for s in seen):
                        continue
                    seen.append(c._tc)
                    out.append(("cell", c.text))
    return out
