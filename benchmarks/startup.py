"""Cold start against pdfplumber, as ratios measured in one run (issue: real tenders end to end).

    python benchmarks/startup.py [REAL_PDF]

Prints: a cold `tender-check check` of a two-clause text (a new process each time, best of 3),
pdfplumber's `extract_text` over every page of REAL_PDF (default: the largest real PDF of
../shared/realdocs under 120 pages), a cold end-to-end check of the longest real tender, and the
ratios. Targets: ≤ 0.30× for the two-clause check, ≤ 0.35× for the long tender.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import time_pdfplumber  # noqa: E402  (the ingest benchmark's pdfplumber baseline)

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
CLI = [sys.executable, "-m", "checker.cli", "check", "--format", "json"]


def cold(args: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(args, capture_output=True, check=False, cwd=ROOT)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    pdfs = sorted(REALDOCS.glob("*.pdf"), key=lambda p: p.stat().st_size)
    if not pdfs:
        print("../shared/realdocs is not there")
        return 0
    import pypdfium2

    sized = [(len(pypdfium2.PdfDocument(str(p))), p) for p in pdfs]
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else max((s for s in sized if s[0] <= 120), key=lambda s: s[0])[1]
    longest = max(sized, key=lambda s: s[0])[1]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as handle:
        handle.write("投标人须具有近三年同类项目业绩不少于3个。\n投标人注册资本不少于500万元。\n")
    pages_of = {path: count for count, path in sized}
    small = cold(CLI + [handle.name])
    plumber, pages = time_pdfplumber(reference)["seconds"], pages_of.get(reference, "?")
    print(f"cold check of a two-clause text   {small:6.2f} s")
    print(f"pdfplumber extract_text, {pages} pages {plumber:6.2f} s  ({reference.name})")
    print(f"ratio                              {small / plumber:6.2f}  (target ≤ 0.30)")
    big = cold(CLI + [str(longest)], runs=1)
    plumber_big, big_pages = time_pdfplumber(longest)["seconds"], pages_of[longest]
    print(f"cold check of {longest.name[:40]} ({big_pages} pages) {big:6.2f} s; pdfplumber {plumber_big:6.2f} s;"
          f" ratio {big / plumber_big:.2f} (target ≤ 0.35)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
