"""Chinese labels for the park dataset's figures, whose keys and notes are written in English.

The sourced dataset (parks/data/beijing_parks.yaml) names an area by a key
(``building_area_phase_I``, ``total_land``), a metric by an English phrase ("enterprises in
zone") and an event by one ("construction start"). The public page needs words: a key is
composed from its parts (总建筑面积, 建筑面积(一期)), a phrase is looked up or composed from
the Chinese names it contains and the words it is made of. ``None`` means "no readable
Chinese label": the figure is then shown in the English UI only. Pure: no Django.
"""

from __future__ import annotations

import re

_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u4e00-\u9fff《》]")
# Acronyms that read the same in a Chinese sentence.
ACRONYMS = frozenset({"GMP", "IC", "AI", "CAS", "ETDZ", "UCAS", "R&D", "HQ", "UAV", "IT", "SOE"})

KEY_PARTS: dict[str, str] = {
    "phase_I_II": "一、二期",
    "phase_I": "一期",
    "phase_1": "一期",
    "phase_II": "二期",
    "phase_2": "二期",
    "phase_III": "三期",
    "phase_3": "三期",
    "phase": "分期",
    "north_district": "北区",
    "north_area": "北部地区",
    "north": "北区",
    "south": "南区",
    "east_district": "东区",
    "east_zone": "东区",
    "east": "东区",
    "west_zone": "西区",
    "west": "西区",
    "centre_zone": "中区",
    "central_park": "中央公园",
    "core": "核心区",
    "HQ_base": "总部基地",
    "AI_park": "人工智能科技园",
    "UAV_park": "无人机科技创新园",
    "city_parlour": "城市客厅",
    "research_institute": "研究院",
    "policy_area_with_extensions": "政策区(含扩展区)",
    "policy_area": "政策区",
    "approved_area": "批复面积",
    "area_at_founding": "设立时面积",
    "original_area": "最初面积",
    "initial_planned_area": "最初规划面积",
    "former_core_area": "原核心区面积",
    "managed_area": "托管面积",
    "current_ETDZ_area": "经开区现状面积",
    "new_town_planning_area": "新城规划面积",
    "urban_rural_construction_land": "城乡建设用地",
    "built_or_under_construction": "已建在建规模",
    "green_space_south": "南部绿地",
    "beijing_part": "北京部分",
    "part_UCAS_campus": "国科大校区部分",
    "expansion": "扩区面积",
    "industrial_space_marketed": "推向市场的产业空间",
    "former_collective_industrial_buildings_replaced": "腾退集体产业用房",
    "component_longtanhu_sports_park": "龙潭湖体育公园部分",
    "plant_No": "厂房",
    "part_in": "位于",
    "after": "调整后",
    "total_planned": "总规划",
    "total": "总",
    "planned": "规划",
    "building_scale": "建筑规模",
    "building_area": "建筑面积",
    "building": "建筑",
    "project_land": "项目用地",
    "land": "用地",
    "area": "面积",
    "zone": "区",
    "district": "片区",
}

# Metric phrases of the dataset, in Chinese.
METRIC_ZH: dict[str, str] = {
    "AI park investment (plan)": "人工智能园计划投资",
    "Fortune 500 investors / projects": "世界500强投资方/项目",
    "Fortune Global 500 companies / projects": "世界500强企业/项目",
    "Fortune Global 500 investors": "世界500强投资方",
    "IT enterprises (HQs and global R&D centres)": "IT企业(总部及全球研发中心)",
    "above-scale enterprises Q1 output": "规上企业一季度产值",
    "above-scale industrial output Jan–Apr": "1–4月规上工业产值",
    "annual output value of resident companies": "入驻企业年产值",
    "bio-engineering & new medicine sales revenue": "生物工程与新医药销售收入",
    "biomedical enterprises": "生物医药企业",
    "biotech & health output share of Beijing total": "生物与健康产值占全市比重",
    "companies in Phase I": "一期入驻企业",
    "companies in base": "基地企业",
    "companies with revenue over 100 million yuan": "收入过亿元企业",
    "cumulative industrial output": "累计工业产值",
    "cumulative tax": "累计税收",
    "employees": "从业人员",
    "enterprise revenue": "企业收入",
    "enterprises": "企业数量",
    "enterprises and institutions": "企业和机构",
    "enterprises in zone": "区内企业",
    "enterprises/brands moved in": "入驻企业/品牌",
    "expected annual output (Phases I+II at full production)": "预计年产值(一、二期达产)",
    "expected jobs": "预计就业岗位",
    "foreign pharma R&D centres landed": "落地外资药企研发中心",
    "foreign-invested enterprises": "外资企业",
    "headquarters-type enterprises": "总部型企业",
    "high-tech enterprise revenue": "高新技术企业收入",
    "high-tech enterprise revenue in opening year": "开园当年高新技术企业收入",
    "high-tech enterprises": "高新技术企业",
    "high-tech enterprises and institutes in park": "园内高新技术企业和研究机构",
    "hospital beds in park medical institutions": "园内医疗机构床位",
    "incubator occupancy": "孵化器入驻率",
    "industrial output per km² of industrial land": "每平方公里工业用地产值",
    "industrial revenue": "工业收入",
    "innovative pharma/health enterprises": "创新医药健康企业",
    "innovative pharmaceutical enterprises": "创新药企",
    "institutions and enterprises in Phase I–II": "一、二期入驻机构和企业",
    "internet companies": "互联网企业",
    "leading IC companies at opening": "开园时入驻的龙头集成电路企业",
    "listed companies": "上市公司",
    "national and provincial/ministerial key R&D centres": "国家级和省部级重点研发机构",
    "national key engineering centres and laboratories": "国家重点工程中心和实验室",
    "occupancy of Phase I and II space": "一、二期入驻率",
    "occupancy of completed space": "已建成空间入驻率",
    "output per km²": "地均产值(每平方公里)",
    "park total revenue": "园区总收入",
    "patent applications by base enterprises": "基地企业专利申请",
    "patents": "专利",
    "planned resident population 2035": "2035年规划人口",
    "project investment (plan)": "项目计划投资",
    "revenue Jan–Jun": "1–6月收入",
    "revenue target for 2015": "2015年收入目标",
    "tax": "税收",
    "technical staff": "技术人员",
    "top scientists and high-level talents": "顶尖科学家和高层次人才",
    "total enterprise income / profit": "企业总收入/利润",
    "total income": "总收入",
    "total revenue": "总收入",
    "tech enterprises in the three northern parks": "北部三园科技企业",
    "annual revenue of the three northern parks": "北部三园年收入",
    "investment of the 22 projects launched on 12-28": "12月28日开工22个项目总投资",
}

# Words metric and event phrases are made of, longest first when composing.
PHRASE_WORDS: dict[str, str] = {
    "resident enterprises": "入驻企业",
    "total output value": "总产值",
    "output value": "产值",
    "revenue": "收入",
    "output": "产值",
    "enterprises": "企业",
    "companies": "企业",
    "SMEs": "中小企业",
    "tax and fees": "税费",
    "HQ buildings / HQ enterprises": "总部楼宇/总部企业",
    "UAV companies": "无人机企业",
    "CAS institutes / projects signed": "签约中科院院所/项目",
    "central-SOE units": "央企单位",
    "research units served by": "服务科研单位",
    "first-batch enterprises signed for": "首批签约企业",
    "computing centre": "计算中心",
    "industrial output milestone of": "工业产值里程碑",
    "old factories converted since 2007": "2007年以来改造的老厂房",
    # events
    "construction start": "开工建设",
    "construction launched": "开工建设",
    "full-scale construction launched": "全面开工建设",
    "groundbreaking ceremony": "奠基仪式",
    "groundbreaking": "奠基开工",
    "approved for construction": "批准建设",
    "planning began": "开始规划",
    "planning scheme released": "规划方案发布",
    "regulatory plan": "控制性详细规划",
    "detailed plan approved": "详细规划获批",
    "plan issued": "规划印发",
    "released": "发布",
    "approved": "获批",
    "established": "设立",
    "formally opened": "正式开园",
    "official opening": "正式开园",
    "began operation": "投入运营",
    "completion and handover": "竣工交付",
    "planned completion and tenant move-in": "计划竣工并入驻",
    "topped out": "封顶",
    "main structure": "主体结构",
    "launch ceremony": "启动仪式",
    "plaque awarded": "授牌",
    "base launched": "基地启动",
    "renamed": "更名为",
    "founded": "成立",
    "incorporated into the ZGC demonstration zone": "纳入中关村示范区",
    "among first batch of national high-tech zones": "首批国家级高新区",
    "approved as national-level ETDZ": "获批国家级经济技术开发区",
    "Phase I": "一期",
    "Phase II": "二期",
    "Phase III": "三期",
    "Phase 1": "一期",
    "predecessor": "前身",
    "north zone": "北区",
    "expansion": "扩区",
    "spatial adjustments": "空间调整",
    "area adjusted to": "面积调整为",
    "international urban-design call launched": "国际城市设计征集启动",
    "co-development agreement signed": "签署共建协议",
    "cooperation agreement": "合作协议",
    "moved in": "入驻",
    "started": "启动",
    "handed over": "交付",
    "in use": "投用",
}

# Parts that name the measure itself (its kind gives the label) or a bare "zone".
KIND_PARTS = frozenset({"building_area", "area", "land", "planned", "building", "zone", "district"})

_SNAKE = re.compile(r"^[A-Za-z0-9]+(_[A-Za-z0-9]+)+_?$|^[a-z]+$")


def is_key(label: str) -> bool:
    """``total_building_area``, ``core_area``, ``land``: a key, not a phrase."""
    return bool(_SNAKE.match(label.strip()))


def readable_zh(text: str) -> bool:
    """Chinese text a Chinese reader can read: some Chinese, no English words but acronyms."""
    if not _CJK.search(text):
        return False
    words = [w for w in re.findall(r"[A-Za-z&]{2,}", text) if w not in ACRONYMS]
    return not words


def _next_part(rest: str) -> str | None:
    """The longest key part ``rest`` starts with, ending at '_', a digit or the end."""
    for part in sorted(KEY_PARTS, key=len, reverse=True):
        if rest.startswith(part):
            after = rest[len(part) : len(part) + 1]
            if after in ("", "_") or after.isdecimal():
                return part
    return None


def key_label_zh(key: str, base: str) -> str | None:
    """A key composed into Chinese around the label of its kind (``base``, e.g. 建筑面积):
    total_building_area → 总建筑面积, building_area_phase_I → 建筑面积(一期),
    north_district_land → 占地面积(北区). None when a part is unknown."""
    rest = key.strip().strip("_")
    rest = re.sub(r"_?\d{4}$", "", rest)  # a trailing year is the as-of date
    qualifiers: list[str] = []
    total = False
    while rest:
        part = _next_part(rest)
        if part is None:
            return None
        rest = rest[len(part) :].lstrip("_")
        if part in ("total", "total_planned"):
            total = True
        elif part not in KIND_PARTS:
            qualifiers.append(KEY_PARTS[part])
        if rest.isdecimal():  # plant_No1 → 厂房1号
            qualifiers[-1:] = [f"{qualifiers[-1] if qualifiers else ''}{rest}号"]
            rest = ""
    label = ("总" if total and not base.startswith("总") else "") + base
    if len(qualifiers) == 1 and qualifiers[0].endswith("面积"):
        return qualifiers[0]
    if qualifiers:
        label += "(" + "、".join(qualifiers) + ")"
    return label


def _compose(phrase: str) -> str | None:
    """Chinese from the Chinese names a phrase contains and the words it is made of."""
    text = phrase
    for en in sorted(PHRASE_WORDS, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(en)}(?![A-Za-z])", PHRASE_WORDS[en], text)
    text = re.sub(r"\b(in|of|the|for|at|on|by|as|and|to|a)\b", " ", text)
    text = re.sub(r"\s+", "", text)
    text = text.replace("()", "").replace("（）", "")
    text = text.replace("(", "(").replace(")", ")")
    return text if readable_zh(text) else None


def phrase_label_zh(phrase: str) -> str | None:
    """The Chinese label of a metric or event phrase; None when none reads well."""
    phrase = phrase.strip()
    if not phrase:
        return None
    if readable_zh(phrase) and not _LATIN_WORD.search(re.sub(r"GMP|R&D|IC|AI", "", phrase)):
        return phrase
    if phrase in METRIC_ZH:
        return METRIC_ZH[phrase]
    bare = re.sub(r"\s*\([^)]*\)?\s*$", "", phrase)
    if bare in METRIC_ZH:
        inner = re.search(r"\(([^)]*)\)?\s*$", phrase)
        qualifier = inner.group(1) if inner and readable_zh(inner.group(1)) else ""
        return METRIC_ZH[bare] + (f"({qualifier})" if qualifier else "")
    return _compose(phrase)


def label_zh(label: str, base: str) -> str | None:
    """The Chinese label of a dataset figure: a metric phrase, a key around ``base`` (the
    label of its kind), or an event phrase."""
    label = label.strip()
    if label in METRIC_ZH:
        return METRIC_ZH[label]
    if is_key(label):
        return key_label_zh(label, base)
    text = phrase_label_zh(label)
    if text:
        # "授牌(授牌)": a bracket that repeats what precedes it says nothing.
        m = re.fullmatch(r"(.+)\((.+)\)", text)
        if m and m.group(1) == m.group(2):
            text = m.group(1)
    return text


def english_label(label: str) -> str:
    """A dataset label for the English UI: a key spelt out (building area phase I), a phrase
    with its first letter capitalised."""
    text = label.strip()
    if is_key(text):
        text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
