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
    # county-level cities and districts of Zhejiang whose names are not shared elsewhere
    "温岭": "浙江", "临海": "浙江", "玉环": "浙江", "乐清": "浙江", "瑞安": "浙江", "海宁": "浙江", "桐乡": "浙江",
    "平湖": "浙江", "嘉善": "浙江", "海盐": "浙江", "长兴": "浙江", "安吉": "浙江", "德清": "浙江", "东阳": "浙江",
    "永康": "浙江", "兰溪": "浙江", "江山": "浙江", "龙泉": "浙江", "建德": "浙江", "桐庐": "浙江", "淳安": "浙江",
    "富阳": "浙江", "临安": "浙江", "临平": "浙江", "奉化": "浙江", "象山": "浙江", "宁海": "浙江", "北仑": "浙江",
    "鄞州": "浙江", "镇海": "浙江", "天台": "浙江", "仙居": "浙江", "三门": "浙江", "椒江": "浙江", "黄岩": "浙江",
    "苍南": "浙江", "永嘉": "浙江", "瓯海": "浙江", "新昌": "浙江", "嵊州": "浙江", "越城": "浙江", "青田": "浙江",
    "缙云": "浙江", "遂昌": "浙江", "武义": "浙江", "浦江": "浙江", "磐安": "浙江", "常山": "浙江", "开化": "浙江",
    "龙游": "浙江", "岱山": "浙江", "嵊泗": "浙江", "莲都": "浙江",
    "广州": "广东", "深圳": "广东", "昆明": "云南", "西宁": "青海", "合肥": "安徽", "济南": "山东", "青岛": "山东",
    "郑州": "河南", "长沙": "湖南", "福州": "福建", "厦门": "福建", "西安": "陕西", "南昌": "江西", "石家庄": "河北",
}
_CITY_JURISDICTION = {"杭州": "hangzhou", "萧山": "hangzhou", "余杭": "hangzhou", "富阳": "hangzhou", "临安": "hangzhou",
                      "临平": "hangzhou", "桐庐": "hangzhou", "淳安": "hangzhou", "建德": "hangzhou",
                      "绍兴": "shaoxing", "诸暨": "shaoxing", "上虞": "shaoxing", "柯桥": "shaoxing", "新昌": "shaoxing",
                      "嵊州": "shaoxing", "越城": "shaoxing", "沈阳": "shenyang"}
_PROVINCE_JURISDICTION = {"浙江": "zhejiang", "天津": "tianjin"}

_PURCHASER = re.compile(
    r"(?:采购人|招标人|采购单位|招标单位|建设单位|采购方|招标方|议标方|比选人|询价人)(?:名称|\(盖章\))?\s*[::]\s*(?P<name>[^\n\t,;。:]{2,40})"
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
    if found := find_purchaser(text[:30000]):
        facts.purchaser, facts.evidence["purchaser"] = found
    facts.date, date_text = _tender_date(text)
    if date_text:
        facts.evidence["date"] = date_text
    if match := _BUDGET.search(text[:60000]):
        facts.budget_wan = to_wan(match.group("n"), match.group("unit") or ("万元" if "万元" in match.group(0) else "元"))
        facts.evidence["budget"] = match.group(0)
    _place(facts, text)
    facts.regime, facts.evidence["regime"] = decide_regime(text, facts.purchaser)
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
        source = source.replace("北京时间", "")  # a clock, not a place
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


# ---------------------------------------------------------------- purchaser

# what a purchaser field holds besides the name: form blanks and stamps, placeholders, the next label
_DEBRIS = re.compile(r"[(（]\s*(?:盖|加盖)?[^()（）]{0,6}(?:公章|单位章|章)\s*[)）]|&{2,}[^&]*&{2,}|&+|[_＿]{2,}|[*＊]{2,}|…+|\.{3,}")
_NEXT_LABEL = re.compile(r"(?:联系人|联系方式|联系电话|电话|地址|邮编|邮政编码|传真|网址|电子邮箱|邮箱|招标代理|采购代理|代理机构)[\s\S]*$")
_NOT_A_NAME = re.compile(r"^(?:是指|系指|指|包括|详见|见|本项目|本次|统一称|即|为|由|负责|依法)")


def clean_purchaser(name: str) -> str | None:
    """The purchaser's name without template debris: (盖单位章), &&&…&&&, ____ blanks, the next label."""
    name = _DEBRIS.sub("", name)
    name = _NEXT_LABEL.sub("", name)
    name = re.sub(r"^[\s:：)）]+|[\s:：,，。;；(（]+$", "", name)
    if name.count("(") + name.count("（") < name.count(")") + name.count("）"):
        name = re.sub(r"[)）]+$", "", name)  # a closing bracket left over from "(盖章)"-like debris
    if len(name) < 2 or _NOT_A_NAME.match(name) or not re.search(r"[\u4e00-\u9fff]{2}", name):
        return None
    return name


def find_purchaser(text: str) -> tuple[str, str] | None:
    """The first 采购人/招标人 field that names someone (a definition 采购人：是指… is not a name);
    a later, fuller spelling of the same name (上海市宝山区市场监督管理局 for 市场监督管理局) wins."""
    chosen: tuple[str, str] | None = None
    for match in _PURCHASER.finditer(text):
        name = clean_purchaser(match.group("name"))
        if not name:
            continue
        if chosen is None:
            chosen = (name, match.group(0))
        elif len(name) > len(chosen[0]) and name.endswith(chosen[0]):
            return name, match.group(0)
    return chosen


# ---------------------------------------------------------------- regime

# who buys: an enterprise (company, bank, group) under its own rules or 招标投标法, or a public body
_COMPANY = re.compile(r"有限公司|有限责任公司|股份公司|集团|银行|(?:^|[^公])企业$|中国移动|中国电信|中国联通|中国铁塔|国家电网|南方电网|中国石油|中国石化|中国海油")
_NOT_COMPANY = re.compile(r"人民银行|政策性|(?:招标|采购|咨询|代理|造价|项目管理)[^,，。;\n]{0,12}(?:有限公司|集团)")
_AGENCY = re.compile(r"招标|采购|咨询|代理|造价|项目管理|工程管理")
# the issuer named on the cover or the invitation: 致：X有限公司, X有限公司（以下简称…）, 甲方：X有限公司
_ISSUER = re.compile(r"(?:致\s*[:]?|甲方(?:\([^)]{0,8}\))?\s*[:])\s*(?P<a>[\u4e00-\u9fff()A-Za-z]{2,30}?(?:有限责任公司|有限公司|集团))"
                     r"|(?P<b>[\u4e00-\u9fff()A-Za-z]{2,30}?(?:有限责任公司|有限公司|集团))\s*\(以下简称")
# the procedure an enterprise uses outside 招标投标法: 磋商、谈判、议标、询比、比选
_OWN_PROCEDURE = re.compile(r"竞争性磋商|竞争性谈判|磋商文件|谈判文件|议标|询比|比选|询价采购|单一来源")
# 招标投标法 as the basis of the procedure (not a pledge to obey the law in general)
_TB_BASIS = re.compile(
    r"(?:根据|依据|依照|按照|遵照|适用)\s*《(?:中华人民共和国)?招标投标法(?:实施条例)?》"
    r"|依法必须(?:进行)?(?:公开)?招标|(?:项目|本项目)已具备招标条件|国有资金(?:占控股|投资|占主导)|施工总承包|房屋建筑和市政")
# the enterprise's own procurement rules named as the basis of this procurement
_OWN_RULES = re.compile(r"(?:依据|根据|按照|依照|遵照)[^。;\n]{0,60}?(?:采购管理(?:制度|办法|规定)|招标(?:采购)?管理(?:制度|办法|规定)|采购(?:实施)?细则)[^。;\n]{0,6}?(?:组织实施|执行|进行|开展)")
_GP_BASIS = re.compile(r"(?:根据|依据|依照|按照|遵照|适用)\s*《(?:中华人民共和国)?政府采购法")
_NOT_GP = re.compile(r"(?:本项目|本次采购|本采购项目)(?:为|属于|是)?(?:非|不属于|不是|不为)政府采购(?!法)|非政府采购项目|不适用(?:于)?\s*《(?:中华人民共和国)?政府采购法")
# 政府采购 as the procedure, not the credit-record boilerplate every tender copies (中国政府采购网, 政府采购严重违法失信…名单)
_GP_WORD = re.compile(r"(?<!中国)政府采购(?!严重违法|法)|财库|政府采购法")
_TB_WORD = re.compile(r"招标人|依法必须(?:进行)?招标|招标投标法|施工")


def _quote(text: str, match: re.Match[str], width: int = 18) -> str:
    return "“" + text[max(0, match.start() - width // 2): match.end() + width // 2].replace("\n", " ").strip() + "”"


def purchaser_is_enterprise(text: str, purchaser: str | None) -> tuple[bool, str]:
    """Whether the buyer is an enterprise, and the words that say so."""
    if purchaser and _COMPANY.search(purchaser) and not _NOT_COMPANY.search(purchaser):
        return True, f"采购人/招标人为企业（{purchaser}）"
    for line in text[:1500].split("\n")[:12]:  # the cover: a line that is a company's name alone
        line = line.strip()
        if 4 <= len(line) <= 40 and re.search(r"(?:有限公司|有限责任公司|分公司|集团)$", line) and not _AGENCY.search(line):
            return True, f"文件封面为企业（{line}）"
    for match in _ISSUER.finditer(text[:6000]):
        name = match.group("a") or match.group("b")
        if not _AGENCY.search(name) and not _NOT_COMPANY.search(name):
            return True, f"文件由企业（{name}）发出"
    return False, ""


def decide_regime(text: str, purchaser: str | None = None) -> tuple[str, str]:
    """government_procurement (政府采购法), tendering (招标投标法) or enterprise (an enterprise's own
    rules), decided from who buys, with what money and under which procedure; and the reason, in
    Chinese, with the words it was read from."""
    enterprise, who = purchaser_is_enterprise(text, purchaser)
    not_gp = _NOT_GP.search(text)
    tb_basis = _TB_BASIS.search(text)
    if enterprise:
        own = _OWN_PROCEDURE.search(text[:800])  # the cover and the first lines name the procedure
        if own:
            return "enterprise", f"{who}，以自行规定的方式采购（{_quote(text, own)}），不属于政府采购，也不是招标投标法规定的招标"
        if own_rules := _OWN_RULES.search(text):
            return "enterprise", f"{who}，依本企业采购制度组织采购（{_quote(text, own_rules, 0)}）"
        if tb_basis:
            return "tendering", f"{who}，按招标投标法招标（{_quote(text, tb_basis)}）"
        if not_gp:
            return "enterprise", f"{who}，文件声明不属于政府采购（{_quote(text, not_gp)}）"
        return "enterprise", f"{who}，文件未以政府采购法或招标投标法为依据，按企业自行采购规则检查"
    if not_gp:
        return "tendering", f"文件声明不属于政府采购（{_quote(text, not_gp)}）"
    gp_basis = _GP_BASIS.search(text)
    if gp_basis:
        return "government_procurement", f"以政府采购法为依据（{_quote(text, gp_basis)}）"
    gp_words = list(_GP_WORD.finditer(text))
    tb_words = list(_TB_WORD.finditer(text))
    if gp_words and (len(gp_words) * 3 >= len(tb_words) or len(gp_words) >= 5):
        return "government_procurement", f"文件写明政府采购（{_quote(text, gp_words[0])}）"
    buyer = len(re.findall(r"采购人|磋商|询价", text))
    if buyer >= 3 and buyer >= len(tb_words):
        return "government_procurement", "文件以采购人、磋商或询价为用语，按政府采购检查"
    if tb_basis:
        return "tendering", f"按招标投标法招标（{_quote(text, tb_basis)}）"
    if tb_words:
        return "tendering", f"文件以招标人、招标投标法等为用语（{_quote(text, tb_words[0])}），未写明政府采购"
    return "tendering", "文件未写明采购制度，按招标投标法检查（默认）"


def detect_regime(text: str, purchaser: str | None = None) -> str:
    """government_procurement (政府采购法), tendering (招标投标法) or enterprise (own rules of a company)."""
    return decide_regime(text, purchaser)[0]
