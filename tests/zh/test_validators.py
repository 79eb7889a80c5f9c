import pytest

from parklink.zh.validators import (
    is_valid_uscc,
    mask_mobile,
    normalise_mobile,
    normalise_uscc,
    uscc_check_char,
)


@pytest.mark.parametrize(
    "code", ["91350100M000100Y43", "911100007109288314", "91110108551385082Q", "91110000802100433B"]
)
def test_uscc_valid_codes_accepted(code):
    assert normalise_uscc(code.lower()) == code


def test_uscc_starting_with_y_is_valid_when_check_char_fits():
    # python-stdnum rejects these (letters in positions 1-8); the standard allows them.
    body = "Y1110108MA01ABCD1"
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18"),
        ("91350100M000100Y44", "校验位"),
        ("91350100M000100I43", "非法字符"),
    ],
)
def test_uscc_invalid_codes_rejected_with_reason(code, fragment):
    with pytest.raises(ValueError, match=fragment):
        normalise_uscc(code)


@pytest.mark.parametrize(
    "raw",
    [
        "13391219793",
        "+86 133 9121 9793",
        "133-9121-9793",
        "１３３９１２１９７９３",
        "008613391219793",
    ],
)
def test_mobile_normalised_to_11_digits(raw):
    assert normalise_mobile(raw) == "13391219793"


@pytest.mark.parametrize("raw", ["12345", "010-62345678", "4000123021", "abc", "1339121979"])
def test_mobile_rejects_non_mobiles(raw):
    with pytest.raises(ValueError):
        normalise_mobile(raw)


def test_mask_mobile_keeps_prefix_and_last_four():
    assert mask_mobile("13391219793") == "133****9793"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+1 415 555 2671", "+14155552671"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("+49 171 1234567", "+491711234567"),
        ("0049 1511 2345678", "+4915112345678"),
        ("+44 7911 123456", "+447911123456"),
        ("＋８５２ ９１２３ ４５６７", "+85291234567"),
        ("+81 90-1234-5678", "+819012345678"),
    ],
)
def test_foreign_numbers_accepted_in_e164(raw, e164):
    assert normalise_mobile(raw) == e164
    assert len(e164) <= 16  # fits Lead.mobile


@pytest.mark.parametrize(
    "raw",
    [
        "+1 415 555 267",  # too short for the region
        "+49 171",
        "+1 900 555 0100",  # premium rate
        "+1 800 555 0199",  # toll free
        "+999 1234 5678",  # no such country code
        "+86 010 6234 5678",  # a mainland landline stays refused
        "+86 400 012 3021",
        "4155552671",  # a US number without its country code reads as mainland: invalid
    ],
)
def test_foreign_and_mainland_rules(raw):
    with pytest.raises(ValueError) as info:
        normalise_mobile(raw)
    assert "/ " in str(info.value)


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [("+14155552671", "+141****2671"), ("+491711234567", "+491****4567")],
)
def test_mask_foreign_numbers(mobile, masked):
    assert mask_mobile(mobile) == masked
    assert mobile not in masked


# --- the fast path for plain mainland numbers (a 号段 remembered once accepted) ----------


def _slow(raw: str) -> str:
    from parklink.zh.validators import _normalise_mobile

    try:
        return _normalise_mobile(raw)
    except ValueError as exc:
        return f"error: {exc}"


def _fast(raw: str) -> str:
    try:
        return normalise_mobile(raw)
    except ValueError as exc:
        return f"error: {exc}"


def test_mainland_fast_path_answers_as_phonenumbers_for_every_five_digit_range(monkeypatch):
    """Every range 130xx…199xx (phonenumbers' CN patterns decide on at most five digits),
    each 号段 first learnt from one number and then answered from the cache for others."""
    import random

    from parklink.zh import validators

    monkeypatch.setattr(validators, "_MAINLAND_OK", set())
    rng = random.Random(11)
    learnt = 0
    for prefix in range(13000, 20000):
        segment = f"{prefix}{rng.randint(0, 99):02d}"  # a 号段 (seven digits) of the range
        numbers = [f"{segment}{rng.randint(0, 9999):04d}" for _ in range(3)]
        for raw in numbers:
            assert _fast(raw) == _slow(raw), raw
        learnt += segment in validators._MAINLAND_OK
    assert 0 < learnt < 7000  # some ranges are mobiles, some are not (179, 1349…)


def test_mainland_fast_path_keeps_refusals_and_other_forms(monkeypatch):
    from parklink.zh import validators

    monkeypatch.setattr(validators, "_MAINLAND_OK", set())
    assert normalise_mobile("13800138000") == "13800138000"
    assert "1380013" in validators._MAINLAND_OK
    # Same 号段 written otherwise: the slow path, same answer.
    assert normalise_mobile("+86 138 0013 8001") == "13800138001"
    assert normalise_mobile("１３８００１３８００２") == "13800138002"
    assert normalise_mobile(" 13800138003 ") == "13800138003"
    # Not a plain mainland number: never answered from the cache.
    for raw in ("1380013800", "138001380000", "1380013800x"):
        assert _fast(raw) == _slow(raw) and _fast(raw).startswith("error")
    assert _fast("1380013٨000") == _slow("1380013٨000") == "13800138000"  # other digits
    with pytest.raises(ValueError):
        normalise_mobile("17900000000")  # 179: a carrier prefix, not a mobile range
    assert "1790000" not in validators._MAINLAND_OK
