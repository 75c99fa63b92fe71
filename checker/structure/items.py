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
    "brand": re.compile(r"品牌|厂家|制造商|生产商"),
    "origin": re.compile(r"产地|原产|国产/进口|进口/国产|是否进口"),
}
# Rows that are not the goods being bought: totals, spare parts and consumables, fees and services
# priced beside the goods (a 分项报价表 lists 运输费, 安装调试费 …).
_NOT_GOODS = re.compile(
    r"^(?:合计|小计|总计|总价|大写|备注|说明|其他|其它)|备品备件|备件|易损件|随机(?:附件|工具)|(?:运输|运杂|安装|调试|培训|保险|"
    r"税|服务|集成|检测|包装|装卸|差旅|管理|技术服务)费|^(?:人民币|¥)")
# Origin words in a brand column say where the goods come from, not who makes them.
_ORIGIN = re.compile(r"^(?:国产|进口|合资|国内|国外|境内|境外|自制|自产|定制|现场制作|详见.*|按.*要求)(?:\(.*\))?(?:品牌|产品)?$")
# 1. 数控立式加工中心，数量：2台。 — goods written as numbered lines
NUMBERED_GOODS = re.compile(
    r"^\s*(?:\d{1,3}|[一二三四五六七八九十]+)\s*[.、)]\s*(?P<name>[\u4e00-\u9fffA-Za-z0-9()\-/]{2,30}?)\s*[,:]\s*"
    r"(?:采购)?数量\s*[:为]?\s*(?P<qty>\d+(?:\.\d+)?)\s*(?P<unit>台套|台|套|个|件|辆|批|项|组|把|张|块|只|樘|米|吨|株)")
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
    """The goods being bought, in document order. Goods tables are read by their header row,
    which a table continued over a page break keeps; goods in the bidder's forms (分项报价表)
    count only when the tender lists its goods nowhere else."""
    items: list[Item] = []
    headers: dict[int | None, dict[str, int] | None] = {}  # table index → its header columns
    position = 0
    for line in doc.text.split("\n"):
        start = position
        position += len(line) + 1
        if "\t" not in line:
            items.extend(_text_brand_items(doc, sections, line, start))
            items.extend(_numbered_goods(doc, sections, line, start))
            continue
        block = doc.block_at(start)
        table = block.table if block else None
        cells = line.split("\t")
        found = _header(cells)
        if found is not None:  # a header row, or its repeat after a page break
            headers[table] = found
            continue
        item = _row_item(sections, cells, headers.get(table), start, block)
        if item:
            items.append(item)
    outside_forms = [i for i in items if _section_kind(sections, i.start) != "forms"]
    return outside_forms or items


def _section_kind(sections: list[Section], offset: int) -> str | None:
    index = section_at(sections, offset)
    return sections[index].kind if index is not None else None


def _numbered_goods(doc, sections, line: str, start: int) -> list[Item]:
    match = NUMBERED_GOODS.match(line)
    if not match or _NOT_GOODS.search(match.group("name")):
        return []
    block = doc.block_at(start)
    section = section_at(sections, start)
    return [Item(
        name=match.group("name"),
        start=start + match.start("name"),
        end=start + match.end("name"),
        page=block.page if block else None,
        section=sections[section].heading if section is not None else None,
        quantity=match.group("qty"),
        unit=match.group("unit"),
        spec=line[match.end():].strip(" ,;。") or None,
    )]


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

    if header is None:
        return None
    name = cell("name")
    if not name or len(name) > 80 or re.fullmatch(r"[\d.\s合计小计总计]+", name) or _NOT_GOODS.search(name):
        return None
    offset = start + sum(len(c) + 1 for c in cells[: header["name"]])
    brands, openness = split_brands(cell("brand") or "")
    brands = [b for b in brands if not _ORIGIN.match(b)]
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
