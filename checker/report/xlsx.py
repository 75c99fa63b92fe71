"""The 整改清单: one row per finding, for the people who fix the tender (openpyxl).

Columns 序号, 位置, 原文, 问题, 依据, 建议修改, 状态; one sheet per document. The 状态 column starts
as the finding's status (已确认: a rule with its legal basis matched a requirement; 待复核: a weaker
signal, with what to look at under 问题) and offers a list to record what was done.
"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from checker.report.annotate import STATUS_LABEL, legal_basis_text, location_text
from checker.report.render import SEVERITY_LABEL
from checker.report.render import STATUS_LABEL as REVIEW_STATUS_LABEL

COLUMNS = ("序号", "位置", "原文", "问题", "依据", "建议修改", "状态")
_WIDTHS = (6, 24, 50, 50, 36, 50, 10)
STATUSES = ("已确认", "待复核", "须整改", "已整改", "不予采纳")
_FILL = {"violation": "FFD6D6", "risk": "FFF2C2", "advice": "DCEBFF"}
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# characters openpyxl refuses in cell values (XML 1.0 control characters)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def rows(report: dict[str, Any]) -> list[list[str | int]]:
    result: list[list[str | int]] = []
    for number, finding in enumerate(report.get("findings", []), 1):
        severity = finding.get("severity", "")
        problem = f"[{SEVERITY_LABEL.get(severity, severity)}] {finding.get('rule_id', '')} {finding.get('title', '')}：{finding.get('message', '')}"
        if finding.get("review_hint"):
            problem += f"\n复核要点：{finding['review_hint']}"
        result.append([
            number,
            location_text(finding),
            finding.get("excerpt", "").replace("\t", " | "),
            problem,
            legal_basis_text(finding),
            finding.get("suggestion", ""),
            REVIEW_STATUS_LABEL.get(finding.get("status") or "") or STATUS_LABEL.get(severity, "待处理"),
        ])
    return result


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_NAME_BAD.sub("_", name.rsplit(".", 1)[0] or "整改清单")[:28] or "整改清单"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:25]}({n})", n + 1
    taken.add(title)
    return title


def to_xlsx(reports: dict[str, Any] | list[dict[str, Any]]) -> bytes:
    reports = [reports] if isinstance(reports, dict) else list(reports)
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.creator = "tender-check"
    workbook.properties.title = "整改清单"
    taken: set[str] = set()
    for report in reports or [{"document": {"name": "整改清单"}, "findings": []}]:
        sheet = workbook.create_sheet(_sheet_title(report.get("document", {}).get("name") or "整改清单", taken))
        sheet.append(list(COLUMNS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E7E6E6")
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for finding, row in zip(report.get("findings", []), rows(report)):
            sheet.append([_ILLEGAL.sub("", v) if isinstance(v, str) else v for v in row])
            fill = _FILL.get(finding.get("severity"))
            for cell in sheet[sheet.max_row]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if fill:
                sheet.cell(sheet.max_row, len(COLUMNS)).fill = PatternFill("solid", fgColor=fill)
        for index, width in enumerate(_WIDTHS, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        last = max(sheet.max_row, 2)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
        status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
        status.add(f"{get_column_letter(len(COLUMNS))}2:{get_column_letter(len(COLUMNS))}{max(last, 200)}")
        sheet.add_data_validation(status)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
