"""Precision and recall of item ↔ catalogue matching on the labelled pairs.

    python benchmarks/match_quality.py [corpus/matching/pairs.jsonl] [--misses] [--sweep]

Counting, per line of the labelled set:
- label true: a true positive when the best match is the named entry; a false negative
  otherwise, and also a false positive when some other entry was matched instead;
- label false with an entry: a false positive when that entry is among the matches;
- label false without an entry (null): a false positive when anything matches.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checker.catalogue import Catalogue  # noqa: E402
from checker.match.matcher import MATCH_THRESHOLD, match_items  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "corpus" / "matching" / "pairs.jsonl"


def evaluate(pairs: list[dict], matches: list[list], threshold: float) -> tuple[dict[str, int], list[str]]:
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    misses = []
    for pair, found in zip(pairs, matches):
        names = [m.name for m in found if m.score >= threshold]
        if pair["label"]:
            if names and names[0] == pair["entry_name"]:
                counts["tp"] += 1
                continue
            counts["fn"] += 1
            counts["fp"] += bool(names)
            misses.append(f"MISSED  {pair['item']} → {pair['entry_name']}  (got {names[:1] or 'nothing'})")
        elif (pair["entry_name"] in names) if pair["entry_name"] else bool(names):
            counts["fp"] += 1
            wrong = pair["entry_name"] or names[0]
            misses.append(f"WRONG   {pair['item']} → {wrong}  ({pair['note']})")
        else:
            counts["tn"] += 1
    return counts, misses


def rates(counts: dict[str, int]) -> tuple[float, float]:
    precision = counts["tp"] / max(counts["tp"] + counts["fp"], 1)
    recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list every miss and wrong match")
    parser.add_argument("--sweep", action="store_true", help="precision/recall at other thresholds")
    args = parser.parse_args()

    pairs = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines() if line.strip()]
    catalogue = Catalogue.bundled()
    known = {entry.name for entry in catalogue}
    unknown = sorted({p["entry_name"] for p in pairs if p["entry_name"] and p["entry_name"] not in known})
    if unknown:
        sys.exit(f"entry names not in the bundled catalogue: {unknown}")

    params = [{"spec": p["spec"]} if p.get("spec") else None for p in pairs]
    matches = match_items([p["item"] for p in pairs], catalogue, params=params, limit=3, min_score=50.0)
    counts, misses = evaluate(pairs, matches, MATCH_THRESHOLD)
    precision, recall = rates(counts)
    positives = sum(p["label"] for p in pairs)
    negatives = len(pairs) - positives
    print(f"{len(pairs)} labelled pairs ({positives} positive, {negatives} negative); threshold {MATCH_THRESHOLD:g}")
    tally = ", ".join(f"{key} {value}" for key, value in counts.items())
    print(f"precision {precision:.3f}  recall {recall:.3f}  ({tally})")
    if args.sweep:
        for threshold in range(60, 96, 5):
            p, r = rates(evaluate(pairs, matches, threshold)[0])
            print(f"  threshold {threshold:3d}: precision {p:.3f}  recall {r:.3f}")
    if args.misses:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
