"""parklink.zh.company: the memoised pinyin path gives what pypinyin gives."""


def test_pinyin_text_is_lazy_pinyin_of_the_whole_text():
    """company_key's word-by-word (memoised) pinyin equals pypinyin's lazy_pinyin of the
    whole text: polyphones read in their phrase (重庆, 银行, 长安, 音乐), Latin and digit
    runs kept, random names of common and rare characters."""
    import random

    from pypinyin import Style, lazy_pinyin

    from parklink.zh.company import pinyin_text

    rng = random.Random(3)
    chars = "北京重庆长安银行行长音乐快乐生物医药科技有限公司华芯半导体中关村朝阳海淀区和平调度"
    texts = [
        "重庆长安汽车",
        "中国银行行长",
        "乐乐音乐",
        "a中b国c人",
        "导入压测123号科技",
        "",
        "abc",
        "㐀㐁𠀀",
    ]
    texts += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(500)]
    texts += [
        "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(rng.randint(1, 8)))
        for _ in range(500)
    ]
    for text in texts:
        assert pinyin_text(text) == "".join(
            lazy_pinyin(text, style=Style.NORMAL, errors="default")
        ), text


def test_region_prefixes_stripped_as_by_trying_every_prefix():
    """_strip_prefixes tries only the prefixes that share the name's first character; it
    strips exactly what trying all of them, longest first, strips: stacked prefixes
    (中国北京市海淀区…), prefixes that would leave too short a core, and names without."""
    import random

    from parklink.zh import company

    def every_prefix(text: str) -> str:
        changed = True
        while changed:
            changed = False
            for prefix in company._REGION_PREFIXES:
                if text.startswith(prefix) and len(text) - len(prefix) >= company.MIN_CORE:
                    text = text[len(prefix) :]
                    changed = True
                    break
        return text

    rng = random.Random(5)
    prefixes = list(company._REGION_PREFIXES)
    cores = ["华芯半导体", "生物", "京东方科技", "中关村", "海淀", "a", "", "北京北京"]
    texts = [
        "".join(rng.choice(prefixes) for _ in range(rng.randint(0, 3))) + rng.choice(cores)
        for _ in range(2000)
    ]
    texts += ["中国北京市海淀区华芯", "北京市", "海淀区生物医药", "中华人民共和国中国"]
    for text in texts:
        assert company._strip_prefixes(text) == every_prefix(text), text
    assert company._strip_prefixes("中国北京市海淀区华芯半导体") == "华芯半导体"
