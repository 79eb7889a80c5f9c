"""Place names: Beijing's 16 districts with their short forms and common area names."""

from __future__ import annotations

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


def normalise_district(name: str) -> str | None:
    """The full district name for 昌平, 昌平区, 亦庄 …; None when unknown."""
    name = name.strip()
    if name in BEIJING_DISTRICTS:
        return name
    return DISTRICT_ALIASES.get(name)
