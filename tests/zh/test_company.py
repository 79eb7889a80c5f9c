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
