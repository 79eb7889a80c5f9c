"""Place names: Beijing's 16 districts with their short forms, pinyin and English names, and a
bilingual gazetteer of the area names and landmarks people use in requirements (亦庄 / E-Town,
首都机场 / the airport, 望京 / Wangjing …), each with its district and a WGS-84 point.

Pure Python. English and pinyin names are matched as whole words ("airport" is a place, "AI"
in "airport" is not a word), see `find_places`. Coordinates are approximate centres (about a
kilometre), enough for "near X" preferences; they are not survey data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

BEIJING_DISTRICTS: tuple[str, ...] = (
    "东城区",
    "西城区",
    "朝阳区",
    "海淀区",
    "丰台区",
    "石景山区",
    "门头沟区",
    "房山区",
    "通州区",
    "顺义区",
    "大兴区",
    "昌平区",
    "平谷区",
    "怀柔区",
    "密云区",
    "延庆区",
)

# Short or colloquial names people use for a district (亦庄 is the 经开区, mostly in 大兴区).
# Said as a place to be *in* they stand for that district; said as an exclusion ("不考虑亦庄")
# only the area itself is left out (`Place.radius_km`), never the whole district.
DISTRICT_ALIASES: dict[str, str] = {
    **{d[:-1]: d for d in BEIJING_DISTRICTS},
    "亦庄": "大兴区",
    "经开区": "大兴区",
    "北京经济技术开发区": "大兴区",
    "中关村": "海淀区",
    "望京": "朝阳区",
    "回龙观": "昌平区",
    "未来科学城": "昌平区",
    "生命谷": "昌平区",
}

# District → (English name, lat, lng of the district seat).
DISTRICT_EN: dict[str, tuple[str, float, float]] = {
    "东城区": ("Dongcheng", 39.9288, 116.4163),
    "西城区": ("Xicheng", 39.9123, 116.3660),
    "朝阳区": ("Chaoyang", 39.9215, 116.4435),
    "海淀区": ("Haidian", 39.9560, 116.3103),
    "丰台区": ("Fengtai", 39.8585, 116.2871),
    "石景山区": ("Shijingshan", 39.9056, 116.2229),
    "门头沟区": ("Mentougou", 39.9405, 116.1021),
    "房山区": ("Fangshan", 39.7355, 116.1430),
    "通州区": ("Tongzhou", 39.9097, 116.6566),
    "顺义区": ("Shunyi", 40.1300, 116.6543),
    "大兴区": ("Daxing", 39.7269, 116.3417),
    "昌平区": ("Changping", 40.2207, 116.2312),
    "平谷区": ("Pinggu", 40.1406, 117.1213),
    "怀柔区": ("Huairou", 40.3160, 116.6319),
    "密云区": ("Miyun", 40.3769, 116.8431),
    "延庆区": ("Yanqing", 40.4565, 115.9749),
}


@dataclass(frozen=True)
class Place:
    """A named place of the gazetteer. `kind`: district | area (a neighbourhood or zone one
    can be *in*) | landmark (one can only be *near* it: an airport, a station)."""

    name: str
    name_en: str
    kind: str
    districts: tuple[str, ...]
    lat: float
    lng: float
    words: tuple[str, ...] = ()  # other Chinese names
    words_en: tuple[str, ...] = ()  # other English / pinyin names (lower case)
    # How far from its point an area reaches (km): what "不考虑亦庄" leaves out.
    radius_km: float = 3.0

    def covers(self, lat: float, lng: float, names: tuple[str, ...] | list[str] = ()) -> bool:
        """True when a point (a park's), or one of its names, lies in this area: within
        `radius_km` of its point, or a name containing one of the area's Chinese names
        ("北科建亦庄科创园" is in 亦庄)."""
        words = [w for w in (self.name, *self.words) if len(w) >= 2 and not w.isascii()]
        if any(w in n for n in names for w in words):
            return True
        if math.isnan(lat) or math.isnan(lng):
            return False
        return distance_km(self.lat, self.lng, lat, lng) <= self.radius_km


_AREAS: tuple[Place, ...] = (
    Place(
        "亦庄",
        "Yizhuang (E-Town)",
        "area",
        ("大兴区",),  # 亦庄新城 spans 大兴区 and 通州区; the 经开区 core is in 大兴区
        39.7950,
        116.5060,
        ("经开区", "北京经济技术开发区", "经济技术开发区", "北京经开区"),
        (
            "yizhuang",
            "e-town",
            "etown",
            "bda",
            "beijing economic-technological development area",
            "economic-technological development area",
            "economic and technological development zone",
        ),
        radius_km=8.0,
    ),
    Place(
        "中关村",
        "Zhongguancun",
        "area",
        ("海淀区",),
        39.9836,
        116.3164,
        (),
        ("zhongguancun", "zgc"),
    ),
    Place("望京", "Wangjing", "area", ("朝阳区",), 39.9960, 116.4700, (), ("wangjing",)),
    Place("回龙观", "Huilongguan", "area", ("昌平区",), 40.0700, 116.3300, (), ("huilongguan",)),
    Place(
        "未来科学城",
        "Future Science City",
        "area",
        ("昌平区",),
        40.1000,
        116.4300,
        (),
        ("future science city", "future science park"),
    ),
    Place("生命谷", "Life Valley", "area", ("昌平区",), 40.0950, 116.2900, (), ("life valley",)),
    Place("上地", "Shangdi", "area", ("海淀区",), 40.0300, 116.3100, (), ("shangdi",)),
    Place("西二旗", "Xi'erqi", "area", ("海淀区",), 40.0530, 116.3060, (), ("xierqi", "xi'erqi")),
    Place("永丰", "Yongfeng", "area", ("海淀区",), 40.0700, 116.2400, ("永丰基地",), ("yongfeng",)),
    Place(
        "国贸",
        "Guomao (CBD)",
        "area",
        ("朝阳区",),
        39.9090,
        116.4600,
        ("CBD", "cbd"),
        ("guomao", "cbd", "central business district"),
    ),
    Place(
        "金融街",
        "Financial Street",
        "area",
        ("西城区",),
        39.9150,
        116.3600,
        (),
        ("financial street",),
    ),
    Place(
        "酒仙桥",
        "Jiuxianqiao",
        "area",
        ("朝阳区",),
        39.9700,
        116.4900,
        ("电子城",),
        ("jiuxianqiao",),
    ),
    Place(
        "空港",
        "Tianzhu Airport Zone",
        "area",
        ("顺义区",),
        40.0700,
        116.5800,
        ("天竺", "空港经济区", "临空经济区"),
        ("tianzhu", "airport economic zone"),
    ),
    Place("后沙峪", "Houshayu", "area", ("顺义区",), 40.1100, 116.5500, (), ("houshayu",)),
    Place("马驹桥", "Majuqiao", "area", ("通州区",), 39.7600, 116.5600, (), ("majuqiao",)),
    Place("台湖", "Taihu", "area", ("通州区",), 39.8400, 116.6100, (), ("taihu",)),
    Place(
        "城市副中心",
        "Beijing Sub-centre",
        "area",
        ("通州区",),
        39.9000,
        116.7200,
        ("副中心", "北京城市副中心"),
        ("sub-centre", "sub-center", "city sub-center", "city sub-centre", "beijing sub-center"),
    ),
    Place("宋庄", "Songzhuang", "area", ("通州区",), 39.9500, 116.7200, (), ("songzhuang",)),
    Place(
        "丰台科技园",
        "Fengtai Science Park",
        "area",
        ("丰台区",),
        39.8300,
        116.2900,
        ("总部基地",),
        ("fengtai science park", "headquarters base"),
    ),
    Place("良乡", "Liangxiang", "area", ("房山区",), 39.7300, 116.1400, (), ("liangxiang",)),
    Place("长阳", "Changyang", "area", ("房山区",), 39.7700, 116.2000, (), ("changyang",)),
    Place(
        "怀柔科学城",
        "Huairou Science City",
        "area",
        ("怀柔区",),
        40.4000,
        116.6700,
        (),
        ("huairou science city",),
    ),
    Place("雁栖湖", "Yanqi Lake", "area", ("怀柔区",), 40.4000, 116.6800, (), ("yanqi lake",)),
    Place("沙河", "Shahe", "area", ("昌平区",), 40.1400, 116.2800, (), ("shahe",)),
    Place("小汤山", "Xiaotangshan", "area", ("昌平区",), 40.1800, 116.4000, (), ("xiaotangshan",)),
    Place("南口", "Nankou", "area", ("昌平区",), 40.2400, 116.1300, (), ("nankou",)),
)

_LANDMARKS: tuple[Place, ...] = (
    Place(
        "首都机场",
        "Beijing Capital International Airport",
        "landmark",
        ("顺义区",),
        40.0799,
        116.6031,
        ("首都国际机场", "北京首都机场", "T3航站楼"),
        ("capital airport", "capital international airport", "beijing capital airport", "pek"),
    ),
    Place(
        "大兴机场",
        "Beijing Daxing International Airport",
        "landmark",
        ("大兴区",),
        39.5098,
        116.4105,
        ("大兴国际机场", "北京大兴机场", "新机场"),
        ("daxing airport", "daxing international airport", "pkx", "new airport"),
    ),
    Place(
        "北京南站",
        "Beijing South Railway Station",
        "landmark",
        ("丰台区",),
        39.8650,
        116.3790,
        ("南站",),
        ("beijing south station", "beijing south railway station"),
    ),
    Place(
        "北京西站",
        "Beijing West Railway Station",
        "landmark",
        ("丰台区",),
        39.8950,
        116.3220,
        ("西站",),
        ("beijing west station", "beijing west railway station"),
    ),
    Place(
        "北京站",
        "Beijing Railway Station",
        "landmark",
        ("东城区",),
        39.9020,
        116.4270,
        (),
        ("beijing railway station",),
    ),
    Place(
        "北京朝阳站",
        "Beijing Chaoyang Railway Station",
        "landmark",
        ("朝阳区",),
        39.9400,
        116.5000,
        ("朝阳站",),
        ("beijing chaoyang station",),
    ),
    Place(
        "清河站",
        "Qinghe Railway Station",
        "landmark",
        ("海淀区",),
        40.0400,
        116.3300,
        (),
        ("qinghe station",),
    ),
)

# Generic words that stand for several landmarks ("机场附近": either airport).
GENERIC_PLACES: dict[str, tuple[str, ...]] = {
    "机场": ("首都机场", "大兴机场"),
    "airport": ("首都机场", "大兴机场"),
    "airports": ("首都机场", "大兴机场"),
    "火车站": ("北京南站", "北京西站", "北京站", "北京朝阳站", "清河站"),
    "高铁站": ("北京南站", "北京西站", "北京朝阳站", "清河站"),
    "railway station": ("北京南站", "北京西站", "北京站", "北京朝阳站", "清河站"),
    "train station": ("北京南站", "北京西站", "北京站", "北京朝阳站", "清河站"),
}


def _district_places() -> tuple[Place, ...]:
    out = []
    for full, (en, lat, lng) in DISTRICT_EN.items():
        low = en.lower()
        out.append(
            Place(
                full,
                f"{en} District",
                "district",
                (full,),
                lat,
                lng,
                (full[:-1],),
                (low, f"{low} district", f"{low} qu", f"{low}qu"),
            )
        )
    return tuple(out)


PLACES: tuple[Place, ...] = _district_places() + _AREAS + _LANDMARKS


def normalise_district(name: str) -> str | None:
    """The full district name for 昌平, 昌平区, 亦庄, Changping, Changping District …; None
    when unknown."""
    name = name.strip()
    if name in BEIJING_DISTRICTS:
        return name
    if name in DISTRICT_ALIASES:
        return DISTRICT_ALIASES[name]
    place = place_named(name)
    if place is not None and place.kind in ("district", "area") and len(place.districts) == 1:
        return place.districts[0]
    return None


def district_en(name: str) -> str:
    """English name of a Beijing district ("昌平区" → "Changping District"); others as given."""
    found = DISTRICT_EN.get(name)
    return f"{found[0]} District" if found else name


@cache
def _by_word() -> dict[str, Place]:
    table: dict[str, Place] = {}
    for p in PLACES:
        for w in (p.name, *p.words):
            table.setdefault(w, p)
        for w in (p.name_en.lower(), *p.words_en):
            table.setdefault(w.lower(), p)
    return table


def place_named(word: str) -> Place | None:
    """The place called `word` (Chinese, English or pinyin, any case); None when unknown."""
    return _by_word().get(word.strip()) or _by_word().get(word.strip().lower())


def places_for(word: str) -> tuple[Place, ...]:
    """The places a word stands for: one place, or several for a generic word (机场)."""
    generic = GENERIC_PLACES.get(word.strip()) or GENERIC_PLACES.get(word.strip().lower())
    if generic:
        return tuple(p for p in (place_named(n) for n in generic) if p is not None)
    found = place_named(word)
    return (found,) if found else ()


@dataclass(frozen=True)
class PlaceHit:
    start: int
    end: int
    word: str
    places: tuple[Place, ...]


@cache
def _pattern() -> re.Pattern[str]:
    zh = {w for w in _by_word() if not w.isascii()} | {w for w in GENERIC_PLACES if not w.isascii()}
    zh |= set(BEIJING_DISTRICTS) | set(DISTRICT_ALIASES)
    zh_alt = "|".join(re.escape(w) for w in sorted(zh, key=len, reverse=True))
    return re.compile(zh_alt)


@cache
def _pattern_en() -> re.Pattern[str]:
    en = {w for w in _by_word() if w.isascii()} | {w for w in GENERIC_PLACES if w.isascii()}
    # English and pinyin: whole words only, case-insensitive, spaces or hyphens between words
    en_alt = "|".join(
        re.escape(w).replace(r"\-", "\0").replace(r"\ ", r"[\s\-]+").replace("\0", r"[\s\-]*")
        for w in sorted(en, key=len, reverse=True)
    )
    return re.compile(rf"(?<![A-Za-z0-9])(?:{en_alt})(?![A-Za-z0-9])", re.I)


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’.\s\-]*")


def _matches(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, word, is_english) of every name: Chinese names over the whole text,
    English ones only inside runs of Latin letters (fast on Chinese text)."""
    out = [(m.start(), m.end(), m.group(0), False) for m in _pattern().finditer(text)]
    for run in _LATIN_RUN.finditer(text):
        for m in _pattern_en().finditer(text, run.start(), run.end()):
            out.append((m.start(), m.end(), m.group(0), True))
    out.sort()
    return out


def find_places(text: str) -> list[PlaceHit]:
    """Every gazetteer place named in `text`, longest name first, non-overlapping."""
    out = []
    for start, end, word, english in _matches(text or ""):
        key = re.sub(r"[\s\-]+", " ", word.lower()) if english else word
        if english and key not in _by_word() and key not in GENERIC_PLACES:
            for variant in (key.replace(" ", "-"), key.replace(" ", "")):
                if variant in _by_word():
                    key = variant
                    break
        found = places_for(key)
        if not found and key in DISTRICT_ALIASES:
            found = tuple(p for p in (place_named(DISTRICT_ALIASES[key]),) if p)
        if not found:
            full = normalise_district(key)
            found = tuple(p for p in (place_named(full),) if p) if full else ()
        if found:
            out.append(PlaceHit(start, end, word, found))
    return out


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def district_point(district: str) -> tuple[float, float] | None:
    found = DISTRICT_EN.get(district)
    return (found[1], found[2]) if found else None
