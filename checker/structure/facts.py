"""Document facts: title, purchaser, the tender's own date, where it applies and under which regime."""

from __future__ import annotations

import re
from datetime import date

from checker.model import DocumentFacts

PROVINCES = (
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门"
).split()
# Cities whose own first-set rules the product knows, and the cities of Zhejiang (bound by its rules).
CITY_PROVINCE = {
    "杭州": "浙江", "宁波": "浙江", "温州": "浙江", "嘉兴": "浙江", "湖州": "浙江", "绍兴": "浙江", "金华": "浙江",
    "衢州": "浙江", "舟山": "浙江", "台州": "浙江", "丽水": "浙江", "义乌": "浙江", "余姚": "浙江", "慈溪": "浙江",
    "诸暨": "浙江", "上虞": "浙江", "柯桥": "浙江", "萧山": "浙江", "余杭": "浙江", "沈阳": "辽宁", "大连": "辽宁",
    "南京": "江苏", "苏州": "江苏", "无锡": "江苏", "镇江": "江苏", "成都": "四川", "武汉": "湖北", "恩施": "湖北",
    "广州": "广东", "深圳": "广东", "昆明": "云南", "西宁": "青海", "合肥": "安徽", "济南": "山东", "青岛": "山东",
    "郑州": "河南", "长沙": "湖南", "福州": "福建", "厦门": "福建", "西安": "陕西", "南昌": "江西", "石家庄": "河北",
}
_CITY_JURISDICTION = {"杭州": "hangzhou", "萧山": "hangzhou", "余杭": "hangzhou", "绍兴": "shaoxing", "诸暨": "shaoxing",
                      "上虞": "shaoxing", "柯桥": "shaoxing", "沈阳": "shenyang"}
_PROVINCE_JURISDICTION = {"浙江": "zhejiang", "天津": "tianjin"}

_PURCHASER = re.compile(
    r"(?:采购人|招标人|采购单位|招标单位|建设单位|采购方|招标方)(?:名称|\(盖章\))?\s*[::]\s*(?P<name>[^\n\t,;。:]{2,40})"
)
_TITLE = re.compile(r"(?:项目名称|采购项目名称|招标项目名称)\s*[::\t]\s*(?P<title>[^\n\t;。:]{2,60})")
_COVER_END = re.compile(r"^(?:招标|采购|磋商|谈判|询价|比选|竞争性磋商|竞争性谈判)(?:文件|公告)$")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DATE_CUE = re.compile(r"发布(?:日期|时间)|公告(?:日期|时间)|印发|编制(?:日期|时间)|日期\s*[::]|发出")
# the deadline stands for the tender's date where the notice gives no publication date
_DEADLINE_CUE = re.compile(r"(?:投标|响应|递交|提交)[^。\n]{0,8}截止|截止(?:时间|日期)|开标(?:时间|日期)")
# a date that bounds a requirement (…年…月…日以来的业绩, 自…起) is not the document's date
_WINDOW_AFTER = re.compile(r"^\s*(?:\d{1,2}\s*[时点:][^\n]{0,6})?(?:以来|至今|起|之后|以后)")
_WINDOW_BEFORE = re.compile(r"(?:自|从|近)\s*$")
_BUDGET = re.compile(
    r"(?:预算金额|采购预算|项目预算|最高限价|招标控制价|最高投标限价|控制价)(?:\(元\)|\(万元\))?\s*(?:为|:)?\s*(?:人民币)?\s*"
    r"(?P<n>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|万|元|亿元)?"
)
_ADDRESS = re.compile(r"(?:地址|地点)\s*[::]\s*(?P<addr>[^\n\t]{2,60})")


def detect_facts(text: str) -> DocumentFacts:
    facts = DocumentFacts()
    head = text[:6000]
    if match := _TITLE.search(text[:20000]):
        facts.title = match.group("title").strip()
        facts.evidence["title"] = match.group(0)
    else:
        facts.title = _first_title_line(head)
    if match := _PURCHASER.search(text[:30000]):
        facts.purchaser = match.group("name").strip()
        facts.evidence["purchaser"] = match.group(0)
    facts.date, date_text = _tender_date(text)
    if date_text:
        facts.evidence["date"] = date_text
    if match := _BUDGET.search(text[:60000]):
        facts.budget_wan = to_wan(match.group("n"), match.group("unit") or ("万元" if "万元" in match.group(0) else "元"))
        facts.evidence["budget"] = match.group(0)
    _place(facts, text)
    facts.regime = detect_regime(text, facts.purchaser)
    return facts


def to_wan(number: str, unit: str) -> float:
    value = float(number.replace(",", ""))
    return value * 10000 if unit.startswith("亿") else value if unit.startswith("万") else value / 10000


def _first_title_line(head: str) -> str | None:
    lines = [line.strip() for line in head.split("\n")[:12]]
    for index, line in enumerate(lines):
        if _COVER_END.match(line) and index:  # the cover: the project name stands above "招标文件"
            above = [l for l in lines[max(0, index - 3) : index] if l and not re.search(r"(?:公司|局|院|中心|学校|医院|委员会)$", l)]
            if above:
                return "".join(above)
    for line in head.split("\n")[:40]:
        line = line.strip()
        if 6 <= len(line) <= 60 and re.search(r"项目|采购|招标|工程|服务", line) and not line.startswith("【"):
            return line
    return None


def _tender_date(text: str) -> tuple[date | None, str | None]:
    """The tender's own date: a cued date (发布日期：…), else the signature date of the notice
    (a date alone on its line, 落款), else the first date of the cover. Delivery dates and
    deadlines in running text are not the document's date."""
    cued, deadlines, signed = [], [], []
    for match in _DATE.finditer(text[:40000]):
        parsed = _parse(match)
        if not parsed or _bounds_a_requirement(text, match):
            continue
        window = text[max(0, match.start() - 25) : match.start()]
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start : line_end if line_end != -1 else len(text)].strip()
        if _DATE_CUE.search(window):
            cued.append((parsed, match.group(0)))
        elif _DEADLINE_CUE.search(window):
            deadlines.append((parsed, match.group(0)))
        elif line == match.group(0) or re.fullmatch(r"(?:日期|时间)?[::]?\s*" + re.escape(match.group(0)) + r"\s*(?:发布|印发)?", line):
            signed.append((parsed, match.group(0)))
    if cued:
        return cued[0]
    if signed:
        return signed[0]
    if deadlines:
        return deadlines[0]
    for match in _DATE.finditer(text[:3000]):  # the cover's date
        if (parsed := _parse(match)) and not _bounds_a_requirement(text, match):
            return parsed, match.group(0)
    return None, None


def _bounds_a_requirement(text: str, match: re.Match[str]) -> bool:
    return bool(_WINDOW_AFTER.match(text[match.end():match.end() + 16])
                or _WINDOW_BEFORE.search(text[max(0, match.start() - 4):match.start()]))


def _parse(match: re.Match[str]) -> date | None:
    try:
        return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def _place(facts: DocumentFacts, text: str) -> None:
    sources = [facts.purchaser or "", facts.title or ""]
    if match := _ADDRESS.search(text[:30000]):
        sources.append(match.group("addr"))
    sources.append(text[:3000])
    for source in sources:
        city = next((c for c in CITY_PROVINCE if c in source), None)
        province = next((p for p in PROVINCES if p in source), None)
        if city or province:
            facts.city = city
            facts.province = province or CITY_PROVINCE.get(city)
            facts.evidence["place"] = source[:80]
            break
    facts.jurisdiction = (
        _CITY_JURISDICTION.get(facts.city or "")
        or _PROVINCE_JURISDICTION.get(facts.province or "")
        or "national"
    )


def detect_regime(text: str, purchaser: str | None = None) -> str:
    """government_procurement (政府采购法), tendering (招标投标法) or enterprise (own rules of a company)."""
    gp = len(re.findall(r"政府采购|采购人|财库|磋商|询价", text))
    tendering = len(re.findall(r"招标人|依法必须(?:进行)?招标|施工|招标投标法", text))
    if gp >= 3 and gp >= tendering:
        return "government_procurement"
    company = purchaser and re.search(r"公司|集团|企业", purchaser)
    if company and not re.search(r"依法必须(?:进行)?招标|施工总承包|房屋建筑|市政", text):
        return "enterprise"
    return "tendering"
