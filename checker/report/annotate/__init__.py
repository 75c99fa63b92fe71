"""The review copy (design interface 6): the tender handed back with the findings in it.

DOCX in → DOCX out with a Word comment (批注) anchored on each finding's text; PDF in → PDF out
with a highlight and popup note over each finding's characters; HTML or text in → a DOCX of the
text with the same comments. A finding whose text cannot be found goes on a cover comment (DOCX)
or a first-page note (PDF), never dropped.

    from checker.report.annotate import annotate_bytes
    copy = annotate_bytes(data, "招标文件.docx")
    Path(copy.name).write_bytes(copy.data)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from checker.report.render import SEVERITY_LABEL, citation_label
from checker.report.render import STATUS_LABEL as REVIEW_STATUS_LABEL

AUTHOR = "tender-check"
INITIALS = "TC"
REVIEW_SUFFIX = "_审查意见"

# what the person fixing the tender does with a finding
STATUS_LABEL = {"violation": "须整改", "risk": "须核实", "advice": "供参考"}
MEDIA_TYPE = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class ReviewCopy:
    data: bytes
    format: str  # docx | pdf
    name: str  # 招标文件_审查意见.docx
    anchored: int
    unanchored: int
    report: dict[str, Any] = field(default_factory=dict)
    how: dict[str, int] = field(default_factory=dict)  # anchoring method → count

    @property
    def media_type(self) -> str:
        return MEDIA_TYPE[self.format]

    def summary(self) -> str:
        total = self.anchored + self.unanchored
        line = f"已定位 {self.anchored}/{total} 条问题"
        if self.unanchored:
            line += f"，{self.unanchored} 条未能定位到原文（列在{'首条批注' if self.format == 'docx' else '首页批注'}中）"
        return line


def review_copy_name(document_name: str, fmt: str) -> str:
    stem = PurePath(document_name or "document").stem or "document"
    return f"{stem}{REVIEW_SUFFIX}.{fmt}"


def citation_text(citation: dict[str, Any]) -> str:
    return citation_label(citation)


def legal_basis_text(finding: dict[str, Any]) -> str:
    return "；".join(citation_text(c) for c in finding.get("legal_basis") or []) or "—"


def severity_line(finding: dict[str, Any]) -> str:
    severity = finding.get("severity", "")
    status = REVIEW_STATUS_LABEL.get(finding.get("status") or "") or STATUS_LABEL.get(severity, "待处理")
    return f"【{SEVERITY_LABEL.get(severity, severity)}｜{status}】"


def comment_paragraphs(finding: dict[str, Any]) -> list[str]:
    """The comment on one finding: severity and status, rule and title, message, basis, suggestion."""
    title = finding.get("title") or ""
    lines = [
        f"{severity_line(finding)}{finding.get('rule_id', '')} {title}".rstrip(),
        f"问题：{finding.get('message', '')}",
        f"依据：{legal_basis_text(finding)}",
    ]
    if finding.get("review_hint"):
        lines.append(f"复核要点：{finding['review_hint']}")
    if finding.get("suggestion"):
        lines.append(f"建议修改：{finding['suggestion']}")
    return lines


def comment_text(finding: dict[str, Any], place: int = 0, places: int = 1) -> str:
    lines = comment_paragraphs(finding)
    if places > 1:
        lines.append(f"（同一问题共 {places} 处，此为第 {place + 1} 处）")
    return "\n".join(lines)


def places(finding: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Every place a finding is at: (excerpt, location, matched words); the first place speaks."""
    evidence = finding.get("evidence") or {}
    matched = evidence.get("matched_original") or evidence.get("matched") or ""
    result = [(finding.get("excerpt", ""), finding.get("location") or {}, matched)]
    for other in finding.get("occurrences") or []:
        result.append((other.get("excerpt") or finding.get("excerpt", ""), other.get("location") or {}, matched))
    return result


def cover_paragraphs(report: dict[str, Any], unanchored: list[dict[str, Any]], anchored: int) -> list[str]:
    total = len(report.get("findings", []))
    lines = [f"tender-check 审查意见：共 {total} 条问题，已在原文定位 {anchored} 条。"]
    if unanchored:
        lines.append(f"以下 {len(unanchored)} 条未能在原文中定位，请按原文摘录查找：")
        for number, finding in enumerate(unanchored, 1):
            where = location_text(finding)
            lines.append(f"{number}. {severity_line(finding)}{finding.get('rule_id', '')} {finding.get('title', '')}（{where}）")
            lines.append(f"原文：{finding.get('excerpt', '')}")
            lines.append(f"问题：{finding.get('message', '')}")
            lines.append(f"依据：{legal_basis_text(finding)}")
            if finding.get("suggestion"):
                lines.append(f"建议修改：{finding['suggestion']}")
    return lines


def location_text(finding: dict[str, Any]) -> str:
    location = finding.get("location") or {}
    parts = []
    if location.get("page"):
        parts.append(f"第{location['page']}页")
    if location.get("section"):
        parts.append(str(location["section"]))
    if location.get("table") is not None:
        row = location.get("row")
        parts.append(f"表{location['table'] + 1}" + (f"第{row + 1}行" if row is not None else ""))
    return "，".join(parts) or "位置未知"


def annotate_bytes(data: bytes, name: str, options=None, report: dict[str, Any] | None = None,
                   cancelled=None) -> ReviewCopy:
    """Check ``data`` (unless its ``report`` is given) and write its review copy.

    With ``options.isolate`` (the default) the parse, the check and the writing all run in a
    child process under the same time and memory bounds as a check.
    """
    from dataclasses import replace

    from checker.pipeline import CheckOptions

    options = options or CheckOptions()
    if not options.isolate:
        return _annotate_job(_NoChannel(), data, name, options, report)
    try:
        from checker.isolation import Bounds, run_isolated
    except ImportError:  # an isolation module that only parses in a child
        return _annotate_parsed_isolated(data, name, options, report)
    limits = options.limits
    bounds = Bounds(
        name=name, parse_timeout_s=limits.timeout_s, parse_memory_mb=limits.memory_mb,
        total_timeout_s=max(getattr(options, "timeout_s", 600.0), limits.timeout_s),
        total_memory_mb=max(getattr(options, "memory_mb", 4096), limits.memory_mb),
    )
    return run_isolated(_annotate_job, (data, name, replace(options, isolate=False), report), bounds, cancelled=cancelled)


class _NoChannel:
    def parsed(self, pages: int) -> None:
        pass

    def progress(self, *args) -> None:
        pass


def _annotate_job(channel, data: bytes, name: str, options, report: dict[str, Any] | None) -> ReviewCopy:
    from checker.ingest import read_document
    from checker.pipeline import check_raw

    raw = read_document(data, name, options.limits)
    channel.parsed(raw.pages)
    if report is None:
        report = check_raw(raw, options)
    return write_review_copy(data, raw.format, report, raw.blocks)


def _annotate_parsed_isolated(data: bytes, name: str, options, report: dict[str, Any] | None) -> ReviewCopy:
    from checker.isolation import read_isolated
    from checker.pipeline import check_raw

    raw = read_isolated(data, name, options.limits)
    if report is None:
        report = check_raw(raw, options)
    return write_review_copy(data, raw.format, report, raw.blocks)


def write_review_copy(data: bytes, kind: str, report: dict[str, Any], blocks=None) -> ReviewCopy:
    name = report.get("document", {}).get("name") or "document"
    if kind == "pdf":
        from checker.report.annotate.pdf import annotate_pdf

        out, placed = annotate_pdf(data, report)
        fmt = "pdf"
    else:
        from checker.report.annotate.docx import annotate_docx, docx_from_blocks

        source = data if kind == "docx" else docx_from_blocks(blocks or [], report)
        out, placed = annotate_docx(source, report)
        fmt = "docx"
    how: dict[str, int] = {}
    for method in placed:
        how[method or "unanchored"] = how.get(method or "unanchored", 0) + 1
    anchored = sum(1 for method in placed if method)
    return ReviewCopy(
        data=out, format=fmt, name=review_copy_name(name, fmt), anchored=anchored,
        unanchored=len(placed) - anchored, report=report, how=how,
    )
