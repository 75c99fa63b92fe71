"""Check draft labels of real clauses and store them in the project's label file without their text.

    python benchmarks/realdocs_labels.py check DRAFT.jsonl...    # is every fragment found? (prints problems)
    python benchmarks/realdocs_labels.py import DRAFT.jsonl...   # append to corpus/realdocs/project-labels.jsonl

A draft line has the reviewer's form (``file, page, fragment, text, expect, category, section, why``).
The stored line keeps everything but ``fragment`` and ``text``, which become hashes and lengths over the
canonical reference text (see ``realdocs_ref``): real text never enters the repository.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from realdocs_ref import PROJECT_LABELS, REALDOCS, anchor, canon, canonical_pages  # noqa: E402

CATEGORIES = {"market_share", "prior_performance", "regional_performance_or_awards", "scale_condition",
              "establishment_years", "brand_designation", "brand_list", "tailored_parameters",
              "locality_or_ownership", "manufacturer_authorization", "other_discriminatory", "compliant"}


def problems(d: dict) -> list[str]:
    out = []
    path = REALDOCS / d.get("file", "")
    if not path.is_file():
        return [f"no such document {d.get('file')!r}"]
    if d.get("expect") not in {"flag", "pass"}:
        out.append("expect must be flag or pass")
    if d.get("category") not in CATEGORIES or (d.get("expect") == "pass") != (d.get("category") == "compliant"):
        out.append(f"bad category {d.get('category')!r} for expect {d.get('expect')!r}")
    pages = canonical_pages(path)
    fragment = canon(d.get("fragment", ""))
    if not 8 <= len(fragment) <= 60:
        out.append(f"fragment has {len(fragment)} characters (8-60)")
    page = d.get("page")
    if path.suffix == ".pdf":
        if not page or not 1 <= page <= len(pages) or fragment not in pages[page - 1]:
            where = [i + 1 for i, t in enumerate(pages) if fragment in t]
            out.append(f"fragment not on page {page} (found on pages {where[:5]})")
    elif fragment not in pages[0]:
        out.append("fragment not in the document text")
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"check", "import"}:
        print(__doc__)
        return 2
    records, bad = [], 0
    for name in argv[1:]:
        for n, line in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            d = json.loads(line)
            issues = problems(d)
            if issues:
                bad += 1
                print(f"{name}:{n}: {'; '.join(issues)}")
                continue
            record = anchor(d["file"], d.get("page"), d["fragment"], d.get("text"))
            record.update({k: d[k] for k in ("expect", "category", "section", "why") if k in d})
            records.append(record)
    print(f"{len(records)} good, {bad} with problems")
    if argv[0] == "import" and records:
        PROJECT_LABELS.parent.mkdir(parents=True, exist_ok=True)
        with PROJECT_LABELS.open("a", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"appended to {PROJECT_LABELS}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
