"""Ingestion speed and memory on a realistic long PDF.

Builds 100- and 300-page PDFs by concatenating the corpus tenders (LibreOffice PDFs with
tables, running headers and wrapped lines), then prints seconds and pages/s for:
our ingestion (text + tables + quality signals), pypdfium2 text alone, pdfplumber
extract_text alone; and the peak memory of our ingestion (separate process each).

    python benchmarks/ingest.py [--pages 100] [--big 300]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # measure the checkout, not an installed copy
TENDERS = ROOT / "corpus" / "tenders"


def build_pdf(pages: int, out: Path) -> Path:
    sources = sorted(TENDERS.glob("*.pdf"))
    result = pdfium.PdfDocument.new()
    while len(result) < pages:
        for source in sources:
            pdf = pdfium.PdfDocument(source)
            take = min(len(pdf), pages - len(result))
            result.import_pages(pdf, list(range(take)))
            pdf.close()
            if len(result) >= pages:
                break
    result.save(out)
    result.close()
    return out


def time_ours(path: Path) -> dict:
    import pdfplumber  # noqa: F401  (import cost is the process's, as for the pdfplumber row)

    import checker.ingest.pdf  # noqa: F401
    from checker.ingest import read_document

    data = path.read_bytes()
    start = time.perf_counter()
    raw = read_document(data, path.name)
    seconds = time.perf_counter() - start
    cells = sum(1 for b in raw.blocks if b.kind == "cell")
    return {"seconds": seconds, "pages": raw.pages, "cells": cells}


def time_pdfium(path: Path) -> dict:
    start = time.perf_counter()
    pdf = pdfium.PdfDocument(path)
    for page in pdf:
        page.get_textpage().get_text_range()
        page.close()
    pdf.close()
    return {"seconds": time.perf_counter() - start}


def time_pdfplumber(path: Path) -> dict:
    import pdfplumber

    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
    return {"seconds": time.perf_counter() - start}


def _child(kind: str, path: str) -> None:
    result = {"ours": time_ours, "pdfium": time_pdfium, "pdfplumber": time_pdfplumber}[kind](Path(path))
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(kind: str, path: Path) -> dict:
    """Each measurement in a fresh process, so peak memory is its own."""
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--big", type=int, default=300, help="page count for the memory measurement")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = build_pdf(args.pages, Path(tmp) / f"tender-{args.pages}p.pdf")
        rows = {kind: measure(kind, path) for kind in ("ours", "pdfium", "pdfplumber")}
        print(f"{args.pages}-page PDF ({path.stat().st_size / 2**20:.1f} MB, concatenated corpus tenders)")
        for kind, label in (("ours", "tender-check ingest (text+tables)"), ("pdfium", "pypdfium2 text only"), ("pdfplumber", "pdfplumber extract_text only")):
            r = rows[kind]
            print(f"  {label:36} {r['seconds']:7.2f} s  {args.pages / r['seconds']:7.1f} pages/s  peak {r['peak_mb']:.0f} MB")
        ratio = rows["ours"]["seconds"] / rows["pdfplumber"]["seconds"]
        print(f"  ours / pdfplumber = {ratio:.3f}  (target ≤ 0.25); table cells extracted: {rows['ours']['cells']}")
        big = build_pdf(args.big, Path(tmp) / f"tender-{args.big}p.pdf")
        r = measure("ours", big)
        print(f"{args.big}-page PDF: ingest {r['seconds']:.2f} s, peak memory {r['peak_mb']:.0f} MB (target < 400 MB)")


if __name__ == "__main__":
    main()
