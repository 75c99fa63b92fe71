#!/usr/bin/env python3
"""Build the bundled sample tender documents.

    python corpus/tenders/build.py              # every document under src/
    python corpus/tenders/build.py zj-gp-mri    # some documents (by stem)
    python corpus/tenders/build.py --check      # re-check existing outputs, build nothing

For each document module in ``src/`` (files not starting with ``_``) this writes

    <stem>.docx           rendered with python-docx from the module
    <stem>.pdf            converted from the DOCX by LibreOffice (soffice --headless)
    <stem>.expected.json  the module's EXPECTED plus figures measured in the PDF:
                          pdf_pages and the page of every ``pages_of`` phrase

and checks the result: every excerpt, item and phrase occurs in the document, the
``pages_of`` phrases occur exactly once in the PDF, the "wrapped" phrase really runs
over a line break, tables marked ``must_split`` really continue on the next page.

Needs python-docx and pypdfium2 (the project's own dependencies), LibreOffice
(``soffice``; set $SOFFICE to override) and the Noto CJK fonts (Debian:
``apt-get install libreoffice-writer-nogui fonts-noto-cjk``). The DOCX files name the
fonts real tenders use (宋体, 黑体); a private fontconfig file maps them to Noto CJK for
the conversion, and LibreOffice runs with a throw-away profile.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
sys.path.insert(0, str(SRC))

import _lib  # noqa: E402  (needs SRC on sys.path)

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimSun</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
"""

WS = re.compile(r"\s+")


def squash(s: str) -> str:
    """Remove all whitespace (PDF text has line breaks and stray spaces)."""
    return WS.sub("", s)


# --------------------------------------------------------------------------- modules

def load_specs(stems):
    specs = []
    for path in sorted(SRC.glob("*.py")):
        if path.name.startswith("_"):
            continue
        mod = importlib.import_module(path.stem)
        if stems and mod.STEM not in stems:
            continue
        specs.append(mod)
    if stems:
        missing = set(stems) - {m.STEM for m in specs}
        if missing:
            sys.exit(f"unknown document(s): {', '.join(sorted(missing))}")
    return specs


# --------------------------------------------------------------------------- DOCX

def save_docx(doc, path: Path):
    """Save, then rewrite the zip with fixed timestamps so that rebuilding an
    unchanged source gives a byte-identical DOCX."""
    tmp = path.with_suffix(".tmp.docx")
    doc.save(tmp)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    tmp.unlink()


# --------------------------------------------------------------------------- PDF

def soffice_bin():
    exe = os.environ.get("SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    return exe


def to_pdf(docx_paths, outdir: Path):
    """Convert DOCX files to PDF in one LibreOffice run; returns {docx: pdf}."""
    with tempfile.TemporaryDirectory(prefix="tender-build-") as tmp:
        tmp = Path(tmp)
        conf = tmp / "fonts.conf"
        conf.write_text(FONTS_CONF, encoding="utf-8")
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp))
        cmd = [soffice_bin(), f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp / "out"), *map(str, docx_paths)]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        out = {}
        for d in docx_paths:
            produced = tmp / "out" / (Path(d).stem + ".pdf")
            if not produced.exists():
                sys.exit(f"soffice did not convert {d}:\n{r.stdout}\n{r.stderr}")
            target = outdir / produced.name
            shutil.move(str(produced), target)
            out[d] = target
        return out


def pdf_pages_text(path: Path):
    """Text of every page (pypdfium2), line breaks kept."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            pages.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            tp.close()
            page.close()
        return pages
    finally:
        pdf.close()


def chapter_pages(spec, pages):
    """Page (1-based) of every chapter title: the page holding a line equal to it."""
    res = {}
    for i, title in enumerate(_lib.chapter_titles(spec)):
        key = squash(title)
        for n, text in enumerate(pages, start=1):
            if any(squash(line) == key for line in text.split("\n")):
                res[i] = n
                break
    return res


# --------------------------------------------------------------------------- checks

class Report:
    def __init__(self, stem):
        self.stem, self.errors, self.notes = stem, [], []

    def error(self, msg):
        self.errors.append(msg)

    def note(self, msg):
        self.notes.append(msg)


def chapter_of_blocks(spec, doc):
    """[(kind, text, chapter_index)] for the DOCX body."""
    titles = [squash(t) for t in _lib.chapter_titles(spec)]
    out, ch = [], -1
    for kind, text in _lib.docx_text_blocks(doc):
        if kind == "p" and squash(text) in titles:
            ch = titles.index(squash(text))
        out.append((kind, text, ch))
    return out


def find_pages(needle, pages):
    key = squash(needle)
    return [n for n, t in enumerate(pages, start=1) for _ in range(squash(t).count(key))]


def wrapped_phrase(anchor, pages, docx_text, rep, width=16):
    """A phrase that runs over a PDF line break and occurs once in the document:
    ``anchor`` itself when it already does, else a ``width``-character window over
    one of the next line breaks of the same paragraph (header/footer lines excluded)."""
    key = squash(anchor)
    for n, text in enumerate(pages, start=1):
        lines = [squash(l) for l in text.split("\n")]
        joined, breaks = "", []
        for l in lines:
            joined += l
            breaks.append(len(joined))
        pos = joined.find(key)
        if pos < 0:
            continue
        once = lambda s: sum(squash(t).count(s) for t in pages) == 1
        if any(pos < b < pos + len(key) for b in breaks) and key in docx_text and once(key):
            return key, n
        lo, hi = breaks[0], breaks[-2] if len(breaks) > 1 else len(joined)
        for b in breaks:
            if not pos < b <= pos + 400:
                continue
            for shift in range(0, width - 4):
                start = b - width + 2 + shift
                cand = joined[start:start + width]
                if start < max(pos, lo) or start + width > hi or not (start < b < start + width):
                    continue
                if cand in docx_text and once(cand):
                    return cand, n
    rep.error(f"no wrapped phrase found near {anchor!r}")
    return None, None


def build_expected(spec, doc, pdf_path, rep):
    pages = pdf_pages_text(pdf_path)
    blocks = chapter_of_blocks(spec, doc)
    docx_all = "\n".join(t for _, t, _ in blocks)
    cells = [t for k, t, _ in blocks if k == "cell"]
    kinds = [s["kind"] for s in spec.EXPECTED["sections"]]

    # sample notice: on the cover and as the first paragraph of chapter one
    if squash(_lib.SAMPLE_NOTICE) not in squash(pages[0]):
        rep.error("sample notice missing from the cover page")
    first = [t for k, t, c in blocks if c == 0 and k == "p" and t.strip()]
    if len(first) < 2 or first[1] != _lib.SAMPLE_NOTICE:
        rep.error("sample notice is not the first paragraph of chapter one")

    exp = spec.EXPECTED
    if len(exp["sections"]) != len(_lib.chapter_titles(spec)):
        rep.error("EXPECTED['sections'] must have one entry per chapter")
    for sec, title in zip(exp["sections"], _lib.chapter_titles(spec)):
        if sec["heading_contains"] not in title:
            rep.error(f"section {sec} does not match chapter {title!r}")

    for f in exp["expected_findings"] + exp["expected_absent"]:
        ex = f["excerpt_contains"]
        where = [c for _, t, c in blocks if ex in t]
        if not where:
            rep.error(f"excerpt not in DOCX: {ex!r}")
            continue
        if not find_pages(ex, pages):
            rep.error(f"excerpt not found in PDF text (whitespace-insensitive): {ex!r}")
        if "section" in f:
            want = {"commercial": "technical"}.get(f["section"], f["section"])
            got = {kinds[c] if c >= 0 else "cover" for c in where}
            if want not in got:
                rep.error(f"excerpt {ex!r} expected in {f['section']}, found in {sorted(got)}")
    for it in exp["items"]:
        if not any(it["name_contains"] in c for c in cells):
            rep.error(f"item not in any table cell: {it['name_contains']!r}")
        for b in it.get("brands", []):
            if not any(b in c and it["name_contains"] not in c for c in cells):
                rep.error(f"brand {b!r} not in a table cell")

    pages_of = []
    kinds_seen = set()
    for p in exp["pages_of"]:
        where = p.get("where", "body")
        kinds_seen.add(where)
        if where == "wrapped":
            text, page = wrapped_phrase(p["text"], pages, docx_all, rep)
            if text is None:
                continue
            pages_of.append({"text": text, "page": page, "note": "runs over a line break in the PDF"})
            continue
        text = p["text"]
        if text not in docx_all:
            rep.error(f"pages_of phrase not in DOCX: {text!r}")
        if where == "table" and not any(text in c for c in cells):
            rep.error(f"pages_of phrase not in a table cell: {text!r}")
        hits = find_pages(text, pages)
        if len(hits) != 1:
            rep.error(f"pages_of phrase {text!r} occurs {len(hits)} times in the PDF")
            continue
        entry = {"text": text, "page": hits[0]}
        if where == "table":
            entry["note"] = "inside a table cell"
        pages_of.append(entry)
    if not {"table", "wrapped"} <= kinds_seen:
        rep.error("pages_of needs one phrase inside a table and one wrapped phrase")

    # tables that must run over a page break
    for name, t in spec.TABLES.items():
        if not t.must_split:
            continue
        def page_of_row(row):
            cell = max(row, key=len)
            hits = find_pages(cell[:14], pages)
            return hits[0] if hits else None
        a, b = page_of_row(t.rows[0]), page_of_row(t.rows[-1])
        if a is None or b is None or a == b:
            rep.error(f"table {name!r} should continue over a page break (rows on pages {a}, {b})")
        else:
            rep.note(f"table {name!r} runs from page {a} to {b}"
                     f" ({'header repeated' if t.repeat_header else 'header not repeated'})")

    n = len(pages)
    if not 12 <= n <= 40:
        rep.error(f"{n} pages: outside the 12–40 page range")

    out = {
        "document": spec.STEM,
        "written_by_project": True,
        "title_contains": exp["title_contains"],
        "purchaser_contains": exp["purchaser_contains"],
        "date": exp["date"],
        "jurisdiction": exp["jurisdiction"],
        "regime": exp["regime"],
        "pdf_pages": n,
        "sections": exp["sections"],
        "pages_of": pages_of,
        "expected_findings": exp["expected_findings"],
        "expected_absent": exp["expected_absent"],
        "items": exp["items"],
    }
    for k in ("title_contains", "purchaser_contains"):
        if exp[k] not in squash(pages[0]) and exp[k] not in docx_all:
            rep.error(f"{k} {exp[k]!r} not found")
    return out


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stems", nargs="*", help="document stems (default: all)")
    ap.add_argument("--check", action="store_true",
                    help="only check the existing DOCX/PDF and rewrite the expected files")
    args = ap.parse_args(argv)

    specs = load_specs(args.stems)
    docs = {}
    if not args.check:
        for spec in specs:
            doc = _lib.render(spec)
            save_docx(doc, HERE / f"{spec.STEM}.docx")
            docs[spec.STEM] = doc
        to_pdf([HERE / f"{s.STEM}.docx" for s in specs], HERE)
        # second pass: page numbers in the table of contents
        again = []
        for spec in specs:
            if spec.LAYOUT.get("toc"):
                pages = pdf_pages_text(HERE / f"{spec.STEM}.pdf")
                doc = _lib.render(spec, toc_pages=chapter_pages(spec, pages))
                save_docx(doc, HERE / f"{spec.STEM}.docx")
                docs[spec.STEM] = doc
                again.append(spec)
        if again:
            before = {s.STEM: chapter_pages(s, pdf_pages_text(HERE / f"{s.STEM}.pdf")) for s in again}
            to_pdf([HERE / f"{s.STEM}.docx" for s in again], HERE)
            for s in again:
                after = chapter_pages(s, pdf_pages_text(HERE / f"{s.STEM}.pdf"))
                if after != before[s.STEM]:
                    print(f"{s.STEM}: chapter pages moved after adding TOC page numbers", file=sys.stderr)

    failed = False
    from docx import Document
    for spec in specs:
        rep = Report(spec.STEM)
        doc = docs.get(spec.STEM) or Document(str(HERE / f"{spec.STEM}.docx"))
        exp = build_expected(spec, doc, HERE / f"{spec.STEM}.pdf", rep)
        (HERE / f"{spec.STEM}.expected.json").write_text(
            json.dumps(exp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        status = "ok" if not rep.errors else "FAILED"
        print(f"{spec.STEM}: {exp['pdf_pages']} pages, {len(exp['expected_findings'])} expected findings — {status}")
        for n in rep.notes:
            print(f"  note: {n}")
        for e in rep.errors:
            print(f"  error: {e}")
        failed |= bool(rep.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
