"""Evaluation on labelled clauses (design interface 5).

Each clause is checked alone, with its section hint, under the national jurisdiction; it
counts as flagged when it gets a finding at severity ``risk`` or ``violation``.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.detect import check_clause
from checker.errors import InputError
from checker.model import severity_rank

_FLAG_FLOOR = severity_rank("risk")


@dataclass
class Prediction:
    id: str
    flagged: bool
    categories: list[str]
    rule_ids: list[str]
    severity: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "flagged": self.flagged, "categories": self.categories, "rule_ids": self.rule_ids, "severity": self.severity}


def load_dataset(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}：不是有效的 JSON（{exc.msg}）", code="bad_dataset") from exc
            missing = {"id", "text", "label"} - set(row)
            if missing:
                raise InputError(f"{path}:{number}：缺少字段 {'、'.join(sorted(missing))}", code="bad_dataset")
            rows.append(row)
    if not rows:
        raise InputError(f"{path}：没有任何条款", code="bad_dataset")
    return rows


def predict(row: dict[str, Any]) -> Prediction:
    findings = [f for f in check_clause(row["text"], row.get("section") or "unknown", "national") if severity_rank(f.severity) >= _FLAG_FLOOR]
    severity = max((f.severity for f in findings), key=severity_rank, default=None)
    return Prediction(
        id=str(row["id"]),
        flagged=bool(findings),
        categories=sorted({f.category for f in findings}),
        rule_ids=sorted({f.rule_id for f in findings}),
        severity=severity,
    )


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def score(rows: list[dict[str, Any]], predictions: list[Prediction]) -> dict[str, Any]:
    tp = fp = fn = 0
    per_category: dict[str, Counter] = {}
    for row, prediction in zip(rows, predictions):
        truth = bool(row.get("discriminatory", row["label"] != "compliant"))
        tp += truth and prediction.flagged
        fp += (not truth) and prediction.flagged
        fn += truth and not prediction.flagged
        labels = {row["label"]} - {"compliant"}
        for category in labels | set(prediction.categories):
            counts = per_category.setdefault(category, Counter())
            if category in labels and category in prediction.categories:
                counts["tp"] += 1
            elif category in prediction.categories:
                counts["fp"] += 1
            else:
                counts["fn"] += 1
    return {
        "clauses": len(rows),
        "discriminatory": _prf(tp, fp, fn),
        "categories": {c: _prf(v["tp"], v["fp"], v["fn"]) for c, v in sorted(per_category.items())},
    }


def evaluate(path: str | Path, progress=None) -> tuple[dict[str, Any], list[Prediction]]:
    rows = load_dataset(path)
    predictions = []
    for row in rows:
        predictions.append(predict(row))
        if progress:
            progress.update(1)
    result = score(rows, predictions)
    result["dataset"] = str(path)
    return result, predictions


def format_text(result: dict[str, Any]) -> str:
    from checker.report.render import CATEGORY_LABEL

    d = result["discriminatory"]
    header = ("类别", "精确率", "召回率", "F1", "检出", "误报", "漏报")
    rows = [
        (f"{CATEGORY_LABEL[name]}（{name}）" if name in CATEGORY_LABEL else name,
         f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}", str(c["tp"]), str(c["fp"]), str(c["fn"]))
        for name, c in result["categories"].items()
    ]
    widths = [max(_width(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [
        f"{result['dataset']}：共 {result['clauses']} 条条款",
        f"歧视性条款  精确率 {d['precision']:.3f}  召回率 {d['recall']:.3f}  F1 {d['f1']:.3f}"
        f"（正确检出 {d['tp']}，误报 {d['fp']}，漏报 {d['fn']}）",
        "",
    ]
    for row in (header, *rows):
        cells = [row[0] + " " * (widths[0] - _width(row[0]))]
        cells += [" " * (w - _width(cell)) + cell for w, cell in zip(widths[1:], row[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:  # a CJK character takes two columns on a terminal
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
