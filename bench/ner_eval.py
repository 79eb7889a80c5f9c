"""Entity recognition with exact boundaries: the rule-based recogniser (news/entities.py)
against segmentation/NER libraries that ship their models in the package, on our own
annotated sentences (tests/news/ner_sentences.json).

    .venv/bin/python bench/ner_eval.py

Candidates: jieba posseg with the catalogue as user dictionary (runs of name-like tokens
ending in an `nt` token or a park/organisation suffix); pkuseg and LAC when importable
(pkuseg does not build on this Python; LAC needs paddlepaddle). Prints precision, recall and
F1 of exact (name, kind) spans and the time per sentence; then the whole pipeline on the
held-out industry articles (tests/news/heldout_eval.py: extraction, entities, new parks,
facts with subject/unit/currency/as-of, false facts). Asserts nothing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from parklink.news.entities import (  # noqa: E402
    ORG_SUFFIXES,
    PARK,
    PARK_SUFFIXES,
    Gazetteer,
    catalogue_names,
    find_entities,
)
from parklink.zh import segment  # noqa: E402

DATA = json.loads((REPO / "tests" / "news" / "ner_sentences.json").read_text(encoding="utf-8"))
CAT = DATA["catalogue"]
SUFFIXES = tuple(sorted(PARK_SUFFIXES + ORG_SUFFIXES, key=len, reverse=True))
NAME_FLAGS = {"ns", "nz", "nt", "n", "nr", "nrt", "vn", "eng", "j", "x", "m"}


def rules(sentence: str, gaz: Gazetteer) -> set[tuple[str, str]]:
    return {(e.name, e.kind) for e in find_entities(sentence, gaz) if e.kind in ("park", "org")}


def jieba_posseg(sentence: str, gaz: Gazetteer) -> set[tuple[str, str]]:
    import jieba.posseg as pseg

    out: set[tuple[str, str]] = set()
    run: list[tuple[str, str]] = []
    for word, flag in [*pseg.cut(sentence), ("。", "x")]:
        ends = word.endswith(SUFFIXES) or flag == "nt"
        if flag in NAME_FLAGS and word.strip() and word not in "，。、,":
            run.append((word, flag))
            if ends:
                name = "".join(w for w, _ in run)
                kind = PARK if name.endswith(PARK_SUFFIXES) else "org"
                if name in CAT["parks"]:
                    kind = PARK
                out.add((name, kind))
                run = []
        else:
            run = []
    return out


def score(method, gaz, key: str = "sentences") -> tuple[float, float, float, float]:
    tp = fp = fn = 0
    start = time.perf_counter()
    for sentence, gold in DATA[key]:
        got = method(sentence, gaz)
        want = {(n, k) for n, k in gold}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    ms = 1000 * (time.perf_counter() - start) / len(DATA[key])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, ms


def main() -> None:
    names = catalogue_names(
        [(None, n, []) for n in CAT["parks"]], [(None, n, []) for n in CAT["orgs"]]
    )
    segment.configure()
    segment.add_words(n.surface for n in names)
    gaz = Gazetteer(names)
    methods = {"rule-based (ours)": rules, "jieba posseg + catalogue": jieba_posseg}
    for lib in ("pkuseg", "LAC"):
        try:
            __import__(lib)
        except ImportError:
            print(f"{lib}: not installable here (skipped)")
    print("| recogniser | sentences | precision | recall | F1 | ms/sentence |")
    print("|---|---|---|---|---|---|")
    for key in ("sentences", "heldout"):
        for name, method in methods.items():
            method("热身。", gaz)
            p, r, f, ms = score(method, gaz, key)
            n = len(DATA[key])
            print(f"| {name} | {key} ({n}) | {p:.2f} | {r:.2f} | {f:.2f} | {ms:.2f} |")
    sys.path.insert(0, str(REPO / "tests" / "news"))
    import heldout_eval

    for label, folder in (
        ("held-out articles", heldout_eval.HELDOUT),
        ("second set", heldout_eval.FRESH),
    ):
        print(f"\n{label} ({folder.relative_to(REPO)}):")
        for line in heldout_eval.evaluate(folder=folder).lines():
            print("  " + line)


if __name__ == "__main__":
    main()
