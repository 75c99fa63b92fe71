"""Chinese company names taken apart: place, trade name (字号), industry words, legal form.

A name is usually [place][trade name][industry][legal form]: 浙江 | 畅尔 | 智能装备 |
股份有限公司. Only the trade name identifies the company; the rest is shared by thousands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
CITIES = (
    # provincial capitals and the prefecture-level cities of the provinces whose lists are bundled
    "石家庄", "太原", "沈阳", "大连", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南",
    "郑州", "武汉", "长沙", "广州", "深圳", "海口", "成都", "贵阳", "昆明", "西安", "兰州", "西宁",
    "呼和浩特", "南宁", "拉萨", "银川", "乌鲁木齐", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华",
    "衢州", "舟山", "台州", "丽水", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城",
    "扬州", "镇江", "泰州", "宿迁", "芜湖", "蚌埠", "马鞍山", "安庆", "滁州", "阜阳", "青岛", "烟台",
    "潍坊", "淄博", "威海", "济宁", "临沂", "洛阳", "新乡", "许昌", "南阳", "厦门", "泉州", "漳州",
    "莆田", "龙岩", "三明", "宁德", "东莞", "佛山", "珠海", "中山", "惠州", "株洲", "湘潭", "襄阳",
    "宜昌", "绵阳", "德阳", "宝鸡", "柳州", "包头", "唐山", "保定", "廊坊", "鞍山", "抚顺", "吉林市",
    "大庆", "齐齐哈尔", "义乌", "慈溪", "余姚", "诸暨", "东阳", "兰溪", "桐乡", "海宁", "长兴",
    "江阴", "昆山", "张家港", "常熟", "宜兴", "晋江", "永康", "乐清", "瑞安", "温岭", "玉环",
)
FOREIGN = (
    "德国", "美国", "日本", "英国", "法国", "意大利", "瑞士", "瑞典", "荷兰", "韩国", "奥地利", "芬兰",
    "丹麦", "挪威", "比利时", "西班牙", "加拿大", "澳大利亚", "以色列", "新加坡", "俄罗斯", "捷克",
    "波兰", "印度", "爱尔兰", "葡萄牙", "卢森堡", "新西兰",
)
_PLACE_SUFFIX = ("省", "市", "自治区", "特别行政区", "县", "区")
LEGAL_FORMS = (
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司",
    "股份公司", "集团公司", "总公司", "分公司", "公司", "集团", "研究院", "研究所", "股份",
    "控股", "GmbH", "AG", "Co.,Ltd.", "Co., Ltd.", "Ltd.", "Ltd", "Inc.", "Inc", "Corporation", "Corp.",
)
INDUSTRY_WORDS = (
    "智能装备", "智能科技", "智能机械", "智能", "装备", "科技", "技术", "自动化", "机械", "设备", "电子",
    "电气", "电器", "新材料", "新材", "复合材料", "材料", "环保", "环境", "新能源", "能源", "工程",
    "重工", "实业", "制造", "医疗", "生物", "核磁", "光电", "汽车", "动力", "数码", "纺织", "针织",
    "陶瓷", "容器", "氟化学", "化学", "化工", "磁业", "国际", "机电", "机床", "锯床", "船厂", "船舶",
    "海工", "特材", "光催化", "精细", "电脑", "地毯", "变压器", "实验", "产业", "发展", "电力", "信息",
    "软件", "网络", "数字", "工业", "建设", "贸易", "精密", "仪器", "仪表", "器械", "物联", "通信",
    "半导体", "微电子", "传感", "航空", "航天", "轴承", "钢铁", "集团", "股份", "控股", "组合",
    "新型材料", "石化", "石油", "电池", "激光", "重型", "工贸",
)
DOMESTIC = ("中国", "中华")


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # longest match first


_PLACE = re.compile(rf"({_alternation(FOREIGN + DOMESTIC + PROVINCES + CITIES)})({_alternation(_PLACE_SUFFIX)})?")
_LEGAL = re.compile(rf"(?<=.)({_alternation(LEGAL_FORMS)})\s*$")
_INDUSTRY = re.compile(_alternation(INDUSTRY_WORDS))
_BRACKETS = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_USCC = re.compile(r"^(?:USCC|统一社会信用代码)?\s*[:：]?\s*([0-9A-HJ-NPQRTUWXY]{18})$", re.I)


@dataclass(frozen=True, slots=True)
class CompanyName:
    text: str  # as given, NFKC
    places: tuple[str, ...]  # place prefixes, outermost first (浙江, 宁波)
    core: str  # the trade name (字号), lower-cased Latin
    industry: tuple[str, ...]  # industry words found after the trade name
    legal_form: str | None
    foreign: bool  # a foreign country prefix, or a Latin-only name

    @property
    def is_legal_name(self) -> bool:
        return self.legal_form is not None and self.legal_form not in ("股份", "控股", "集团")


def uscc_of(text: str) -> str | None:
    match = _USCC.match(text.strip())
    return match.group(1).upper() if match else None


def _strip_place(text: str) -> tuple[str, str] | None:
    match = _PLACE.match(text)
    if match:
        return match.group(), text[match.end():]
    # an unlisted county or city written out in full: 东阳市, 柯桥区
    match = re.match(r"^([\u4e00-\u9fff]{2,3}?)(市|县|区)(?=[\u4e00-\u9fff]{2})", text)
    if match and not _INDUSTRY.match(text):
        return match.group(), text[match.end():]
    return None


def _strip_legal_form(text: str) -> tuple[str, str | None]:
    found = None
    while match := _LEGAL.search(text.rstrip()):
        text, found = text[: match.start()], found or match.group(1)
    return text.rstrip(), found


def split_company(name: str) -> CompanyName:
    text = unicodedata.normalize("NFKC", name).strip()
    body = _BRACKETS.sub("", text).replace(" ", "") if re.search(r"[\u4e00-\u9fff]", text) else text
    body, legal_form = _strip_legal_form(body)
    places: list[str] = []
    while (stripped := _strip_place(body)) is not None and stripped[1]:
        places.append(stripped[0])
        body = stripped[1]
    foreign = bool(places and places[0] in FOREIGN) or not re.search(r"[\u4e00-\u9fff]", body)
    core, industry = _trade_name(body, places)
    return CompanyName(text, tuple(places), core.lower(), industry, legal_form, foreign)


def _trade_name(body: str, places: list[str]) -> tuple[str, tuple[str, ...]]:
    """The trade name is what comes before the first industry word.

    When an industry word comes first (镇江船厂, 杭州纺织机械), the place is the trade name's
    first half and is kept with it.
    """
    words = [m for m in _INDUSTRY.finditer(body) if m.start() >= 2 or (m.start() == 0 and places)]
    if not words:
        return body, ()
    first = words[0]
    industry = tuple(m.group() for m in _INDUSTRY.finditer(body, first.start()))
    if first.start() == 0:
        return _bare_place(places[-1]) + first.group(), industry[1:]
    return body[: first.start()], industry


def _bare_place(place: str) -> str:
    for suffix in _PLACE_SUFFIX:
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place
