from datetime import date

import pytest

from parklink.news.dedupe import (
    DedupeIndex,
    content_hash,
    minhash_bytes,
    minhash_from_bytes,
    signature,
)
from parklink.news.extract import extract_text
from parklink.zh.normalise import fold_width


@pytest.fixture
def body(seed_text):
    return extract_text(seed_text, fetched_at=date(2025, 5, 3)).body


@pytest.fixture
def index(body):
    idx = DedupeIndex()
    idx.add_signature(1, signature(body))
    return idx


def test_exact_copy_with_other_spacing_and_width_is_exact(index, body):
    copy = fold_width(body).replace("\n\n", "\n   ")
    match = index.find(signature(copy))
    assert match is not None and match.exact and match.key == 1


def test_traditional_script_copy_is_exact(index, body):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(body)
    assert traditional != body
    match = index.find(signature(traditional))
    assert match is not None and match.key == 1


def test_repost_with_another_frame_is_a_near_duplicate(index, body):
    repost = (
        "转自某某产业网 2024-11-05\n\n"
        + body
        + "\n\n责任编辑:王某 本文来源于网络,如有侵权请联系删除。"
    )
    match = index.find(signature(repost))
    assert match is not None and not match.exact
    assert match.jaccard >= 0.7


def test_half_article_repost_found_by_containment(index, body):
    paragraphs = body.split("\n\n")
    half = "\n\n".join(paragraphs[: len(paragraphs) // 2])
    match = index.find(signature(half))
    assert match is not None
    assert match.jaccard < 0.7 <= match.containment


def test_unrelated_article_is_not_a_duplicate(index):
    other = "今年以来,大兴生物医药基地新增企业三十家,基地规划面积13.4平方公里。" * 5
    assert index.find(signature(other)) is None


def test_minhash_round_trips_through_bytes(body):
    sig = signature(body)
    assert minhash_from_bytes(minhash_bytes(sig.minhash)).jaccard(sig.minhash) == 1.0


def test_index_verifies_with_grams_loaded_on_demand(body):
    sig = signature(body)
    loaded = []

    def load(key):
        loaded.append(key)
        return sig.grams

    idx = DedupeIndex(load_grams=load)
    idx.add(5, content_hash="x", minhash=sig.minhash)
    match = idx.find(signature("前言。" + body))
    assert match is not None and match.key == 5 and loaded == [5]


def test_content_hash_ignores_punctuation_and_spaces():
    assert content_hash("园区,企业。 发展") == content_hash("园区 企业 发展!")
