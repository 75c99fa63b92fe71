"""Reading catalogue files (CSV, XLSX, JSON) into entries, rejecting rows that cannot be trusted.

Published lists use Chinese column names (序号 | 产品名称 | 企业名称 | 类别 | 档次 | 所在地 |
退出目录时间) and often carry a title row above the header; the bundled CSV and the
normalised JSON use English names. Both are accepted. A row is rejected, with its row
number and a reason, when its product name is missing, its kind or level is not one of
the known values, a year or date cannot be read, or it repeats an earlier row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from checker.catalogue.companies import split_company, uscc_of
from checker.catalogue.model import KINDS, LEVELS, CatalogueEntry, entry_id
from checker.catalogue.parameters import key_parameter_from_dict, parse_key_parameters
from checker.errors import ConfigError

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".json")

COLUMN_ALIASES = {
    "name": ("name", "产品名称", "名称", "产品", "装备名称", "材料名称", "软件名称", "产品名称及型号", "项目名称"),
    "model": ("model", "型号", "规格型号", "产品型号", "型号规格"),
    "company": ("company", "企业名称", "企业", "生产企业", "申报单位", "申报企业", "单位名称", "研制单位", "公司名称", "制造商"),
    "company_short": ("company_short", "企业简称", "简称"),
    "brands": ("brands", "品牌", "商标"),
    "uscc": ("uscc", "统一社会信用代码", "信用代码"),
    "level": ("level", "档次", "级别", "认定等级", "等级"),
    "region": ("region", "所在地", "所在地区", "地区", "所属地区", "地市"),
    "catalogue": ("catalogue", "目录", "名单", "目录名称"),
    "listed_year": ("year", "listed_year", "年份", "年度", "认定年度", "入选年度", "公布年份"),
    "listed_date": ("listed_date", "认定时间", "公布日期", "公布时间", "入选时间", "发布日期"),
    "exit_date": ("exit_date", "退出目录时间", "退出时间", "退出日期", "有效期至"),
    "kind": ("kind", "类型", "产品类型"),
    "category": ("category", "类别", "领域", "所属领域", "产品类别", "行业"),
    "version": ("version", "版本", "版本号"),
    "key_parameters": ("key_parameters", "关键技术指标", "主要技术指标", "技术指标", "性能指标", "关键参数"),
    "source": ("source", "source_url", "来源", "出处"),
    "generated": ("generated",),
    "row_label": ("序号", "编号", "no", "no."),
}
_EXACT = {alias.lower(): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
_BY_LENGTH = sorted(_EXACT, key=len, reverse=True)

_KIND_WORDS = (("新材料", "新材料"), ("材料", "新材料"), ("软件", "软件"), ("装备", "装备"), ("首台", "装备"))
_LEVEL_NOISE = re.compile(r"首台\(套\)|首台套|首批次|首版次|领先|先进|水平|产品")
_LEVEL_PREFIX = (("国际", "国际"), ("国内", "国内"), ("全国", "国内"), ("省", "省级"), ("市", "市级"))
_LIST_SPLIT = re.compile(r"[、,，;；]\s*")


@dataclass
class ImportResult:
    entries: list[CatalogueEntry]
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number as the file shows it, reason)
    source: str = ""
    saved_to: Path | None = None

    def report(self) -> str:
        lines = [f"{self.source}：读取 {len(self.entries)} 条，拒绝 {len(self.rejected)} 行"]
        lines += [f"  第 {row} 行：{reason}" for row, reason in self.rejected]
        return "\n".join(lines)


def canonical_column(header: Any) -> str | None:
    return _canonical_column(str(header or ""))


@lru_cache(maxsize=1024)
def _canonical_column(header: str) -> str | None:
    text = unicodedata.normalize("NFKC", header).strip().lower()
    text = re.sub(r"\s+", "", text)
    if not text:
        return None
    if text in _EXACT:
        return _EXACT[text]
    for alias in _BY_LENGTH:  # 首台(套)产品名称 → name; the longest alias wins so 企业名称 is not read as 名称
        if len(alias) > 1 and alias in text:
            return _EXACT[alias]
    return None


# ------------------------------------------------------------------ reading files


def read_file(path: str | Path, *, catalogue: str | None = None) -> ImportResult:
    """Read one catalogue file. ``catalogue`` names the list when the file has no such column."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ConfigError(f"{path.name}：不支持的目录文件格式 {suffix or '（无扩展名）'}，请用 CSV、XLSX 或 JSON")
    if not path.is_file():
        raise ConfigError(f"{path}：找不到目录文件")
    if suffix == ".json":
        rows, title = _json_rows(path)
    else:
        table = _csv_table(path) if suffix == ".csv" else _xlsx_table(path)
        rows, title = _table_rows(table, path.name)
    default_catalogue = catalogue or title or path.stem
    return rows_to_entries(rows, default_catalogue=default_catalogue, source=str(path))


def _csv_table(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # government lists are often saved as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ConfigError(f"{path.name}：不是 UTF-8 或 GB18030 编码的文本")
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_table(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or mislabelled file
        raise ConfigError(f"{path.name}：无法读取的 XLSX 工作簿（{exc.__class__.__name__}）") from exc
    try:
        sheet = workbook.worksheets[0]  # published lists are one sheet; further sheets are notes
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _table_rows(table: list[list[Any]], file_name: str) -> tuple[list[tuple[int, dict[str, Any]]], str | None]:
    """Find the header (within the first 10 rows), keep the title above it, map the rest to columns."""
    for index, row in enumerate(table[:10]):
        columns = [canonical_column(cell) for cell in row]
        if "name" in columns:
            break
    else:
        raise ConfigError(f"{file_name}：前 10 行中没有产品名称列（产品名称 / name）")
    title_cells = [str(cell).strip() for row in table[:index] for cell in row if cell not in (None, "")]
    title = title_cells[0] if title_cells else None
    rows = []
    for number, row in enumerate(table[index + 1:], start=index + 2):
        record: dict[str, Any] = {}
        for column, cell in zip(columns, row):
            if column and cell not in (None, "") and column not in record:
                record[column] = cell
        extra_cells = sum(1 for column, cell in zip(columns, row) if column is None and cell not in (None, ""))
        rows.append((number, record | ({"_unmapped": extra_cells} if extra_cells else {})))
    return rows, title


def _json_rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path.name}：不是有效的 JSON（{exc}）") from exc
    title = None
    if isinstance(data, dict):
        title = data.get("catalogue")
        data = data.get("entries")
    if not isinstance(data, list):
        raise ConfigError(f"{path.name}：应为条目列表，或含 entries 列表的对象")
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            rows.append((number, {"_not_object": True}))
            continue
        record = {}
        for key, value in item.items():
            column = canonical_column(key)
            if column and value not in (None, "", []):
                record[column] = value
        rows.append((number, record))
    return rows, title


# ------------------------------------------------------------------ rows → entries


class RowError(ValueError):
    pass


def rows_to_entries(
    rows: Iterable[tuple[int, dict[str, Any]]], *, default_catalogue: str, source: str
) -> ImportResult:
    result = ImportResult(entries=[], source=source)
    seen: dict[str, int] = {}
    for number, record in rows:
        if record.get("_not_object"):
            result.rejected.append((number, "不是 JSON 对象"))
            continue
        values = {k: v for k, v in record.items() if not k.startswith("_")}
        if not values and not record.get("_unmapped"):
            continue  # a blank spacer row
        try:
            entry = _entry(values, default_catalogue)
        except RowError as exc:
            result.rejected.append((number, str(exc)))
            continue
        if entry.id in seen:
            result.rejected.append((number, f"与第 {seen[entry.id]} 行重复（{entry.name}）"))
            continue
        seen[entry.id] = number
        result.entries.append(entry)
    return result


_SPACES = re.compile(r"\s+")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value)).strip()) or None


def _entry(values: dict[str, Any], default_catalogue: str) -> CatalogueEntry:
    name = _text(values.get("name"))
    if not name:
        cells = "，".join(str(v) for v in values.values())
        raise RowError(f"缺少产品名称（{cells}）" if cells else "缺少产品名称")
    catalogue = _text(values.get("catalogue")) or default_catalogue
    company_text = _text(values.get("company"))
    company = company_short = uscc = None
    brands: list[str] = _split_list(values.get("brands"))
    if company_text and uscc_of(company_text):
        uscc = uscc_of(company_text)
    elif company_text:
        parts = split_company(company_text)
        if parts.is_legal_name:
            company, company_short = company_text, parts.core or None
        else:
            company_short = company_text  # the list gave only a short name (中船动力)
            if parts.core and parts.core != company_text.lower():
                brands.append(parts.core)
    company_short = _text(values.get("company_short")) or company_short
    uscc = _text(values.get("uscc")) or uscc
    version = _text(values.get("version"))
    listed_date = _date(values.get("listed_date"), "listed_date")
    listed_year = _year(values.get("listed_year")) or (listed_date.year if listed_date else None)
    return CatalogueEntry(
        id=entry_id(catalogue, name, company or company_short or uscc, version),
        name=name,
        catalogue=catalogue,
        kind=_kind(values.get("kind"), catalogue),
        model=tuple(_split_list(values.get("model"))),
        company=company,
        company_short=company_short,
        uscc=uscc,
        brands=tuple(dict.fromkeys(b for b in brands if b and b != company_short)),
        version=version,
        level=_level(values.get("level")),
        region=_text(values.get("region")),
        listed_year=listed_year,
        listed_date=listed_date,
        exit_date=_date(values.get("exit_date"), "exit_date"),
        category=_text(values.get("category")),
        key_parameters=_key_parameters(values.get("key_parameters")),
        source=_text(values.get("source")),
        generated=_flag(values.get("generated")),
    )


def _split_list(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else _LIST_SPLIT.split(str(value))
    return [text for item in items if (text := _text(item))]


def _kind(value: Any, catalogue: str) -> str:
    text = _text(value)
    if text is None:  # the list's own name says what it lists (首批次新材料, 首版次软件)
        return next((kind for word, kind in _KIND_WORDS if word in catalogue), "装备")
    for word, kind in _KIND_WORDS:
        if word in text:
            return kind
    raise RowError(f"未知的产品类型 {text!r}（应为 {'、'.join(KINDS)} 之一）")


def _level(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    bare = _LEVEL_NOISE.sub("", text).strip()
    if bare in LEVELS:
        return bare
    for prefix, level in _LEVEL_PREFIX:
        if bare.startswith(prefix) and len(bare) <= len(prefix) + 2:
            return level
    raise RowError(f"未知的档次 {text!r}（应为 {'、'.join(LEVELS)} 之一）")


_YEAR_RE = re.compile(r"\s*((?:19|20)\d\d)\s*(?:年度?)?\s*")


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = _YEAR_RE.fullmatch(str(value))
    if not match or not 1990 <= int(match.group(1)) <= date.today().year + 1:
        raise RowError(f"年份无效：{value!r}")
    return int(match.group(1))


_DATE_RE = re.compile(r"((?:19|20)\d\d)\s*(?:[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?")
_EXCEL_EPOCH = date(1899, 12, 30)
_COLUMN_LABEL = {"listed_date": "认定时间", "exit_date": "退出目录时间"}


def _date(value: Any, column: str) -> date | None:
    """A date as lists write it; a month or year alone means its last day (the generous reading)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:  # an Excel serial day number
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _DATE_RE.fullmatch(text)
    if not match:
        raise RowError(f"{_COLUMN_LABEL.get(column, column)} 日期无效：{value!r}")
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if month is None:
            return date(year, 12, 31)
        if day is None:
            return date(year, int(month), monthrange(year, int(month))[1])
        return date(year, int(month), int(day))
    except ValueError as exc:
        raise RowError(f"{_COLUMN_LABEL.get(column, column)} 日期无效：{value!r}") from exc


def _key_parameters(value: Any):
    if isinstance(value, list):  # normalised JSON keeps them parsed
        return tuple(key_parameter_from_dict(item) for item in value if isinstance(item, dict))
    return parse_key_parameters(_text(value))


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes")
