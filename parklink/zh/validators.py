"""Validators for identifiers: contact numbers (mainland mobiles strictly, any region's in
E.164) and 统一社会信用代码 (USCC).

Pure functions returning normalised values or raising ValueError with a bilingual message.
"""

from __future__ import annotations

import re

import phonenumbers

# GB 32100-2015: the 31 characters allowed (no I, O, S, V, Z) and the position weights.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(value: str) -> str:
    """Return the USCC upper-cased and stripped, or raise ValueError.

    python-stdnum's cn.uscc demands digits in positions 1-8 and so rejects valid codes
    (tech-notes.md); this follows the standard itself.
    """
    code = value.strip().upper().replace(" ", "")
    if len(code) != 18:
        raise ValueError(
            f"统一社会信用代码应为18位,实际{len(code)}位 / USCC must have 18 characters, got {len(code)}"
        )
    bad = sorted({ch for ch in code if ch not in _USCC_VALUE})
    if bad:
        raise ValueError(
            f"统一社会信用代码含非法字符 {''.join(bad)} / USCC contains invalid characters {''.join(bad)}"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(
            f"统一社会信用代码校验位错误(应为 {expected})/ USCC check character is wrong (expected {expected})"
        )
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        normalise_uscc(value)
    except ValueError:
        return False
    return True


_PHONE_TYPES_FOREIGN = frozenset(
    {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
        phonenumbers.PhoneNumberType.VOIP,
    }
)
_PHONE_TYPES_CN = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def normalise_mobile(value: str) -> str:
    """A contact number, normalised, or ValueError with a bilingual message.

    - Mainland China (no prefix, +86 or 0086): strictly a mobile number (landlines, 400
      numbers refused), returned as 11 digits (13800138000).
    - Any other region, written with its country code (+1 …, +49 …, 0049 …): a valid number
      for that region (phonenumbers' metadata; premium, toll-free and shared-cost numbers
      refused), returned in E.164 (+14155552671).

    Accepts spaces, dashes, brackets and full-width digits.
    """
    raw = value.strip().translate(_FULLWIDTH_DIGITS)
    if len(raw) == 11 and raw[:PREFIX_DIGITS] in _MAINLAND_OK and _PLAIN_MAINLAND.fullmatch(raw):
        return raw  # what phonenumbers answered for the first number of this 号段
    if len(raw) > 40:
        raise ValueError("手机号格式不正确 / invalid mobile number")
    result = _normalise_mobile(raw)
    if result == raw and _PLAIN_MAINLAND.fullmatch(raw):
        _MAINLAND_OK.add(raw[:PREFIX_DIGITS])
    return result


# The fast path of ``normalise_mobile``: a plain mainland number (11 ASCII digits, 1[3-9]…)
# is a valid mobile or not according to phonenumbers' CN patterns, which look at its first
# five digits at most (1740[0-5]…, 1[38]\d…); its 号段 (the first seven digits) therefore
# decides. A 号段 is remembered once phonenumbers accepted a number of it, and later numbers
# of it are returned without parsing (a refused one always goes through phonenumbers, for
# its message). tests/zh/test_validators.py checks the equivalence over every 号段 range.
PREFIX_DIGITS = 7
_PLAIN_MAINLAND = re.compile(r"1[3-9][0-9]{9}")
_MAINLAND_OK: set[str] = set()  # at most 700,000 prefixes (1[3-9]xxxxx)


def _normalise_mobile(raw: str) -> str:
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValueError("手机号格式不正确 / invalid mobile number") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError("手机号格式不正确 / invalid mobile number")
    kind = phonenumbers.number_type(number)
    if number.country_code == 86:
        if kind not in _PHONE_TYPES_CN:
            raise ValueError("请填写手机号(非座机)/ a mobile number is required, not a landline")
        return str(number.national_number)
    if kind not in _PHONE_TYPES_FOREIGN:
        raise ValueError(
            "请填写可联系的手机号(非付费或免费号码)/ "
            "a reachable mobile number is required, not a premium or toll-free number"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_mobile(mobile: str) -> str:
    """133****9793 (and +491****4567 for a number in E.164): the form shown to anyone not
    entitled to the full number (PIPL)."""
    digits = "".join(ch for ch in mobile if ch.isdecimal())
    if len(digits) < 7:
        return "*" * len(digits)
    masked = f"{digits[:3]}****{digits[-4:]}"
    return f"+{masked}" if mobile.strip().startswith("+") else masked


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋－　（）", "0123456789+- ()")
