"""English names for the English UI and API: districts, industries, parks, organisations.

A record's stored English name (``Park.english_name``, ``Industry.name_en``,
``Organization.name_en``) always wins; where it is empty, ``english_name()`` composes one
from a glossary of the words park and company names are made of (中关村 → Zhongguancun,
产业园 → Industrial Park, 有限公司 → Co., Ltd.) and romanises the rest with pypinyin
(丰台 → Fengtai), the way Chinese proper names are written in English. Pure: no Django.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# The official English names of Beijing's districts (beijing.gov.cn, "Districts").
DISTRICT_EN: dict[str, str] = {
    "东城区": "Dongcheng District",
    "西城区": "Xicheng District",
    "朝阳区": "Chaoyang District",
    "海淀区": "Haidian District",
    "丰台区": "Fengtai District",
    "石景山区": "Shijingshan District",
    "门头沟区": "Mentougou District",
    "房山区": "Fangshan District",
    "通州区": "Tongzhou District",
    "顺义区": "Shunyi District",
    "大兴区": "Daxing District",
    "昌平区": "Changping District",
    "平谷区": "Pinggu District",
    "怀柔区": "Huairou District",
    "密云区": "Miyun District",
    "延庆区": "Yanqing District",
}

CITY_EN: dict[str, str] = {"北京市": "Beijing", "北京": "Beijing"}

# Industry names as the parks' and Beijing government's English pages write them.
INDUSTRY_EN: dict[str, str] = {
    "生物医药": "Biomedicine",
    "医药健康": "Pharmaceuticals and Health",
    "医疗器械": "Medical Devices",
    "医疗健康": "Healthcare",
    "集成电路": "Integrated Circuits",
    "集成电路设计": "IC Design",
    "人工智能": "Artificial Intelligence",
    "新一代信息技术": "Next-generation IT",
    "信息技术": "Information Technology",
    "软件和信息服务": "Software and Information Services",
    "新能源汽车": "New Energy Vehicles",
    "智能网联汽车": "Intelligent Connected Vehicles",
    "新能源": "New Energy",
    "新材料": "New Materials",
    "智能制造": "Intelligent Manufacturing",
    "高端装备": "High-end Equipment",
    "航空航天": "Aerospace",
    "节能环保": "Energy Conservation and Environmental Protection",
    "金融科技": "Fintech",
    "文化创意": "Cultural and Creative Industries",
    "科技服务": "Technology Services",
    "现代服务业": "Modern Services",
    "总部经济": "Headquarters Economy",
    "云计算": "Cloud Computing",
    "大数据": "Big Data",
    "物联网": "Internet of Things",
    "机器人": "Robotics",
    "生物技术": "Biotechnology",
    "基因技术": "Gene Technology",
    "细胞与基因": "Cell and Gene Therapy",
    "现代物流": "Modern Logistics",
    "商务会展": "Business and Exhibitions",
    "航空服务": "Aviation Services",
}

# Words park, industry and organisation names are made of; longest match first.
WORDS: dict[str, str] = {
    # places and brands that have a settled English form
    "中关村": "Zhongguancun",
    "北京": "Beijing",
    "亦庄": "Yizhuang",
    "未来科学城": "Future Science City",
    "怀柔科学城": "Huairou Science City",
    "中关村科学城": "Zhongguancun Science City",
    "首都": "Capital",
    "国家": "National",
    "国际": "International",
    "首钢": "Shougang",
    "北汽": "BAIC",
    "中国": "China",
    "中国科学院": "Chinese Academy of Sciences",
    "中科院": "CAS",
    # kinds of park
    "经济技术开发区": "Economic-Technological Development Area",
    "经济开发区": "Economic Development Zone",
    "高新技术产业开发区": "High-tech Industrial Development Zone",
    "开发区": "Development Zone",
    "示范区": "Demonstration Zone",
    "临空经济区": "Airport Economic Zone",
    "临空经济示范区": "Airport Economic Demonstration Zone",
    "综合保税区": "Comprehensive Bonded Zone",
    "生命科学园": "Life Science Park",
    "科学园": "Science Park",
    "科技园": "Science and Technology Park",
    "软件园": "Software Park",
    "产业园": "Industrial Park",
    "产业基地": "Industrial Base",
    "创新园": "Innovation Park",
    "孵化器": "Incubator",
    "科学城": "Science City",
    "新城": "New Town",
    "园区": "Park",
    "基地": "Base",
    "园": "Park",
    "城": "City",
    "区": "Zone",
    "中心": "Center",
    "港": "Port",
    "谷": "Valley",
    # industries and fields
    **INDUSTRY_EN,
    "医药": "Pharmaceutical",
    "农业": "Agriculture",
    "文旅": "Culture and Tourism",
    "医疗": "Medical",
    "生物": "Bio",
    "生命科学": "Life Sciences",
    "生命": "Life",
    "健康": "Health",
    "制药": "Pharmaceutical",
    "药业": "Pharmaceutical",
    "科技": "Technology",
    "技术": "Technology",
    "高科技": "High-tech",
    "高新技术": "High-tech",
    "高端": "High-end",
    "制造": "Manufacturing",
    "制造业": "Manufacturing",
    "装备": "Equipment",
    "汽车": "Automotive",
    "电子": "Electronics",
    "信息": "Information",
    "软件": "Software",
    "数字": "Digital",
    "智能": "Intelligent",
    "环保": "Environmental Protection",
    "能源": "Energy",
    "材料": "Materials",
    "航空": "Aviation",
    "航天": "Aerospace",
    "物流": "Logistics",
    "金融": "Finance",
    "文化": "Culture",
    "创意": "Creative",
    "设计": "Design",
    "创新": "Innovation",
    "产业": "Industry",
    "工业": "Industrial",
    "综合": "Integrated",
    "服务": "Services",
    "示范": "Demonstration",
    "环保科技": "Environmental Technology",
    "临空": "Airport",
    "机场": "Airport",
    "国际机场": "International Airport",
    "机场临空经济区": "Airport Economic Zone",
    "国际机场临空经济区": "International Airport Economic Zone",
    "机场临空经济示范区": "Airport Economic Demonstration Zone",
    "科学": "Science",
    "体育": "Sports",
    "合成": "Synthetic",
    "影像": "Imaging",
    "科创": "Sci-Tech Innovation",
    "精准医疗": "Precision Medicine",
    "诊断试剂": "Diagnostic Reagents",
    "小分子药": "Small-molecule Drugs",
    "医工融合": "Medical-Engineering Integration",
    "永丰": "Yongfeng",
    "东升": "Dongsheng",
    "新首钢": "New Shougang",
    # organisations
    "股份有限公司": "Co., Ltd.",
    "有限责任公司": "Co., Ltd.",
    "有限公司": "Co., Ltd.",
    "集团": "Group",
    "公司": "Company",
    "研究所": "Institute",
    "研究院": "Research Institute",
    "研究中心": "Research Center",
    "工程研究中心": "Engineering Research Center",
    "实验室": "Laboratory",
    "重点实验室": "Key Laboratory",
    "大学": "University",
    "学院": "College",
    "医院": "Hospital",
    "人民医院": "People's Hospital",
    "发展": "Development",
    "投资": "Investment",
    "蛋白质": "Protein",
    "芯片": "Chip",
    "生物芯片": "Biochip",
}

_MAX_WORD = max(len(w) for w in WORDS)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_BRACKETS = re.compile(r"[（(]([^）)]*)[）)]")


def district_en(name: str) -> str:
    """Changping District for 昌平区 (or 昌平); other names romanised."""
    name = (name or "").strip()
    if not name:
        return ""
    if name in DISTRICT_EN:
        return DISTRICT_EN[name]
    if name + "区" in DISTRICT_EN:
        return DISTRICT_EN[name + "区"]
    if name in CITY_EN:
        return CITY_EN[name]
    return english_name(name)


def _romanise(chunk: str) -> str:
    """丰台 → Fengtai: one word per run of Chinese characters, as names are written."""
    return "".join(lazy_pinyin(chunk, style=Style.NORMAL)).capitalize()


@lru_cache(maxsize=4096)
def english_name(name: str) -> str:
    """An English rendering of a Chinese name: glossary words where they fit, pinyin between
    them; text that is already Latin is kept. '中关村丰台园' → 'Zhongguancun Fengtai Park'."""
    name = (name or "").strip()
    if not name:
        return ""
    if name in INDUSTRY_EN:
        return INDUSTRY_EN[name]
    if not _HAN.search(name):
        return name
    if name in DISTRICT_EN:
        return DISTRICT_EN[name]
    # A bracketed part is rendered on its own: 国家蛋白质科学中心(北京) → … (Beijing).
    suffix = ""
    m = _BRACKETS.search(name)
    if m and m.end() == len(name):
        inner = english_name(m.group(1))
        suffix = f" ({inner})" if inner else ""
        name = name[: m.start()]
    parts: list[str] = []
    pending = ""
    i = 0
    while i < len(name):
        for size in range(min(_MAX_WORD, len(name) - i), 0, -1):
            word = name[i : i + size]
            if word in WORDS or (size >= 2 and word in DISTRICT_EN):
                break
            if size >= 2 and word + "区" in DISTRICT_EN and name[i + size : i + size + 1] != "区":
                break
        else:
            word = ""
        if word and (word in WORDS or word in DISTRICT_EN or word + "区" in DISTRICT_EN):
            if pending:
                parts.append(_romanise(pending))
                pending = ""
            if word in WORDS:
                parts.append(WORDS[word])
            else:
                parts.append(district_en(word).removesuffix(" District"))
            i += len(word)
            continue
        ch = name[i]
        if _HAN.match(ch):
            pending += ch
        else:
            if pending:
                parts.append(_romanise(pending))
                pending = ""
            if ch.strip() and ch not in "·・-—":
                parts.append(ch)
        i += 1
    if pending:
        parts.append(_romanise(pending))
    text = " ".join(p for p in parts if p)
    text = re.sub(r"\s+([,.)])", r"\1", text)
    return (text + suffix).strip()


def industry_en(name: str) -> str:
    """The English name of an industry (glossary, else composed)."""
    return INDUSTRY_EN.get((name or "").strip()) or english_name(name)
