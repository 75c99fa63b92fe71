"""Chinese product names taken apart for matching.

rapidfuzz compares raw strings, and its token scorers split on spaces, which unsegmented
Chinese does not have. This module turns a name such as
``1.5T無液氦超導磁共振磁體系統（含安裝調試）`` into features that can be compared:

- ``core``: the name with model codes, quantities, purchase noise and punctuation removed,
  Traditional folded to Simplified, synonyms unified, and each Latin word (LNG, FPSO,
  TOPCon) turned into one symbol so that it weighs as one unit, not four letters;
- ``weights``: one weight per character of ``core``; generic words (智能, 成套, 系统,
  生产线 …) weigh little, because thousands of names share them;
- ``codes``: model codes (VZJ63-X, ZP327, YH3120-CD, L28/32, the VEGA1600、VEGA2500 series);
- ``quantities``: capacities with their unit (20000立方米, 1.5T, 3万瓦, 140万吨), in base
  units so that 2万立方米 equals 20000m³; a different value vetoes a match;
- ``attributes``: mutually exclusive qualifiers (立式/卧式, 核电用/航空用) that must agree.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# ---------------------------------------------------------------- vocabularies

GENERIC_WEIGHT = 0.2
MATERIAL_HEAD_WEIGHT = 0.3
EQUIPMENT_WEIGHT = 0.5  # below 1.0: head nouns never count as content that could be substituted
LINE_WEIGHT = 0.8
LATIN_WEIGHT = 2.0
DIGIT_WEIGHT = 0.5

# head nouns that name the same kind of thing are replaced by one symbol per kind, so that
# 系统 aligns with 设备 and 机组 with 生产线
EQUIPMENT = "\uf8f0"
LINE = "\uf8f1"
HEAD_SYMBOLS = {EQUIPMENT: "〔设备〕", LINE: "〔生产线〕"}

# adjectives that nearly every catalogue name carries
GENERIC_WORDS = (
    "智能化", "智能型", "智能", "成套", "新型", "高性能", "一体化", "全自动", "自动化", "自动", "高效", "节能型",
    "节能", "绿色", "数字化", "多功能", "先进", "超大型", "大型", "重型", "高端", "专用", "高速", "高精度",
    "高精", "精密", "全流程", "集成", "国产化", "环保", "新一代", "高可靠", "高品质", "综合", "新能源", "特种",
)
# what kind of thing it is, in words that many different products share
EQUIPMENT_WORDS = ("成套设备", "成套装备", "成套系统", "系统", "设备", "装置", "装备", "设施")
LINE_WORDS = ("生产线", "装配线", "流水线", "自动线", "产线", "机组")
MATERIAL_HEAD_WORDS = ("材料", "制品", "产品", "气体", "整机", "总成")

# purchase wording around the product name in tenders; dropped
_NOISE = re.compile(
    r"\((?:含|包括|包含|包|另含|不含|详见|见|参见|具体见|技术参数)[^()]*\)"  # (含安装调试) (详见技术参数)
    r"|品目\s*\d+\s*[:：]?|^\s*(?:\d+[.、]|\(\d+\)|[一二三四五六七八九十]+、)"
    r"|(?:19|20)\d\d年度?"
    r"|第?[0-9一二三四五六七八九十]+(?:包|标段|批次)"
    r"|[0-9一二三四五六七八九十两]+(?:台套|台|套|批|个|辆|艘|件|项|组|部)(?![a-z0-9])"
    r"|采购项目|采购|项目|购置|购买|货物|标段|数量|安装调试|及安装|国产|进口|全新|拟购"
)

# a parameter requirement written into the item's name (分辨率≤38nm); the matcher reads it
# from the original name, the name itself is compared without it
_PARAMETER_EXPRESSION = re.compile(
    r"[\u4e00-\u9fff]{1,10}\s*(?:[:：]\s*)?(?:≤|≥|<=|>=|<|>|不大于|不小于|不超过|不低于|小于|大于)\s*\d+(?:\.\d+)?"
    r"[a-zA-Zμ°℃%/()·0-9]*"
)

# written differently for the same thing; replaced before comparison (longest first)
SYNONYMS = {
    "液化天然气": "lng",
    "氟化氩": "arf",
    "氟化氪": "krf",
    "浮式生产储卸油": "fpso",
    "浮式储油卸油": "fpso",
    "核磁共振": "磁共振",
    "磁共振成像": "磁共振",
    "mri": "磁共振",
    "静电除尘": "电除尘",
    "聚四氟乙烯": "ptfe",
    "alsic": "铝基碳化硅",
    "sic颗粒增强铝基": "铝基碳化硅",
    "消毒": "灭菌",  # tenders use the two words for the same equipment
    "粉末": "粉体",
}

# words a tender adds to describe what an entry's word already implies: a 磁体 (magnet)
# system in these lists is the magnet of a magnetic-resonance scanner
IMPLIED = {"磁体": ("磁共振",)}

# mutually exclusive qualifiers: if item and entry carry different members, they differ
EXCLUSIVE_GROUPS = (
    ("立式", "卧式"),
    ("内拉", "外拉"),
    ("交流", "直流"),
    ("冷轧", "热轧"),
    ("单燃料", "双燃料"),
    ("干式", "湿式"),
    ("轮式", "履带式"),
    ("arf", "krf"),
    ("电除尘", "布袋除尘", "袋式除尘", "旋风除尘", "湿式除尘"),
    ("土压平衡", "泥水平衡"),
    ("单驱", "双驱"),
    ("纯电", "燃油", "柴油", "混合动力"),
    ("移动式", "固定式"),
    ("有液氦", "无液氦"),
    ("高温", "常温", "低温"),
    ("核电用", "航空用", "航天用", "船用", "车用", "医用", "军用", "民用", "家用", "矿用", "农用", "工业用"),
)

# ---------------------------------------------------------------- quantities

_UNITS = {  # unit as written → (dimension, factor to the base unit)
    "立方米": ("m3", 1.0), "m³": ("m3", 1.0), "m3": ("m3", 1.0), "方": ("m3", 1.0),
    "吨": ("t", 1.0), "t": ("t", 1.0), "kg": ("t", 1e-3), "千克": ("t", 1e-3), "公斤": ("t", 1e-3),
    "瓦": ("W", 1.0), "w": ("W", 1.0), "千瓦": ("W", 1e3), "kw": ("W", 1e3), "兆瓦": ("W", 1e6), "mw": ("W", 1e6),
    "T": ("T", 1.0), "特斯拉": ("T", 1.0),
    "英寸": ("in", 1.0), "寸": ("in", 1.0), "inch": ("in", 1.0),
    "毫米": ("m", 1e-3), "mm": ("m", 1e-3), "米": ("m", 1.0), "m": ("m", 1.0), "nm": ("m", 1e-9), "纳米": ("m", 1e-9),
    "伏": ("V", 1.0), "v": ("V", 1.0), "千伏": ("V", 1e3), "kv": ("V", 1e3),
    "升": ("L", 1.0), "l": ("L", 1.0),
    "马力": ("hp", 1.0), "hp": ("hp", 1.0),
    "千瓦时": ("Wh", 1e3), "kwh": ("Wh", 1e3),
}
_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3}


def _alternation(units) -> str:
    return "|".join(sorted((re.escape(u) for u in units), key=len, reverse=True))


# a number not glued to a model code (MEC-7.5mm, GRT200-TM20 are codes), an optional 万/亿,
# a unit; a Latin unit must not run on into a word (1.5T无 is tesla, 3R is not a unit)
_QUANTITY = re.compile(
    r"(?<![A-Za-z0-9\-/.])(\d+(?:\.\d+)?)\s*([万亿千]?)\s*"
    rf"(?:({_alternation(u for u in _UNITS if not u.isascii())})"
    rf"|({_alternation(u for u in _UNITS if u.isascii())})(?![A-Za-z0-9]))"
    r"(?:/年|/a|每年)?级?",
    re.I,
)

_CODE_RUN = re.compile(r"([a-z0-9](?:[a-z0-9\-/.·+]*[a-z0-9])?)(型|系列)?")
_CODE_KEY_STRIP = re.compile(r"[\-/.·+]")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "‐": "-", "―": "-", "～": "~"})
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "［": "(", "］": ")", "[": "(", "]": ")",
                           "｛": "(", "｝": ")", "{": "(", "}": ")", "〈": "(", "〉": ")", "《": "(", "》": ")"})
_JOINERS = re.compile(r"以及|及")  # 和 and 与 join verbs too (储存和再气化), 及 joins products
_BRACKETED = re.compile(r"\([^()]*\)")
_CLASS_DASH = re.compile(r"(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff a-z])")

# A Latin word becomes one character of Unicode plane 15 (private use), chosen by a stable
# hash: no state grows with the input, and a collision of two acronyms (1 in 65534) is the
# price. The reverse map only serves readable() and is bounded by the same 65534 codes.
_LATIN_PLANE = 0xF0000
_LATIN_CODES = 0xFFFE
_SYMBOL_WORDS: dict[str, str] = dict(HEAD_SYMBOLS)


def _latin_symbol(word: str) -> str:
    symbol = chr(_LATIN_PLANE + zlib.crc32(word.encode("ascii", "replace")) % _LATIN_CODES)
    _SYMBOL_WORDS[symbol] = word.upper()
    return symbol


@dataclass(frozen=True, slots=True)
class Quantity:
    dimension: str
    value: float  # in the dimension's base unit
    text: str  # as written

    def same_as(self, other: Quantity) -> bool:
        return abs(self.value - other.value) <= 0.01 * max(abs(self.value), abs(other.value))


@dataclass(frozen=True, slots=True)
class NameFeatures:
    core: str
    weights: tuple[float, ...]
    codes: dict[str, str]  # comparison key (ZP327) → as written (ZP-327)
    quantities: tuple[Quantity, ...]
    attributes: frozenset[str]
    # shorter readings of a catalogue name, each (core, weights): the first product of
    # 刨片机及进料系统, the product after the class in 陶瓷基复合材料-耐烧蚀C/SiC复合材料, the
    # name without its bracketed alias in 12英寸全自动划片机(机械划片机)
    alternatives: tuple[tuple[str, tuple[float, ...]], ...]

    @property
    def content(self) -> str:
        """The core without its generic words: what the fast first pass compares."""
        return "".join(ch for ch, w in zip(self.core, self.weights) if w >= 1.0)


def readable(core: str) -> str:
    """A piece of a core with its symbols written out again (for reasons shown to users)."""
    return "".join(_SYMBOL_WORDS.get(ch, ch) for ch in core)


def fold(text: str) -> str:
    """NFKC, Traditional → Simplified, one kind of bracket and dash."""
    text = unicodedata.normalize("NFKC", text)
    return _T2S.convert(text).translate(_BRACKETS).translate(_DASHES)


def code_key(code: str) -> str:
    return _CODE_KEY_STRIP.sub("", code.upper()).removesuffix("型")


def split_codes(text: str) -> list[str]:
    """Model codes in a model column: ``VEGA1600、VEGA2500`` or ``飞宇2008型`` (a code has a digit)."""
    found = []
    for part in re.split(r"[、,，;；\s]+|和|及", fold(text)):
        found += [run for run, _ in _CODE_RUN.findall(part.lower()) if any(c.isdigit() for c in run)]
    return found


def _quantities(text: str) -> tuple[str, list[Quantity]]:
    found: list[Quantity] = []

    def take(match: re.Match) -> str:
        number, multiplier, unit = match.group(1), match.group(2), match.group(3) or match.group(4)
        key = unit if unit in _UNITS else unit.lower()  # T is tesla, t is tonne
        if key not in _UNITS:
            return match.group()
        dimension, factor = _UNITS[key]
        value = float(number) * _MULTIPLIERS.get(multiplier, 1.0) * factor
        found.append(Quantity(dimension, value, match.group().strip()))
        return " "

    return _QUANTITY.sub(take, text), found


def _codes(text: str) -> tuple[str, dict[str, str]]:
    """Take model codes out of a casefolded name; Latin words without digits stay in it."""
    codes: dict[str, str] = {}

    def take(match: re.Match) -> str:
        run, suffix = match.group(1), match.group(2) or ""
        has_digit = any(c.isdigit() for c in run)
        has_letter = any(c.isalpha() for c in run)
        if has_digit and (has_letter or suffix):
            codes.setdefault(code_key(run), run.upper())
            return " "
        return f" {run} {suffix}" if has_letter else run + suffix

    return _CODE_RUN.sub(take, text), codes


_ATTRIBUTE = re.compile("|".join(sorted((re.escape(w) for g in EXCLUSIVE_GROUPS for w in g), key=len, reverse=True)))


def _attributes(text: str) -> frozenset[str]:
    return frozenset(_ATTRIBUTE.findall(text))


_VOCABULARY = {  # word → (what it becomes in the core, weight)
    **{w: (w, GENERIC_WEIGHT) for w in GENERIC_WORDS},
    **{w: (w, MATERIAL_HEAD_WEIGHT) for w in MATERIAL_HEAD_WORDS},
    **{w: (EQUIPMENT, EQUIPMENT_WEIGHT) for w in EQUIPMENT_WORDS},
    **{w: (LINE, LINE_WEIGHT) for w in LINE_WORDS},
}
_TOKEN = re.compile(
    r"(?P<latin>[a-z][a-z/]*)"
    rf"|(?P<word>{'|'.join(sorted(map(re.escape, _VOCABULARY), key=len, reverse=True))})"
    r"|(?P<cjk>[\u3400-\u9fff])|(?P<digit>\d)"
)


def _weigh(text: str) -> tuple[str, tuple[float, ...]]:
    """Turn the cleaned name into (core, weights): generic words light, Latin words one heavy symbol."""
    chars: list[str] = []
    weights: list[float] = []
    seen_latin: set[str] = set()
    for token in _TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group()
        if kind == "latin":
            word = value.strip("/")
            if word and word not in seen_latin:  # FPSO浮式储油卸油装置 names FPSO twice
                seen_latin.add(word)
                chars.append(_latin_symbol(word))
                weights.append(LATIN_WEIGHT)
        elif kind == "word":
            replacement, weight = _VOCABULARY[value]
            chars += replacement
            weights += [weight] * len(replacement)
        else:
            chars.append(value)
            weights.append(1.0 if kind == "cjk" else DIGIT_WEIGHT)
    return "".join(chars), tuple(weights)


def without_implied(item: NameFeatures, entry: NameFeatures) -> tuple[str, tuple[float, ...]]:
    """The item's core without the words the entry's words already imply (磁共振 of a 磁体 system)."""
    drop = [False] * len(item.core)
    for key, words in IMPLIED.items():
        if key in entry.core:
            for word in words:
                start = item.core.find(word)
                while start >= 0:
                    drop[start: start + len(word)] = [True] * len(word)
                    start = item.core.find(word, start + 1)
    if not any(drop):
        return item.core, item.weights
    kept = [i for i, dropped in enumerate(drop) if not dropped]
    return "".join(item.core[i] for i in kept), tuple(item.weights[i] for i in kept)


_TRAILING_BRACKET = re.compile(r"^(.*?[^\s(])\s*\(([^()]*)\)\s*$")


def _qualifier_first(text: str) -> str:
    """``自清洁涂料(建筑外墙用)`` → ``建筑外墙用 自清洁涂料``: the head noun stays last, where heads are."""
    match = _TRAILING_BRACKET.match(text)
    if not match or not match.group(2).strip():
        return text
    return f"{match.group(2)} {match.group(1)}"


_SYNONYM = re.compile("|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)))


def _unify_synonyms(text: str) -> str:
    def replace(match: re.Match) -> str:
        replacement = SYNONYMS[match.group()]
        return f" {replacement} " if replacement.isascii() else replacement

    return _SYNONYM.sub(replace, text)


@lru_cache(maxsize=65536)
def name_features(name: str, model: tuple[str, ...] = ()) -> NameFeatures:
    """Features of a product name; ``model`` adds the codes of a catalogue's model column."""
    rest, quantities = _quantities(_PARAMETER_EXPRESSION.sub(" ", fold(name)))
    rest = _NOISE.sub(" ", rest.lower())
    rest, codes = _codes(rest)
    for code in model:
        for part in split_codes(code):
            codes.setdefault(code_key(part), part.upper())
    rest = _unify_synonyms(rest)
    unbracketed = _BRACKETED.sub("", rest) if _BRACKETED.search(rest) else ""
    rest = _qualifier_first(rest)
    core, weights = _weigh(rest)
    alternatives = []
    joiner = _JOINERS.search(rest)
    dash = _CLASS_DASH.search(rest)
    for part in (
        rest[: joiner.start()] if joiner else "",
        rest[dash.end():] if dash else "",
        unbracketed,
    ):
        if not part:
            continue
        part_core, part_weights = _weigh(part)
        if sum(w for w in part_weights if w >= 1.0) >= 2:
            alternatives.append((part_core, part_weights))
    return NameFeatures(
        core=core,
        weights=weights,
        codes=codes,
        quantities=tuple(quantities),
        attributes=_attributes(rest),
        alternatives=tuple(alternatives),
    )
