"""Validate corpus/eval/project-clauses.jsonl and count it per label, section and text form.

Usage: python corpus/eval/stats.py [FILE.jsonl] [--markdown]

Exit status 0 when the file is valid, 1 when a line breaks the format (each problem is
printed on stderr). Text forms are recognised from the text alone, with the heuristics
below; a line can show several forms. Standard library only.
"""
import collections
import json
import pathlib
import re
import sys

LABELS = [
    "market_share", "prior_performance", "regional_performance_or_awards", "scale_condition",
    "establishment_years", "brand_designation", "brand_list", "tailored_parameters",
    "locality_or_ownership", "manufacturer_authorization", "other_discriminatory", "compliant",
]
SECTIONS = ["qualification", "scoring", "technical", "commercial", "unknown"]
KEYS = {"id", "text", "label", "discriminatory", "section", "source", "note"}

# Traditional-only characters (forms that simplified text never uses), covering this
# corpus's vocabulary; generated once with OpenCC s2t/s2tw/s2hk and frozen here.
TRADITIONAL = set("並亞佈佔來係倉個偽備傳債僅僞價儀億優儲內兩冊別則劃動務勝勞勵匯區協參員問啓啟單嚴國圍園團執報場塊塗壓夢奧學實審寫寬寶將專對導屬崗師幣庫廠廢廣張強彙後徑從復愛慮憑應懸戶採揀揚換擇擔據擬擴攜攝數斷於時書會東桿條棧業榮構樂標樣機檔檢檻櫃權歐歷殘氣汙決沒況淨減測準溫滬滿漢潔潤濟瀏為無熱燈營爭爲爾牆狀獄獎獨獲現環產當療發監盤碩碼稅種稱穩窺競筆節範築簽簾籤約納紐紙級細終組結絕絡給統經綜維網線編縣縫縮總績織繫繳續纜罰羅義聖聯聲職腦臺與華萬蓋蔘薦藥蘇蘭處虛號術衛衞裝製複覈見規視親覽訂計訊訓託記訪設許訴診註評詢試話該詳誌認誤說説課調請論諦諾證識議護譽讀變負財貨責買費賃賄資賓質賬購賽車軌軍軟較載輛輪輸轉辦連週進運過達違遞遠適選郵醫針銀銳銷鋭鋼錄錢鍵鎮鏡鐵長門開間閥閱閲關陝陽隊險雙離雲電靈響頁項順須預頓領頻題額願類顧顯飛餘駐驗體點")

CJK = "\u4e00-\u9fff"
FORMS = {
    # table row: cells separated by "|", a tab, two or more spaces or an ideographic space
    "table_row": lambda t: "|" in t or "\t" in t or re.search(r"\S(?: {2,}|\u3000+)\S", t) is not None,
    # line break inside a clause (PDF extraction), outside table rows
    "wrapped": lambda t: "\n" in t and not FORMS["table_row"](t),
    "traditional": lambda t: any(c in TRADITIONAL for c in t),
    "pinyin_annotation": lambda t: re.search(
        r"[%s]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)" % CJK, t) is not None,
    "masked": lambda t: "*" in t or "（略）" in t or "(略)" in t,
    "fullwidth": lambda t: re.search(r"[０-９％＜＞＝．／＋Ａ-Ｚａ-ｚ]", t) is not None,
    "numbering_prefix": lambda t: not FORMS["table_row"](t) and re.match(
        r"\s*(?:[★▲■●※#]|[\d０-９*]+(?:[.．][\d０-９*]+)+|[\d０-９]+[、.．]"
        r"|[（(][一二三四五六七八九十\d０-９*]+[）)]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+条)", t) is not None,
    # a single space between two CJK characters, outside table rows, a numbering prefix
    # ("第六条 ") and book titles 《…》, where real documents put spaces
    "stray_spaces": lambda t: not FORMS["table_row"](t) and re.search(
        r"[%s] [%s]" % (CJK, CJK), re.sub(r"《[^》]*》", "", re.sub(r"^\s*第\S+条 ", "", t))) is not None,
}


def load(path):
    rows, errors, seen = [], [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {n}: not an object")
            continue
        missing = KEYS - obj.keys()
        if missing:
            errors.append(f"line {n}: missing keys {sorted(missing)}")
            continue
        if obj["id"] in seen:
            errors.append(f"line {n}: duplicate id {obj['id']}")
        seen.add(obj["id"])
        if obj["label"] not in LABELS:
            errors.append(f"line {n}: unknown label {obj['label']!r}")
        if obj["section"] not in SECTIONS:
            errors.append(f"line {n}: unknown section {obj['section']!r}")
        if obj["discriminatory"] is not (obj["label"] != "compliant"):
            errors.append(f"line {n}: discriminatory does not match label")
        if not isinstance(obj["text"], str) or not obj["text"].strip():
            errors.append(f"line {n}: empty text")
        if not isinstance(obj["note"], str) or not obj["note"].strip():
            errors.append(f"line {n}: empty note")
        rows.append(obj)
    return rows, errors


def table(title, counter, total, keys=None):
    keys = keys or sorted(counter, key=lambda k: (-counter[k], k))
    out = [f"| {title} | lines | share |", "| --- | ---: | ---: |"]
    for k in keys:
        out.append(f"| {k} | {counter[k]} | {100 * counter[k] / total:.1f}% |")
    out.append(f"| total lines | {total} | |")
    return "\n".join(out)


def main(argv):
    markdown = "--markdown" in argv
    args = [a for a in argv if not a.startswith("--")]
    path = pathlib.Path(args[0]) if args else pathlib.Path(__file__).with_name("project-clauses.jsonl")
    rows, errors = load(path)
    for e in errors:
        print(e, file=sys.stderr)
    total = len(rows)
    labels = collections.Counter(r["label"] for r in rows)
    sections = collections.Counter(r["section"] for r in rows)
    by_label_section = collections.Counter((r["label"], r["section"]) for r in rows)
    forms = collections.Counter()
    for r in rows:
        for name, test in FORMS.items():
            if test(r["text"]):
                forms[name] += 1
    disc = sum(r["discriminatory"] for r in rows)
    borderline = sum("borderline" in r["note"] for r in rows)
    if markdown:
        print(table("label", labels, total, LABELS))
        print()
        print(f"discriminatory: {disc}; compliant: {total - disc}; notes marked borderline: {borderline}")
        print()
        print(table("section", sections, total, SECTIONS))
        print()
        head = "| label | " + " | ".join(SECTIONS) + " |"
        print(head)
        print("| --- |" + " ---: |" * len(SECTIONS))
        for lab in LABELS:
            print(f"| {lab} | " + " | ".join(str(by_label_section[(lab, s)]) for s in SECTIONS) + " |")
        print()
        print(table("text form", forms, total, list(FORMS)))
    else:
        print(f"{path}: {total} lines, {disc} discriminatory, {total - disc} compliant, "
              f"{borderline} borderline notes, {len(errors)} problems")
        for lab in LABELS:
            print(f"  {lab:32s} {labels[lab]:4d}")
        print("sections:", dict(sections))
        print("text forms (lines showing each; a line may show several):")
        for name in FORMS:
            print(f"  {name:20s} {forms[name]:4d}  {100 * forms[name] / max(total, 1):5.1f}%")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
