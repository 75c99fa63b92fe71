"""Run the checker over the real tender corpus and score it against the labels.

    python benchmarks/realdocs.py                  # every document: summary per document and per split
    python benchmarks/realdocs.py --details tune   # also the missed, wrong and unlabelled findings of the tuning half
    python benchmarks/realdocs.py --only 01 17     # some documents
    python benchmarks/realdocs.py --json OUT.json  # the figures as JSON as well

Per document it prints the exit status the CLI would give (0/1, 2 with the reason), pages, seconds,
findings by severity, and against the labels: flag clauses found (recall) and, of the findings that
quote a labelled clause, those that quote a flag clause (precision). A finding counts when its severity
is ``risk`` or ``violation`` (as the CLI's default ``--fail-on``). Findings on unlabelled text are
counted and, with ``--details``, listed so that they can be labelled.

The corpus is split once by document (``corpus/realdocs/split.json``): rules are tuned on ``tune`` only,
and the ``heldout`` figure is the one that says whether a change generalises. Details of the held-out
half are not printed unless asked for by name, so that tuning does not look at them by accident.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from realdocs_ref import Label, canon, documents, load_labels, split  # noqa: E402

FLAGGING = {"risk", "violation"}


@dataclass
class DocResult:
    name: str
    part: str
    exit: int
    reason: str = ""
    pages: int = 0
    seconds: float = 0.0
    severities: Counter = field(default_factory=Counter)
    found: list[Label] = field(default_factory=list)  # flag labels with a finding
    missed: list[Label] = field(default_factory=list)
    right: list[dict] = field(default_factory=list)  # findings quoting a flag clause
    wrong: list[tuple[dict, Label]] = field(default_factory=list)  # findings quoting only pass clauses
    unlabelled: list[dict] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def quotes(finding: dict, label: Label) -> bool:
    """Does the finding quote the labelled clause (any of its places)?"""
    for excerpt in _excerpts(finding):
        if not excerpt:
            continue
        if label.fragment and label.fragment in excerpt:
            return True
        if len(excerpt) >= 8 and excerpt in label.text:
            return True
        match = SequenceMatcher(None, excerpt, label.text, autojunk=False).find_longest_match()
        if match.size >= min(15, max(8, len(label.fragment))):
            return True
    return False


def _excerpts(finding: dict) -> list[str]:
    places = [finding.get("excerpt", "")] + [o.get("excerpt", "") for o in finding.get("occurrences", [])]
    return [canon(p).replace("|", "") for p in places if p]


def run_document(path: Path, part: str, labels: list[Label]) -> DocResult:
    from checker import CheckOptions, check_path
    from checker.errors import CheckerError

    started = time.perf_counter()
    try:
        report = check_path(path, CheckOptions())
    except CheckerError as exc:
        return DocResult(path.name, part, 2, str(exc), seconds=time.perf_counter() - started)
    result = DocResult(path.name, part, 0, seconds=time.perf_counter() - started)
    result.pages = report["document"].get("pages") or 0
    findings = report["findings"]
    result.severities = Counter(f["severity"] for f in findings)
    result.exit = 1 if any(f["severity"] in FLAGGING for f in findings) else 0
    result.items = [item["name"] for item in report.get("items", [])]
    flagging = [f for f in findings if f["severity"] in FLAGGING]
    mine = [l for l in labels if l.file == path.name and l.found]
    for label in mine:
        if label.expect == "flag":
            (result.found if any(quotes(f, label) for f in flagging) else result.missed).append(label)
    for finding in flagging:  # every place a finding names is a claim a reviewer checks
        for place in _places(finding):
            quoted = [l for l in mine if quotes(place, l)]
            if any(l.expect == "flag" for l in quoted):
                result.right.append(place)
            elif quoted:
                result.wrong.append((place, quoted[0]))
            else:
                result.unlabelled.append(place)
    return result


def _places(finding: dict) -> list[dict]:
    first = {**finding, "occurrences": []}
    return [first] + [{**finding, "excerpt": o["excerpt"], "location": o["location"], "occurrences": []}
                      for o in finding.get("occurrences", [])]


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  - "


def summarise(results: list[DocResult], title: str) -> dict:
    found = sum(len(r.found) for r in results)
    flags = found + sum(len(r.missed) for r in results)
    right = sum(len(r.right) for r in results)
    judged = right + sum(len(r.wrong) for r in results)
    figures = {
        "documents": len(results), "read": sum(r.exit != 2 for r in results), "flag_labels": flags,
        "recall": found / flags if flags else None, "precision": right / judged if judged else None,
        "right": right, "wrong": judged - right, "unlabelled": sum(len(r.unlabelled) for r in results),
        "seconds": round(sum(r.seconds for r in results), 1),
    }
    print(f"{title:<10} docs {figures['documents']:>2} read {figures['read']:>2}  recall {found}/{flags} = {_ratio(found, flags)}"
          f"  precision {right}/{judged} = {_ratio(right, judged)}  unlabelled findings {figures['unlabelled']}"
          f"  {figures['seconds']} s")
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        for label in result.found:
            by_category[label.category][0] += 1
        for label in result.missed:
            by_category[label.category][1] += 1
    figures["by_category"] = {c: {"found": f, "missed": m} for c, (f, m) in sorted(by_category.items())}
    print("           recall by category: " + "  ".join(f"{c} {f}/{f + m}" for c, (f, m) in sorted(by_category.items())))
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        for place in result.right:
            by_rule[place["rule_id"]][0] += 1
        for place, _ in result.wrong:
            by_rule[place["rule_id"]][1] += 1
    figures["by_rule"] = {r: {"right": a, "wrong": b} for r, (a, b) in sorted(by_rule.items())}
    print("           precision by rule (right/judged): " + "  ".join(f"{r} {a}/{a + b}" for r, (a, b) in sorted(by_rule.items())))
    return figures


def print_details(result: DocResult) -> None:
    print(f"\n## {result.name}  items: {', '.join(result.items[:15]) or '-'}")
    for label in result.missed:
        print(f"  MISSED [{label.category}] p{label.page}: {label.text[:120]}")
    for finding, label in result.wrong:
        print(f"  WRONG  {finding['rule_id']} p{finding['location'].get('page')}: {canon(finding['excerpt'])[:100]}  (pass: {label.why[:60]})")
    for finding in result.unlabelled:
        print(f"  UNLAB  {finding['rule_id']} p{finding['location'].get('page')}: {canon(finding['excerpt'])[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="document numbers (01 02 …)")
    parser.add_argument("--details", choices=["tune", "heldout", "all"], help="list missed, wrong and unlabelled findings")
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    args = parser.parse_args(argv)

    paths = documents()
    if not paths:
        print("../shared/realdocs is not there: nothing to measure")
        return 0
    parts = split()
    labels = load_labels()
    unfound = [l for l in labels if not l.found]
    results = []
    print(f"{'document':<58} {'part':<7} exit pages  secs  viol risk adv  recall  prec  unlab")
    for path in paths:
        number = path.name[:2]
        if args.only and number not in args.only:
            continue
        result = run_document(path, parts.get(number, "heldout"), labels)
        results.append(result)
        sev = result.severities
        flags = len(result.found) + len(result.missed)
        judged = len(result.right) + len(result.wrong)
        print(f"{path.name[:58]:<58} {result.part:<7} {result.exit:>4} {result.pages:>5} {result.seconds:>5.1f}"
              f" {sev['violation']:>5} {sev['risk']:>4} {sev['advice']:>3}  {len(result.found):>2}/{flags:<3}"
              f" {_ratio(len(result.right), judged):>5} {len(result.unlabelled):>5}"
              + (f"  {result.reason}" if result.exit == 2 else ""))
    print()
    figures = {part: summarise([r for r in results if r.part == part], part) for part in ("tune", "heldout")}
    figures["all"] = summarise(results, "all")
    if unfound:
        print(f"\n{len(unfound)} labels whose text was not found in their document (not counted)")
    if args.details:
        for result in results:
            if args.details in ("all", result.part):
                print_details(result)
    if args.json:
        figures["documents"] = [
            {"name": r.name, "part": r.part, "exit": r.exit, "reason": r.reason, "pages": r.pages,
             "seconds": round(r.seconds, 2), "severities": dict(r.severities), "found": len(r.found),
             "missed": len(r.missed), "right": len(r.right), "wrong": len(r.wrong), "unlabelled": len(r.unlabelled)}
            for r in results
        ]
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
