"""Near-duplicate detection: a repost with another frame links to its canonical article.

Recipe (tech-notes, "Near-duplicates"):
1. exact: SHA-256 of the normalised text (simplified, width-folded, punctuation and spaces
   removed), so a traditional-script or re-punctuated copy is still exact;
2. candidates: character 5-gram MinHash (128 permutations) in an LSH index (datasketch), plus
   paragraph hashes, which find half-article reposts whose Jaccard is too low for LSH;
3. verify: Jaccard ≥ 0.7 on the 5-gram sets, or containment ≥ 0.8 of the shorter text in the
   longer (with at least MIN_SHINGLES shingles, so short notices are not merged by accident).

Pure: no Django import. The caller supplies keys (article ids, or batch positions).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from parklink.zh.normalise import for_matching


@dataclass(frozen=True)
class DedupeConfig:
    version: int = 1
    shingle: int = 5
    num_perm: int = 128
    lsh_threshold: float = 0.5  # candidates; verification decides
    jaccard: float = 0.7
    containment: float = 0.8
    min_shingles: int = 40
    min_paragraph: int = 20  # characters of a paragraph worth hashing


CONFIG = DedupeConfig()
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def dedupe_text(text: str) -> str:
    """The form compared: simplified, width-folded, without punctuation or spaces."""
    return _NON_WORD.sub("", for_matching(text))


def content_hash(text: str) -> str:
    return hashlib.sha256(dedupe_text(text).encode("utf-8")).hexdigest()


def shingles(text_n: str, k: int = CONFIG.shingle) -> set[str]:
    if len(text_n) <= k:
        return {text_n} if text_n else set()
    return {text_n[i : i + k] for i in range(len(text_n) - k + 1)}


def _crc(b: bytes) -> int:
    return zlib.crc32(b)


_TEMPLATE = MinHash(num_perm=CONFIG.num_perm, hashfunc=_crc)


def minhash_of(grams: set[str]) -> MinHash:
    m = MinHash(
        num_perm=CONFIG.num_perm,
        hashfunc=_crc,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )
    if grams:
        # The same values as update_batch(g.encode() for g in grams) with hashfunc=_crc, but
        # hashed by C builtins through map (a Python call per shingle cost more than the
        # permutations); `int` passes the ready hashes through, then _crc is put back.
        m.hashfunc = int
        m.update_batch(list(map(zlib.crc32, map(str.encode, grams))))
        m.hashfunc = _crc
    return m


def minhash_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def minhash_from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(bytes(data), dtype=np.uint64).copy()
    return MinHash(
        num_perm=CONFIG.num_perm,
        hashfunc=_crc,
        hashvalues=values,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
    )


def paragraph_hashes(text: str) -> set[str]:
    out = set()
    for para in re.split(r"\n+", text):
        p = dedupe_text(para)
        if len(p) >= CONFIG.min_paragraph:
            out.add(hashlib.blake2b(p.encode("utf-8"), digest_size=8).hexdigest())
    return out


@dataclass(frozen=True)
class Signature:
    """What dedupe knows about one text."""

    text_n: str
    content_hash: str
    grams: frozenset[str]
    minhash: MinHash
    paragraphs: frozenset[str]


def signature(text: str) -> Signature:
    text_n = dedupe_text(text)
    grams = shingles(text_n)
    return Signature(
        text_n=text_n,
        content_hash=hashlib.sha256(text_n.encode("utf-8")).hexdigest(),
        grams=frozenset(grams),
        minhash=minhash_of(grams),
        paragraphs=frozenset(paragraph_hashes(text)),
    )


@dataclass(frozen=True)
class DuplicateMatch:
    key: Hashable
    exact: bool
    jaccard: float
    containment: float


class DedupeIndex:
    """Articles held so far; `find` returns the canonical a new text duplicates, if any.

    `load_grams(key)` supplies the 5-gram set of a held article that was added by minhash
    only (articles loaded from the database), so verification stays exact.
    """

    def __init__(
        self,
        config: DedupeConfig = CONFIG,
        load_grams: Callable[[Hashable], set[str] | frozenset[str]] | None = None,
    ) -> None:
        self.config = config
        self._lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
        self._hashes: dict[str, Hashable] = {}
        self._paragraphs: dict[str, Hashable] = {}
        self._grams: dict[Hashable, frozenset[str]] = {}
        self._load_grams = load_grams
        self._keys: set[Hashable] = set()

    def __len__(self) -> int:
        return len(self._keys)

    def add(
        self,
        key: Hashable,
        *,
        content_hash: str,
        minhash: MinHash,
        grams: frozenset[str] | None = None,
        paragraphs: frozenset[str] = frozenset(),
    ) -> None:
        if key in self._keys:
            return
        self._keys.add(key)
        self._hashes.setdefault(content_hash, key)
        for p in paragraphs:
            self._paragraphs.setdefault(p, key)
        if grams is not None:
            self._grams[key] = grams
        self._lsh.insert(key, minhash)

    def add_signature(self, key: Hashable, sig: Signature) -> None:
        self.add(
            key,
            content_hash=sig.content_hash,
            minhash=sig.minhash,
            grams=sig.grams,
            paragraphs=sig.paragraphs,
        )

    def _grams_of(self, key: Hashable) -> frozenset[str] | None:
        grams = self._grams.get(key)
        if grams is None and self._load_grams is not None:
            loaded = self._load_grams(key)
            grams = frozenset(loaded) if loaded is not None else None
            if grams is not None:
                self._grams[key] = grams
        return grams

    def find(self, sig: Signature) -> DuplicateMatch | None:
        if not sig.text_n:
            return None
        exact = self._hashes.get(sig.content_hash)
        if exact is not None:
            return DuplicateMatch(exact, True, 1.0, 1.0)
        candidates: list[Hashable] = list(self._lsh.query(sig.minhash))
        for p in sig.paragraphs:
            key = self._paragraphs.get(p)
            if key is not None and key not in candidates:
                candidates.append(key)
        best: DuplicateMatch | None = None
        for key in candidates:
            other = self._grams_of(key)
            if not other:
                continue
            inter = len(sig.grams & other)
            union = len(sig.grams | other)
            smaller = min(len(sig.grams), len(other))
            jac = inter / union if union else 0.0
            con = inter / smaller if smaller else 0.0
            ok = jac >= self.config.jaccard or (
                con >= self.config.containment and smaller >= self.config.min_shingles
            )
            if ok and (best is None or (jac, con) > (best.jaccard, best.containment)):
                best = DuplicateMatch(key, False, round(jac, 3), round(con, 3))
        return best
