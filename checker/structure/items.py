"""Procurement items: rows of goods tables (序号 | 货物名称 | 规格 | 数量 | 品牌 …) and brand lists in the text."""

from __future__ import annotations

import re

from checker.model import Item, Section
from checker.normalise import NormalisedDocument
from checker.structure.sections import section_at

_COLUMNS = {
    "name": re.compile(r"(?:货物|产品|设备|标的|物资|材料|软件|品目|采购)?名称|品名|采购内容|货物$|设备$"),
    "spec": re.compile(r"规格|型号|技术参数|参数|配置|技术要求"),
    "quantity": re.compile(r"数量"),
    "unit": re.compile(r"^单位$|计量单位"),
    "brand": re.compile(r"品牌|厂家|制造商|产地"),
}
_NOT_NAME = re.compile(r"供应商|投标人|单位名称|项目名称|企业名称|评分|分值|序号")
# Brand list wording: the list ends at the sentence end or an "openness" phrase.
_OPENNESS = re.compile(r"或同等|或相当|同等档次|同档次|及以上|或以上|不限于|等同|相当于|或其他|或优于|等品牌|同等及以上")
_BRAND_SPLIT = re.compile(r"[、,;/|或及和①-⑳]|\s{2,}")  # one space stays: "德国 Forst" is one brand
_BRAND_NOISE = re.compile(r"^(?:参考|推荐|建议|指定)品牌[::]?|^品牌[::]|等$|品牌$|产品$|\(.*?\)$")
TEXT_BRAND_LIST = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9()\-]{2,30}?)?(?:的)?(?:参考|推荐|建议|指定|备选)品牌(?:为|如|包括|有)?[::]?\s*"
    r"(?P<brands>[^。;\n\t]{2,120})"
)


def split_brands(text: str) -> tuple[list[str], bool]:
    """'德国Forst、德国Hoffmann、日本Nachi或同等' → (['德国Forst', 'Hoffmann'…], open=True)."""
    openness = bool(_OPENNESS.search(text))
    head = _OPENNESS.split(text)[0]
    brands = []
    for part in _BRAND_SPLIT.split(head):
        part = _BRAND_NOISE.sub("", part.strip(" :,.()"))
        if 1 < len(part) <= 30 and not re.fullmatch(r"[\d.*%]+|无|不限|/|-", part):
            brands.append(part)
    return list(dict.fromkeys(brands)), openness


def build_items(doc: NormalisedDocument, sections: list[Section]) -> list[Item]:
    items: list[Item] = []
    header: dict[str, int] | None = None
    table = None
    position = 0
    for line in doc.text.split("\n"):
        start = position
        position += len(line) + 1
        if "\t" not in line:
            header = None
            items.extend(_text_brand_items(doc, sections, line, start))
            continue
        block = doc.block_at(start)
        if block is None or block.table != table:
            table, header = (block.table if block else None), None
        cells = line.split("\t")
        if header is None:
            header = _header(cells)
            continue
        item = _row_item(sections, cells, header, start, block)
        if item:
            items.append(item)
    return items


def _header(cells: list[str]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = cell.strip()
        if len(text) > 12:
            continue
        for column, pattern in _COLUMNS.items():
            if column not in columns and pattern.search(text):
                if column == "name" and _NOT_NAME.search(text):
                    continue
                columns[column] = index
                break
    if "name" in columns and len(columns) >= 2:
        return columns
    return None


def _row_item(sections, cells, header, start, block) -> Item | None:
    def cell(column: str) -> str | None:
        index = header.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index].strip() or None

    name = cell("name")
    if not name or len(name) > 80 or re.fullmatch(r"[\d.\s合计小计总计]+", name):
        return None
    offset = start + sum(len(c) + 1 for c in cells[: header["name"]])
    brands, openness = split_brands(cell("brand") or "")
    section = section_at(sections, start)
    return Item(
        name=name,
        start=offset,
        end=offset + len(cells[header["name"]]),
        page=block.page if block else None,
        section=sections[section].heading if section is not None else None,
        table=block.table if block else None,
        row=block.row if block else None,
        quantity=cell("quantity"),
        unit=cell("unit"),
        spec=cell("spec"),
        brands=brands,
        brands_open=openness,
    )


def _text_brand_items(doc, sections, line: str, start: int) -> list[Item]:
    found = []
    for match in TEXT_BRAND_LIST.finditer(line):
        brands, openness = split_brands(match.group("brands"))
        if not brands:
            continue
        name = (match.group("name") or "").strip() or "(未注明名称的货物)"
        block = doc.block_at(start + match.start())
        section = section_at(sections, start + match.start())
        found.append(
            Item(
                name=name,
                start=start + match.start(),
                end=start + match.end(),
                page=block.page if block else None,
                section=sections[section].heading if section is not None else None,
                brands=brands,
                brands_open=openness,
            )
        )
    return found
