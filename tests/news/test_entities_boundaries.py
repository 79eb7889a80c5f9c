"""Entity boundaries on our annotated sentences (tests/news/ner_sentences.json): every park
and organisation with its exact span, nothing invented. The held-out set is measured by
bench/ner_eval.py, not asserted (docs/news.md)."""

import json
from pathlib import Path

import pytest

from parklink.news.entities import Gazetteer, catalogue_names, find_entities

DATA = json.loads((Path(__file__).parent / "ner_sentences.json").read_text(encoding="utf-8"))
CAT = DATA["catalogue"]
GAZ = Gazetteer(
    catalogue_names([(None, n, []) for n in CAT["parks"]], [(None, n, []) for n in CAT["orgs"]])
)


@pytest.mark.parametrize(("sentence", "gold"), DATA["sentences"])
def test_exact_boundaries(sentence, gold):
    got = {(e.name, e.kind) for e in find_entities(sentence, GAZ) if e.kind in ("park", "org")}
    assert got == {(n, k) for n, k in gold}


def test_a_new_park_is_not_folded_into_a_catalogue_name_inside_it():
    text = "中关村生命科学园北区国际创新园正式开园。"
    [e] = [e for e in find_entities(text, GAZ) if e.kind == "park"]
    assert (e.name, e.canonical, e.origin) == ("中关村生命科学园北区国际创新园", None, "shape")
