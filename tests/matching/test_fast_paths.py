"""The fast paths (sampled threshold, area window, district classes, float32 pass, partial
selection) return exactly the brute-force top 10: all rows scored in float64 and sorted."""

from datetime import date

import numpy as np
import pytest

from bench.match import SENTENCES, generate
from parklink.matching.columns import SpaceIndex
from parklink.matching.config import DEFAULT_CONFIG
from parklink.matching.filters import candidate_mask
from parklink.matching.parse import parse_text
from parklink.matching.ranking import rank
from parklink.matching.scores import score_rows
from parklink.matching.shortlist import top_rows

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def index():
    parks, cols = generate(120_000, seed=11)
    return SpaceIndex.from_arrays(parks, [f"S{i}" for i in cols["id"]], **cols)


EXTRA = (
    "三千平左右",  # area only: many exact ties at the target (divisible spaces)
    "顺义优先,两千平,每天不超过2块",
    "配电500kVA以上,层高8米",  # no area: the full float32 pass
    "厂房",  # nothing scored: every row ties, ids decide
)


@pytest.mark.parametrize("text", [*SENTENCES, *EXTRA], ids=lambda t: t[:14])
def test_fast_top10_is_the_brute_force_top10(index, text):
    req = parse_text(text, today=TODAY)
    mask = candidate_mask(index, req)
    rows = np.flatnonzero(mask)
    exact, _ = score_rows(index, req, rows, DEFAULT_CONFIG)
    order = np.lexsort((index.id[rows], -exact))[:10]
    expected = [int(index.id[rows[i]]) for i in order]
    assert [m.space_id for m in rank(index, req, top=10)] == expected


def test_partial_selection_breaks_ties_by_id():
    rng = np.random.default_rng(3)
    scores = np.round(rng.random(200_000), 2).astype(np.float32)  # many ties
    ids = rng.permutation(200_000).astype(np.int64)
    got = top_rows(scores, ids, 50)
    want = np.lexsort((ids, -scores))[:50]
    assert list(got) == list(want)
