"""Normalise: the extracted text → one clean Simplified-Chinese text, with a map back.

Each step fixes one defect that real tender files have, in this order:

1. running headers, footers and page numbers (—8—, 第 3 页 共 40 页) are dropped;
2. compatibility forms are folded: NFKC (full-width digits and punctuation), CJK radical
   look-alikes that NFKC leaves alone (⻅ → 见), zero-width characters;
3. Traditional → Simplified (OpenCC t2s);
4. pinyin annotations inserted by web scrapers are dropped (業(yè)績 → 业绩);
5. masked digits (**, (略), ××) become one ``*``, a token the rules read as "a number";
6. spaces between CJK characters (and between CJK and digits) are dropped;
7. lines wrapped inside a sentence or a table cell are joined; real paragraph ends stay.

After step 2 the text uses ASCII punctuation for ( ) : ; , ! ? and digits; rules are
written against that form.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from checker.model import Block, RawDocument
from checker.textmap import MappedText, delete_ranges, replace_at

MASK = "*"

# CJK Radicals Supplement characters that PDF text layers emit in place of ordinary
# ideographs and that NFKC does not fold (only U+2E9F and U+2EF3 are folded).
_RADICALS = {
    chr(code): target
    for code, target in {
        0x2E83: "乙", 0x2E8A: "卜", 0x2E8E: "兀", 0x2E93: "幺", 0x2E97: "心", 0x2E9B: "旡", 0x2E9D: "月",
        0x2EA0: "民", 0x2EA2: "水", 0x2EA7: "牛", 0x2EA9: "王", 0x2EAA: "疋", 0x2EAB: "目", 0x2EAC: "示",
        0x2EAE: "竹", 0x2EAF: "糸", 0x2EB0: "纟", 0x2EB6: "羊", 0x2EBB: "聿", 0x2EBC: "月", 0x2EC1: "虎",
        0x2EC4: "西", 0x2EC5: "见", 0x2EC6: "角", 0x2EC8: "讠", 0x2EC9: "贝", 0x2ECA: "足", 0x2ECB: "车",
        0x2ED1: "长", 0x2ED3: "长", 0x2ED4: "门", 0x2ED7: "雨", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页",
        0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食", 0x2EDE: "食", 0x2EDF: "食", 0x2EE0: "饣", 0x2EE1: "首",
        0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼", 0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦",
        0x2EE9: "黄", 0x2EEA: "黾", 0x2EEC: "齐", 0x2EEE: "齿", 0x2EF0: "龙",
    }.items()
}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def _keeps_shape(ch: str) -> bool:
    # circled numbers are list markers; NFKC would turn ①3年 into 13年
    code = ord(ch)
    return 0x2460 <= code <= 0x2473 or 0x24EA <= code <= 0x24FF or 0x2776 <= code <= 0x2793 or 0x3251 <= code <= 0x32BF


def fold_char(ch: str) -> str:
    if ch in _ZERO_WIDTH:
        return ""
    if ch in _RADICALS:
        return _RADICALS[ch]
    if ch.isascii() or _keeps_shape(ch):
        return ch
    folded = unicodedata.normalize("NFKC", ch)
    return _RADICALS.get(folded, folded)


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(mapped: MappedText) -> MappedText:
    converter = _opencc()
    converted = converter.convert(mapped.text)
    if len(converted) == len(mapped.text):
        return mapped.replace_same_length(converted)
    # a phrase conversion changed the length somewhere: fall back to characters
    return mapped.translate_chars(converter.convert)


_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"
_PINYIN = re.compile(rf"(?<=[\u3400-\u9fff])\(([a-zü]{{0,6}}[{_TONE}][a-zü{_TONE}]{{0,6}})\)")
_MASKED = re.compile(r"\*{2,}|\(略\)|×{2,}")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff「」『』【】《》“”‘’、。"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}0-9(),:;%.])|(?<=[{_CJK}0-9(),:;%.]) +(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"[ \u00a0]{2,}")
_EDGE_SPACE = re.compile(r" +(?=[\n\t\f])|(?<=[\n\t\f]) +")
_BLANK_LINES = re.compile(r"\n{2,}")

# A line that starts like this begins a new paragraph even if the previous line ran to the margin.
LIST_MARKER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇0-9]+[章节条部分篇卷]|[一二三四五六七八九十]+[、.]|"
    r"\(\s*[一二三四五六七八九十0-9]+\s*\)|\d+(?:\.\d+)*(?:[、.)]|\s)|[①-⑳⑴-⒇⒈-⒛]|[★▲●■◆□◇※#*]|"
    r"[a-zA-Z][.)、]|附件|附表|注[:：])"
)
_TERMINAL = tuple("。;:!?；：！？")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－~]*\s*\d{1,4}\s*[-—–－~]*|第\s*\d+\s*页\s*[,，/]?\s*(?:共\s*\d+\s*页)?|"
    r"共\s*\d+\s*页\s*第\s*\d+\s*页|[Pp]age\s*\d+(?:\s*of\s*\d+)?|\d+\s*/\s*\d+)\s*$"
)
_PAGE_NUMBER_LINE = re.compile(
    r"(?m)^[ \t]*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d+\s*页\s*[,，/]?\s*共\s*\d+\s*页|[Pp]age\s*\d+\s*of\s*\d+)[ \t]*$"
)


@dataclass
class NormalisedDocument:
    raw: RawDocument
    text: str
    source_index: list[int]  # for each char of text, its offset in raw.source_text
    removed_headers: list[str]

    def block_at(self, offset: int) -> Block | None:
        return block_at(self.raw.blocks, self._block_starts, self.source_index, offset)

    @cached_property
    def _block_starts(self) -> list[int]:
        return [b.source_start for b in self.raw.blocks]


def block_at(blocks: list[Block], starts: list[int], source_index: list[int], offset: int) -> Block | None:
    """The block that the character at ``offset`` of the normalised text came from."""
    if not blocks or not source_index:
        return None
    source = source_index[min(max(offset, 0), len(source_index) - 1)]
    return blocks[max(bisect.bisect_right(starts, source) - 1, 0)]


def normalise(raw: RawDocument) -> NormalisedDocument:
    mapped = MappedText(raw.source_text)
    mapped, removed_blocks = _drop_running_lines(mapped, raw)
    mapped = mapped.sub(_PAGE_NUMBER_LINE, "")
    mapped = _clean(mapped)
    mapped = _join_wrapped(mapped, raw, removed_blocks)
    mapped = _tidy(mapped)
    removed = sorted({b.text.strip() for b in removed_blocks})
    return NormalisedDocument(raw=raw, text=mapped.text, source_index=mapped.index, removed_headers=removed)


def normalise_text(text: str) -> str:
    """Normalise a lone clause (rule examples, evaluation lines): each line counts as a wrapped line."""
    mapped = _clean(MappedText(text))
    lines = mapped.text.split("\n")
    typical = _typical_length(lines)
    joins: dict[int, str] = {}
    position = 0
    for current, following in zip(lines, lines[1:]):
        position += len(current)
        if _wraps(current, following, len(current) >= 0.6 * typical):
            joins[position] = _joiner(current, following)
        position += 1
    return _tidy(replace_at(mapped, joins)).text


def _clean(mapped: MappedText) -> MappedText:
    mapped = mapped.translate_chars(fold_char)
    mapped = to_simplified(mapped)
    mapped = mapped.sub(_PINYIN, "")
    mapped = mapped.sub(_MASKED, MASK)
    mapped = mapped.sub(_CJK_SPACE, "")
    mapped = mapped.sub(_OUR_PLACE, "本")
    mapped = mapped.sub(_CN_QUANTITY, _arabic_quantity)
    return mapped


# 我市/我省 say what 本市/本省 say: rules are written against one of them.
_OUR_PLACE = re.compile(r"我(?=[省市区县州][^\u4e00-\u9fff]|[省市区县州](?:内|范围|辖区|注册|企业|供应商|本地|行政|的|区域|境内|设立|设有|有))")
# A quantity in Chinese numerals after a cue (近三年, 不少于五十人, 具有两项) is written in digits,
# so that every rule reading a number reads this one too; ordinals (第三章) and words (统一, 一般)
# have no cue in front of them and stay as they are.
_CN_QUANTITY = re.compile(
    r"(?P<cue>近|满|超过|不少于|不低于|少于|低于|不足|至少|达到|具有|具备|拥有|提供|配备|前|内|约|共|计|以上|[、,:;(\s≥>])"
    r"(?P<num>[一二两三四五六七八九十百千]{1,6})"
    r"(?=(?:个)?(?:人|名|项|家|份|台|套|次|年|月|周岁|岁|万元|亿元|元|天|日|小时))"
)


def _arabic_quantity(match: re.Match[str]) -> str:
    import cn2an  # only documents that write quantities in Chinese numerals need it

    try:
        return match.group("cue") + str(cn2an.cn2an(match.group("num"), "smart"))
    except (ValueError, KeyError):
        return match.group(0)


def _tidy(mapped: MappedText) -> MappedText:
    mapped = mapped.translate_chars(lambda ch: "\n" if ch == "\f" else (" " if ch == "\v" else ch))
    mapped = mapped.sub(_MULTI_SPACE, " ")
    mapped = mapped.sub(_EDGE_SPACE, "")
    mapped = mapped.sub(_CJK_SPACE, "")  # joined lines can bring CJK characters together across a space
    mapped = mapped.sub(_BLANK_LINES, "\n")
    return mapped


# ------------------------------------------------------------------ headers and footers


def _line_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(mapped: MappedText, raw: RawDocument) -> tuple[MappedText, list[Block]]:
    """Drop lines repeated at the top or bottom of most pages, and page-number lines there."""
    if raw.pages < 2:
        return mapped, []
    pages: dict[int, list[Block]] = {}
    for block in raw.blocks:
        if block.page is not None and block.kind == "line":
            pages.setdefault(block.page, []).append(block)
    # a running line repeats at the same edge (top or bottom) of at least half the pages
    edges = {"top": lambda lines: lines[:2], "bottom": lambda lines: lines[-2:]}
    threshold = max(2, (len(pages) + 1) // 2)
    removed: dict[int, Block] = {}
    for take in edges.values():
        seen: dict[str, set[int]] = {}
        for page, lines in pages.items():
            for block in take(lines):
                seen.setdefault(_line_key(block.text), set()).add(page)
        # running heads are short labels, never sentences
        running = {
            key for key, on in seen.items()
            if len(on) >= threshold and len(key) <= 40 and not key.endswith(("。", ";", "；", ",", "，"))
        }
        for lines in pages.values():
            for block in take(lines):
                if _line_key(block.text) in running or _PAGE_NUMBER.match(block.text):
                    removed[id(block)] = block
    removed = list(removed.values())
    ranges = [(b.source_start, b.source_start + len(b.text)) for b in removed]
    return delete_ranges(mapped, ranges), removed


# ------------------------------------------------------------------ wrapped lines


def _wraps(current: str, following: str, reached_margin: bool) -> bool:
    current = current.rstrip()
    if not current or not following.strip() or "\t" in current or "\t" in following:
        return False
    return reached_margin and not current.endswith(_TERMINAL) and not LIST_MARKER.match(following)


def _joiner(current: str, following: str) -> str:
    left, right = current.rstrip()[-1:], following.lstrip()[:1]
    return " " if (left.isascii() and left.isalpha() and right.isascii() and right.isalpha()) else ""


def _typical_length(lines: list[str]) -> float:
    lengths = sorted(len(line) for line in lines if line.strip())
    if not lengths:
        return 1.0
    return float(lengths[int(0.8 * (len(lengths) - 1))])


def _join_wrapped(mapped: MappedText, raw: RawDocument, removed: list[Block]) -> MappedText:
    """Join physical lines (PDF and text blocks) that continue one sentence; soft breaks in cells too."""
    joinable = _joinable_separators(raw, {id(b) for b in removed})
    replacements: dict[int, str] = {}
    text = mapped.text
    for position, (ch, origin) in enumerate(zip(text, mapped.index)):
        if ch == "\v":
            before = text[position - 1 : position]
            after = text[position + 1 : position + 2]
            replacements[position] = _joiner(before, after) if not LIST_MARKER.match(text[position + 1 : position + 12]) else " "
        elif ch in "\n\f" and origin in joinable:
            replacements[position] = joinable[origin]
    return replace_at(mapped, replacements)


def _joinable_separators(raw: RawDocument, removed: set[int]) -> dict[int, str]:
    """Source offsets of the separators between two physical lines of one sentence → joiner.

    Lines count as neighbours when only separators and dropped headers/footers stand
    between them, so a sentence wrapped over a page break is joined too.
    """
    kept: list[Block] = []
    contiguous: list[bool] = []  # contiguous[i]: nothing but dropped lines between kept[i-1] and kept[i]
    gap = False
    for block in raw.blocks:
        if id(block) in removed:
            continue
        if block.kind != "line":
            gap = True
            continue
        contiguous.append(bool(kept) and not gap)
        kept.append(block)
        gap = False
    if len(kept) < 2:
        return {}
    right_edge = _right_edges(kept)
    typical = _typical_length([b.text for b in kept])
    result: dict[int, str] = {}
    for i in range(1, len(kept)):
        current, following = kept[i - 1], kept[i]
        if not contiguous[i]:
            continue  # a table or other block stands between them
        if current.bbox and current.page in right_edge:
            height = max(current.bbox[3] - current.bbox[1], 6.0)
            reached = current.bbox[2] >= right_edge[current.page] - 1.6 * height
        else:
            reached = len(current.text) >= 0.8 * typical
        if _wraps(current.text, following.text, reached):
            end = current.source_start + len(current.text)
            result[end] = _joiner(current.text, following.text)
            for offset in range(end + 1, following.source_start):
                result[offset] = ""  # further separators left by dropped headers/footers
    return result


def _right_edges(lines: list[Block]) -> dict[int, float]:
    by_page: dict[int, list[float]] = {}
    for block in lines:
        if block.bbox and block.page is not None:
            by_page.setdefault(block.page, []).append(block.bbox[2])
    edges = {}
    all_edges = [x for xs in by_page.values() for x in xs]
    document_edge = statistics.quantiles(all_edges, n=10)[-1] if len(all_edges) >= 10 else max(all_edges, default=0)
    for page, xs in by_page.items():
        # the text block's right margin: most full lines end there
        common = Counter(round(x) for x in xs).most_common(1)[0][0] if xs else document_edge
        edges[page] = max(common, document_edge) if abs(common - document_edge) < 30 else document_edge
    return edges
