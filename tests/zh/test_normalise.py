import pytest

from parklink.zh.normalise import (
    clean_whitespace,
    fold_typos,
    fold_width,
    for_matching,
    is_traditional,
    normalise,
    to_simplified,
)


def test_traditional_to_simplified_keeps_length():
    text = "中關村生命科學園區 國家蛋白質科學中心"
    simplified = to_simplified(text)
    assert simplified == "中关村生命科学园区 国家蛋白质科学中心"
    assert len(simplified) == len(text)


def test_full_width_ascii_folds_but_chinese_punctuation_stays():
    assert fold_width("ＡＢＣ１２３（北京）％") == "ABC123(北京)%"
    assert fold_width("园区，企业。") == "园区，企业。"


def test_for_matching_is_length_preserving_so_offsets_carry_over():
    text = "國家蛋白質科學中心（北京）和　百濟神州"
    matched = for_matching(text)
    assert len(matched) == len(text)
    start = matched.index("国家蛋白质科学中心(北京)")
    assert text[start : start + 13] == "國家蛋白質科學中心（北京）"


def test_whitespace_collapsed_within_lines_and_blank_lines_limited():
    text = "  第一段\u3000\u3000正文  \r\n\r\n\r\n\r\n 第二段\t正文 "
    assert clean_whitespace(text) == "第一段 正文\n\n第二段 正文"


def test_normalise_keeps_the_original_script():
    assert normalise("中關村　２０年") == "中關村 20年"


def test_is_traditional():
    assert is_traditional("中關村生命科學園二十載裂變，園區發展")
    assert not is_traditional("中关村生命科学园二十载裂变，园区发展")
    assert not is_traditional("ParkLink")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("厂方2000平", "厂房2000平"),
        ("500平放米", "500平方米"),
        ("大星亦装", "大兴亦庄"),
        ("研发搂 层搞6米", "研发楼 层高6米"),
        ("平房出租", "平房出租"),
    ],
)
def test_fold_typos_corrects_input_method_homophones_keeping_the_length(typed, meant):
    assert fold_typos(typed) == meant and len(fold_typos(typed)) == len(typed)
