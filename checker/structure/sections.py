"""Sections from the heading hierarchy, each classified by what it holds.

Heading levels come from the file's own styles where it has them (DOCX Heading N,
HTML <hN>), otherwise from the numbering that Chinese tenders use:
第X章 > 一、 > （一） > 1. / 1、 > 1.1 > 1.1.1. Numbered lines count as headings only when
short and without sentence punctuation (a long "1. 投标人须…" line is a clause).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.model import Section
from checker.normalise import NormalisedDocument

_CN_NUM = "一二三四五六七八九十百零〇"
_HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_CN_NUM}0-9]+[章部篇卷](?:分)?(?:\s|[^\s,;。]|$)")),
    (1, re.compile(r"^(?:附件|附表)\s*[0-9一二三四五六七八九十]*\s*[:、.]?")),
    (2, re.compile(rf"^第[{_CN_NUM}0-9]+节")),
    (2, re.compile(rf"^[{_CN_NUM}]+[、.]")),
    (3, re.compile(rf"^\(\s*[{_CN_NUM}]+\s*\)")),
    (4, re.compile(r"^\d{1,2}[、.](?!\d)")),
    (5, re.compile(r"^\d{1,2}\.\d{1,2}(?!\.\d)(?:\s|[^\d.])")),
    (6, re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}(?:\s|[^\d.])")),
]
_SENTENCE_PUNCT = re.compile(r"[。;,,;]")
# A numbered line that names a paper to hand in (9.产品质量认证证书复印件, 10.技术偏离表) is an item of a
# list of documents, not a heading: taken as one it would re-classify everything after it.
_DOCUMENT_ITEM = re.compile(
    r"(?:复印件|扫描件|原件|证书|证明|执照|表|函|书|清单|报告|材料|资料|文件|公章|盖章)(?:\(.{0,12}\))?$")
_SECTION_TITLE = re.compile(r"(?:要求|标准|条件|办法|须知|内容|说明|概况|需求|范围|方式|规定|细则|程序|条款)(?:\(.{0,12}\))?$")
_MAX_HEADING_CHARS = 40

# Keyword classes, first match wins; order matters (格式 before 资格, 评分 before 技术).
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("contract", re.compile(r"合同(?:主要)?条款|合同文本|(?:专用|通用)合同")),  # 合同条款及格式 is the contract
    ("forms", re.compile(r"(?:投标|响应|应答|申请|磋商|报价)文件(?:的)?格式|文件格式|格式(?:文件|范本|附件)?$|投标函|承诺函|声明函|授权(?:委托)?书|报价(?:一览)?表|偏离表|样表|样本|范本")),
    ("notice", re.compile(r"招标公告|采购公告|磋商公告|投标邀请|邀请书|询价公告|谈判公告|比选公告|资格预审公告|^公告")),
    ("scoring", re.compile(r"评标|评分|评审|评定|综合评估|打分|定标|评价办法|评估办法")),
    ("qualification", re.compile(r"资格|资质|合格投标人|合格供应商|投标人(?:应具备的)?条件|供应商(?:应具备的)?条件|申请人.*条件|准入")),
    ("contract", re.compile(r"合同(?:签订|授予|履行|管理|条件|内容|价款|主要|协议)|^(?:[一二三四五六七八九十]+[、.])?\s*合同\s*$")),
    ("commercial", re.compile(r"商务|付款|支付|交货|交付|售后|质保|质量保证|验收|报价要求")),
    ("technical", re.compile(r"技术|采购需求|需求|规格|参数|配置|服务内容|服务要求|货物清单|采购清单|采购内容|工程概况|施工要求")),
]
_STICKY = {"forms", "scoring"}  # subsections of these never change kind


@dataclass
class HeadingLine:
    start: int
    end: int
    text: str
    level: int


def classify_heading(text: str) -> str | None:
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return None


def find_headings(doc: NormalisedDocument) -> list[HeadingLine]:
    headings: list[HeadingLine] = []
    position = 0
    for line in doc.text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        stripped = line.strip()
        if not stripped or "\t" in line:
            continue
        level = _styled_level(doc, start) or _numbered_level(stripped)
        if level:
            headings.append(HeadingLine(start, end, stripped, level))
    return headings


def _styled_level(doc: NormalisedDocument, start: int) -> int | None:
    """The level the file's own styles give; a long sentence in a heading style (DOCX converted
    from PDF gives body text outline levels) is body text."""
    block = doc.block_at(start)
    if block is not None and block.kind == "heading" and block.level:
        text = block.text.strip()
        if len(text) > 2 * _MAX_HEADING_CHARS or (len(text) > _MAX_HEADING_CHARS and _SENTENCE_PUNCT.search(text)):
            return None
        return min(block.level, 6)
    return None


def _numbered_level(line: str) -> int | None:
    if len(line) > _MAX_HEADING_CHARS:
        return None
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(line):
            if level >= 3 and _SENTENCE_PUNCT.search(line):
                return None
            if level >= 4 and _DOCUMENT_ITEM.search(line) and not _SECTION_TITLE.search(line):
                return None
            if level == 1 and len(line) > 30:
                return None
            return level
    return None


def build_sections(doc: NormalisedDocument) -> list[Section]:
    headings = find_headings(doc)
    sections: list[Section] = []
    stack: list[int] = []  # indices of open sections, outermost first
    for heading in headings:
        while stack and sections[stack[-1]].level >= heading.level:
            closing = sections[stack.pop()]
            closing.end = heading.start
        parent = stack[-1] if stack else None
        own = classify_heading(heading.text)
        inherited = sections[parent].kind if parent is not None else "other"
        if inherited in _STICKY or own is None:
            kind = inherited
        else:
            kind = own
        block = doc.block_at(heading.start)
        sections.append(
            Section(
                heading=heading.text,
                kind=kind,
                level=heading.level,
                start=heading.start,
                end=len(doc.text),
                page=block.page if block else None,
                parent=parent,
            )
        )
        stack.append(len(sections) - 1)
    return sections


def section_at(sections: list[Section], offset: int) -> int | None:
    """The innermost section containing offset."""
    best = None
    for index, section in enumerate(sections):
        if section.start <= offset < section.end:
            if best is None or section.level >= sections[best].level:
                best = index
        elif section.start > offset:
            break
    return best
