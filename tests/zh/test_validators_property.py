"""Property tests of the USCC validator (zh/validators.py, GB 32100-2015): every code built
with the standard's check character is valid and round-trips (case, spaces); changing any
one character to another of the alphabet makes it invalid; arbitrary text never raises
anything but ValueError."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from parklink.zh.validators import (
    USCC_ALPHABET,
    is_valid_uscc,
    normalise_uscc,
    uscc_check_char,
)

BODIES = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)


@settings(max_examples=500, deadline=None)
@given(BODIES)
def test_generated_codes_are_valid_and_round_trip(body: str):
    code = body + uscc_check_char(body)
    assert is_valid_uscc(code)
    assert normalise_uscc(code) == code
    assert normalise_uscc(f"  {code.lower()} ") == code


@settings(max_examples=500, deadline=None)
@given(BODIES, st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET))
def test_one_changed_character_fails(body: str, position: int, replacement: str):
    code = body + uscc_check_char(body)
    if code[position] == replacement:
        replacement = USCC_ALPHABET[(USCC_ALPHABET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(changed)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_valid_or_a_value_error(text: str):
    with contextlib.suppress(ValueError):
        normalise_uscc(text)
