"""The first-set catalogue: bundled rows, import of published lists, validity on a date."""

from __future__ import annotations

import csv
import json
import time
from datetime import date, datetime
from importlib.resources import as_file, files

import pytest

from checker.catalogue import (
    LEVEL_RANK,
    Catalogue,
    deemed_performance_until,
    is_valid,
    valid_until,
)
from checker.catalogue.load import read_file
from checker.errors import ConfigError


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty user data directory, so that no real imported catalogue leaks into a test."""
    directory = tmp_path / "home"
    monkeypatch.setenv("TENDER_CHECK_HOME", str(directory))
    return directory


def by_name(catalogue: Catalogue, name: str):
    (entry,) = [e for e in catalogue if e.name == name]
    return entry


# ---------------------------------------------------------------- bundled


def test_bundled_catalogue_has_the_91_real_rows_with_sources():
    catalogue = Catalogue.bundled()
    assert len(catalogue) == 91
    assert all(entry.source for entry in catalogue)
    assert not any(entry.generated for entry in catalogue)
    assert len({entry.id for entry in catalogue}) == 91


def test_bundled_catalogue_reads_in_under_half_a_second():
    with as_file(files("corpus") / "catalogue" / "entries.csv") as path:
        started = time.perf_counter()
        result = read_file(path)
        elapsed = time.perf_counter() - started
    assert not result.rejected
    assert elapsed < 0.5


def test_bundled_rows_keep_company_level_and_parameters():
    catalogue = Catalogue.bundled()
    magnet = by_name(catalogue, "1.5T无液氦超导磁体系统")
    assert (magnet.level, magnet.company, magnet.company_short) == ("国际", "宁波健信核磁技术有限公司", "健信")
    broach = by_name(catalogue, "深槽加工数控立式内拉床")
    assert broach.company_short == "畅尔"
    ship_engine = by_name(catalogue, "船用大功率微引燃L28/32双燃料发动机")
    assert ship_engine.company is None and ship_engine.company_short == "中船动力"
    film = by_name(catalogue, "复合增亮膜")
    assert film.uscc == "91331000563304198L" and film.company_label.endswith(film.uscc)
    printer = by_name(catalogue, "高速导带喷墨印花系统")
    assert printer.model == ("VEGA1600", "VEGA2500", "VEGA3200")


def test_directory_thresholds_are_parsed():
    argon = by_name(Catalogue.bundled(), "氟化氩光刻机")
    assert argon.type_keyed
    assert [(p.name, p.op, p.value, p.unit) for p in argon.key_parameters] == [
        ("分辨率", "≤", 65.0, "nm"),
        ("套刻", "≤", 8.0, "nm"),
    ]
    sic = by_name(Catalogue.bundled(), "陶瓷基复合材料-核电用SiC/SiC复合材料")
    density = sic.key_parameters[0]
    assert (density.name, density.op, density.value, density.high) == ("密度", "range", 2.7, 2.9)


def test_normalised_json_reads_back_the_same_entries(tmp_path):
    bundled = Catalogue.bundled()
    path = tmp_path / "copy.json"
    path.write_text(json.dumps({"entries": [e.to_dict() for e in bundled]}, ensure_ascii=False), encoding="utf-8")
    assert read_file(path).entries == list(bundled.entries)


def test_search_finds_by_company_and_by_type():
    catalogue = Catalogue.bundled()
    assert catalogue.search("浙江畅尔")[0][0].name == "深槽加工数控立式内拉床"
    names = [entry.name for entry, _ in catalogue.search("光刻机", limit=2)]
    assert sorted(names) == ["氟化氩光刻机", "氟化氪光刻机"]
    assert catalogue.search("   ") == []


def test_level_rank_orders_international_first():
    assert LEVEL_RANK["国际"] > LEVEL_RANK["国内"] > LEVEL_RANK["省级"] > LEVEL_RANK["市级"]


# ---------------------------------------------------------------- validity


def test_jiangsu_entry_expires_three_years_after_its_year():
    line = by_name(Catalogue.bundled(), "动力电池全极耳智能装配线(ZP327)")  # Jiangsu 2018
    assert valid_until(line) == date(2021, 12, 31)
    assert is_valid(line, date(2021, 12, 31)) is True
    assert is_valid(line, date(2022, 1, 1)) is False


def test_zhejiang_entry_valid_then_expired():
    ship = by_name(Catalogue.bundled(), "20000立方米LNG加注运输船")  # Zhejiang 2022
    assert is_valid(ship, date(2024, 6, 1)) is True
    assert is_valid(ship, date(2026, 1, 1)) is False
    assert deemed_performance_until(ship) == date(2024, 12, 31)


def test_entry_is_not_valid_before_it_was_listed():
    ship = by_name(Catalogue.bundled(), "20000立方米LNG加注运输船")
    assert is_valid(ship, date(2021, 6, 1)) is False


def test_validity_unknown_without_rule_or_year():
    catalogue = Catalogue.bundled()
    chongqing = by_name(catalogue, "驼峰重载无人机")  # Chongqing states no period
    assert valid_until(chongqing) is None and is_valid(chongqing, date(2024, 1, 1)) is None
    magnet = by_name(catalogue, "1.5T无液氦超导磁体系统")  # Zhejiang, listing year unknown
    assert valid_until(magnet) is None and deemed_performance_until(magnet) is None
    assert deemed_performance_until(chongqing) is None  # the 2-year rule is Zhejiang's


def test_exit_date_and_exact_listing_date(tmp_path, home):
    path = tmp_path / "list.csv"
    path.write_text(
        "产品名称,企业名称,档次,认定时间,退出目录时间\n"
        "甲型设备,浙江甲有限公司,省级,2024-02-29,\n"
        "乙型设备,浙江乙有限公司,省级,2023-05-01,2024年6月\n",
        encoding="utf-8",
    )
    result = Catalogue.import_file(path, catalogue="2024年浙江省首台(套)产品名单", save=False)
    first, second = result.entries
    assert valid_until(first) == date(2027, 2, 28)  # leap day, three years on
    assert valid_until(second) == date(2024, 6, 30)  # a month alone means its last day
    assert is_valid(second, date(2024, 7, 1)) is False


# ---------------------------------------------------------------- import


PUBLISHED_HEADER = ["序号", "产品名称", "企业名称", "类别", "档次", "所在地", "退出目录时间"]


def test_import_published_csv_reports_bad_rows(tmp_path, home):
    path = tmp_path / "2025年度浙江省首台套装备名单.csv"
    rows = [
        ["2025年度浙江省首台(套)装备名单"],  # title row above the header
        PUBLISHED_HEADER,
        ["1", "高速精密冲压生产线", "浙江某某机械股份有限公司", "成套", "国内", "宁波市", "2028年12月31日"],
        ["2", "", "浙江无名科技有限公司", "整机", "省级", "杭州市", ""],
        ["3", "大型数控龙门铣床", "浙江某某机床有限公司", "整机", "特级", "台州市", ""],
        ["4", "智能仓储穿梭车", "浙江某某物流有限公司", "整机", "省级", "嘉兴市", "明年"],
        ["5", "高速精密冲压生产线", "浙江某某机械股份有限公司", "成套", "国内", "宁波市", "2028年12月31日"],
        [],
    ]
    with path.open("w", newline="", encoding="gb18030") as handle:  # lists are often saved as GBK
        csv.writer(handle).writerows(rows)

    result = Catalogue.import_file(path)

    assert [e.name for e in result.entries] == ["高速精密冲压生产线"]
    entry = result.entries[0]
    assert entry.catalogue == "2025年度浙江省首台(套)装备名单"  # taken from the title row
    assert (entry.level, entry.category, entry.region, entry.exit_date) == ("国内", "成套", "宁波市", date(2028, 12, 31))
    assert entry.kind == "装备"
    rejected = dict(result.rejected)
    assert set(rejected) == {4, 5, 6, 7}  # row numbers as a spreadsheet shows them
    assert "缺少产品名称" in rejected[4]
    assert "未知的档次 '特级'" in rejected[5]
    assert "日期无效" in rejected[6]
    assert "与第 3 行重复" in rejected[7]
    assert "第 5 行：未知的档次" in result.report()
    assert result.saved_to is not None and result.saved_to.parent == home / "catalogues"


def test_imported_catalogue_joins_the_default_one(tmp_path, home):
    path = tmp_path / "city.csv"
    path.write_text("产品名称,企业名称,档次,年度\n智能配电柜,绍兴某某电气有限公司,市级,2023\n", encoding="utf-8")
    assert len(Catalogue.default()) == 91
    Catalogue.import_file(path, catalogue="绍兴市首台套重大技术装备推广应用指导目录")
    catalogue = Catalogue.default()
    assert len(catalogue) == 92
    imported = by_name(catalogue, "智能配电柜")
    assert imported.level == "市级" and valid_until(imported) == date(2026, 12, 31)
    # the stored JSON is the normalised form and reads back the same entry
    (stored,) = (home / "catalogues").glob("*.json")
    assert read_file(stored).entries == [imported]


def test_import_xlsx_with_dates_and_bad_year(tmp_path, home):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["产品名称", "企业名称", "档次", "年度", "退出目录时间", "产品类型"])
    sheet.append(["高性能碳纤维预浸料", "江苏某某新材料有限公司", "国内", 2023, datetime(2026, 12, 31), "新材料"])
    sheet.append(["工业软件平台", "江苏某某软件有限公司", "省级", "去年", None, "软件"])
    sheet.append(["某某检测装置", "江苏某某仪器有限公司", "省级", 2023, None, "服务"])
    path = tmp_path / "jiangsu.xlsx"
    workbook.save(path)

    result = Catalogue.import_file(path, catalogue="2023年江苏省首台(套)名单", save=False)

    (entry,) = result.entries
    assert (entry.kind, entry.listed_year, entry.exit_date) == ("新材料", 2023, date(2026, 12, 31))
    rejected = dict(result.rejected)
    assert "年份无效" in rejected[3]
    assert "未知的产品类型 '服务'" in rejected[4]
    assert result.saved_to is None


def test_import_json_list_and_non_objects(tmp_path, home):
    path = tmp_path / "national.json"
    path.write_text(
        json.dumps(
            [
                {"name": "氟化氩光刻机", "level": "国内", "catalogue": "指导目录", "key_parameters": "分辨率≤65nm；套刻≤8nm"},
                "not an entry",
                {"company": "没有名称的公司"},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = Catalogue.import_file(path, save=False)
    assert [e.name for e in result.entries] == ["氟化氩光刻机"]
    assert result.entries[0].key_parameters[0].value == 65.0
    assert dict(result.rejected) == {2: "不是 JSON 对象", 3: "缺少产品名称（没有名称的公司）"}


def test_unreadable_catalogue_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="不支持的目录文件格式"):
        read_file(tmp_path / "list.xls")
    headerless = tmp_path / "headerless.csv"
    headerless.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="没有产品名称列"):
        read_file(headerless)
    with pytest.raises(ConfigError, match="找不到目录文件"):
        Catalogue.from_paths([tmp_path / "missing.csv"])


def test_from_paths_loads_several_lists_and_merge_prefers_the_later(tmp_path):
    national = tmp_path / "national.csv"
    national.write_text("name,catalogue,level\n氟化氩光刻机,指导目录,国内\n", encoding="utf-8")
    provincial = tmp_path / "lists" / "zhejiang.csv"
    provincial.parent.mkdir()
    provincial.write_text("产品名称,企业名称,档次\n某某内拉床,浙江某某有限公司,\n无名行,,\n", encoding="utf-8")
    provincial.with_name("notes.txt").write_text("ignored", encoding="utf-8")

    loaded = Catalogue.from_paths([national, provincial.parent])
    assert {e.name for e in loaded} == {"氟化氩光刻机", "某某内拉床", "无名行"}  # 无名行: a name, no company
    assert loaded.rejected == ()

    corrected = tmp_path / "national-corrected.csv"
    corrected.write_text("name,catalogue,level\n氟化氩光刻机,指导目录,国际\n", encoding="utf-8")
    merged = Catalogue.merge(loaded, Catalogue.from_paths([corrected]))
    assert len(merged) == 3
    corrected_entry = by_name(merged, "氟化氩光刻机")
    assert corrected_entry.level == "国际"
    assert merged.get(corrected_entry.id) is corrected_entry
