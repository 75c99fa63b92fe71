"""Speed of the detection stage (the spaCy pipeline with jieba and the rule matcher).

Prints start-up time (building the pipeline: rules loaded and compiled, jieba's dictionary)
and clauses/s on one core over the clauses of the corpus tenders and the labelled sets.

    python benchmarks/detect.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus_clauses() -> list[tuple[str, str]]:
    from checker.ingest import read_path
    from checker.normalise import normalise, normalise_text
    from checker.structure import build_structure

    clauses = []
    for path in sorted((ROOT / "corpus" / "tenders").glob("*.docx")):
        document = build_structure(normalise(read_path(path)))
        clauses += [(c.text, c.section_kind) for c in document.clauses]
    for path in sorted((ROOT / "corpus" / "eval").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            clauses.append((normalise_text(row["text"]), row.get("section", "unknown")))
    return clauses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    started = time.perf_counter()
    from checker.detect.pipeline import ClauseContext, build_pipeline, run

    build_pipeline()
    startup = time.perf_counter() - started
    clauses = corpus_clauses()
    batch = [(text, ClauseContext(section, "government_procurement", "zhejiang")) for text, section in clauses]
    chars = sum(len(t) for t, _ in clauses)
    best = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        run(batch)
        best = min(best, time.perf_counter() - t)
    print(f"start-up (import + pipeline + rules + jieba): {startup:.2f} s   (target < 2 s)")
    print(f"detection: {len(batch)} clauses ({chars / len(batch):.0f} chars avg) in {best:.2f} s = {len(batch) / best:,.0f} clauses/s   (target ≥ 2,000/s, one core)")


if __name__ == "__main__":
    main()
