"""Chinese full-text search at scale: the product's hybrid index against a plain FTS5 trigram
index, built from the same synthetic corpus in one run.

Generates N articles of synthetic Chinese (words drawn by frequency from jieba's dictionary,
sentences of 8–30 words, 200–900 characters) plus parks and organisations whose names are
mentioned in some articles, on a throwaway SQLite database (DATABASE_URL / PARKLINK_VAR_DIR
point at a temporary directory). Then:

1. builds the product index (`search.services.search_documents_replace`: normalisation,
   jieba tokens, the rows with the index triggers off, then one FTS5 rebuild and merge per
   table: the term index and both trigram indexes) and, in the same database, a plain FTS5
   trigram table (`tokenize='trigram'`, detail=full) over the same title + body text;
   prints the build times (wall and CPU) and the load average;
2. runs 50 known-item NAME queries (a park's or organisation's name → that record) and 50
   known-item PHRASE queries (6–12 Han characters taken from a random article's body → that
   article) through `search.selectors.search` and through the reference (`MATCH '"phrase"'
   ORDER BY rank LIMIT 3`); prints top-3 hits /50 and p50/p95 per query set.

    .venv/bin/python bench/search.py --articles 100000 [--seed 11] [--data-dir DIR [--reuse]]
        [--only product|reference]

With --data-dir the corpus (pickled) and the database stay in DIR: a later run with the same
arguments reads the corpus back instead of generating it, and with --reuse only queries the
indexes built there.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SUFFIXES = ["科技园", "产业园", "产业基地", "创新园", "科学城", "智造园"]
ORG_SUFFIXES = ["科技有限公司", "生物技术有限公司", "研究院", "实验室", "半导体有限公司"]
PUNCT = ",,,,。;、"


def setup_django(tmp: Path) -> None:
    os.environ["PARKLINK_VAR_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
    os.environ.setdefault("PARKLINK_DEBUG", "0")  # no query log
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def vocabulary(size: int) -> tuple[list[str], list[float]]:
    """The `size` most frequent all-Han words of 1–4 characters of jieba's dictionary."""
    import jieba

    jieba.dt.initialize()
    words = [
        (w, f)
        for w, f in jieba.dt.FREQ.items()
        if f > 0 and 1 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)
    ]
    words.sort(key=lambda x: -x[1])
    words = words[:size]
    # Cumulative, flattened frequencies: the head of a Zipf curve would make every phrase common.
    cum, total = [], 0.0
    for _, f in words:
        total += f**0.6
        cum.append(total)
    return [w for w, _ in words], cum


def generate(n_articles: int, seed: int):
    from parklink.search.models import DocType
    from parklink.search.services import Doc

    rng = random.Random(seed)
    words, cum_weights = vocabulary(40000)

    def name(suffixes: list[str]) -> str:
        return "".join(rng.choices(words[2000:20000], k=2)) + rng.choice(suffixes)

    parks = list(dict.fromkeys(name(SUFFIXES) for _ in range(600)))[:500]
    orgs = list(dict.fromkeys(name(ORG_SUFFIXES) for _ in range(2400)))[:2000]
    catalogue = [
        Doc(
            DocType.PARK,
            i + 1,
            n,
            f"/parks/{i + 1}/",
            f"{n}位于北京,主导产业为生物医药",
            True,
            (n,),
        )
        for i, n in enumerate(parks)
    ] + [
        Doc(DocType.ORG, i + 1, n, f"/orgs/{i + 1}/", f"{n}入驻{rng.choice(parks)}", True, (n,))
        for i, n in enumerate(orgs)
    ]
    mentions = parks + orgs

    def sentence() -> str:
        chunk = rng.choices(words, cum_weights=cum_weights, k=rng.randint(8, 30))
        if rng.random() < 0.15:
            chunk.insert(rng.randrange(len(chunk)), rng.choice(mentions))
        return "".join(chunk) + rng.choice(PUNCT)

    articles = []
    for i in range(n_articles):
        body, target = "", rng.randint(200, 900)
        while len(body) < target:
            body += sentence()
        title = "".join(rng.choices(words, cum_weights=cum_weights, k=rng.randint(4, 9)))
        articles.append(Doc(DocType.ARTICLE, i + 1, title, f"/news/{i + 1}/", body, True))
    return catalogue, articles


def known_items(catalogue, articles, seed: int):
    """50 name queries (a catalogue name → its record) and 50 phrase queries (6–12 Han
    characters from one article's body → that article)."""
    rng = random.Random(seed + 1)
    names = [(d.title, (d.type, d.object_id)) for d in rng.sample(catalogue, 50)]
    phrases = []
    while len(phrases) < 50:
        doc = rng.choice(articles)
        size = rng.randint(6, 12)
        start = rng.randrange(0, max(1, len(doc.text) - size))
        piece = doc.text[start : start + size]
        if len(piece) == size and all("\u4e00" <= c <= "\u9fff" for c in piece):
            phrases.append((piece, (doc.type, doc.object_id)))
    return names, phrases


def build_reference(catalogue, articles) -> tuple[float, float]:
    from django.db import connection, transaction

    w, c = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS ref_tri")
        cur.execute(
            "CREATE VIRTUAL TABLE ref_tri USING fts5(kind, title, body, tokenize='trigram')"
        )
        rows = [
            (i, d.type, d.title, d.text) for i, d in enumerate([*catalogue, *articles], start=1)
        ]
        cur.executemany(
            "INSERT INTO ref_tri(rowid, kind, title, body) VALUES (%s, %s, %s, %s)", rows
        )
    return time.perf_counter() - w, time.process_time() - c


def build_product(catalogue, articles) -> tuple[float, float]:
    from django.db import transaction

    from parklink.search.services import configure_segmenter, search_documents_replace

    configure_segmenter()  # the dictionary load is start-up, not build
    w, c = time.perf_counter(), time.process_time()
    with transaction.atomic():
        search_documents_replace([*catalogue, *articles])
    return time.perf_counter() - w, time.process_time() - c


def run_product(queries):
    from parklink.search.selectors import search

    hits, times = 0, []
    for text, expected in queries:
        t = time.perf_counter()
        results = search(text, limit=3)
        times.append((time.perf_counter() - t) * 1000)
        hits += expected in [(r.type, r.id) for r in results]
    return hits, times


def run_reference(queries, catalogue, articles):
    from django.db import connection

    keys = {i: (d.type, d.object_id) for i, d in enumerate([*catalogue, *articles], start=1)}
    hits, times = 0, []
    with connection.cursor() as cur:
        for text, expected in queries:
            t = time.perf_counter()
            cur.execute(
                "SELECT rowid FROM ref_tri WHERE ref_tri MATCH %s ORDER BY rank LIMIT 3",
                ['{title body} : "' + text.replace('"', '""') + '"'],
            )
            found = [keys[r[0]] for r in cur.fetchall()]
            times.append((time.perf_counter() - t) * 1000)
            hits += expected in found
    return hits, times


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load_corpus(data: Path, n_articles: int, seed: int):
    """The corpus of (n_articles, seed): generated, or read back from `data` when an earlier
    run with the same arguments left it there (generation takes minutes at 100,000)."""
    import pickle

    cached = data / f"corpus-{n_articles}-{seed}.pickle"
    if cached.exists():
        with cached.open("rb") as f:
            return pickle.load(f)
    corpus = generate(n_articles, seed)
    with cached.open("wb") as f:
        pickle.dump(corpus, f, protocol=pickle.HIGHEST_PROTOCOL)
    return corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument(
        "--data-dir",
        type=Path,
        help="keep the corpus and the database here (default: a temporary folder, removed)",
    )
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --data-dir: query the indexes an earlier run built there, build nothing",
    )
    ap.add_argument(
        "--only",
        choices=["product", "reference"],
        help="build (and query) only one of the two indexes",
    )
    args = ap.parse_args()
    if args.articles < 100:
        ap.error("--articles: at least 100 / 至少 100 篇")
    if args.reuse and not args.data_dir:
        ap.error("--reuse needs --data-dir / --reuse 需要 --data-dir")
    if args.data_dir:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        run(args, args.data_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="parklink-bench-search-") as tmp:
            run(args, Path(tmp))


def run(args, data: Path) -> None:
    setup_django(data)
    t = time.perf_counter()
    catalogue, articles = load_corpus(data, args.articles, args.seed)
    chars = sum(len(d.text) + len(d.title) for d in articles)
    print(
        f"corpus: {len(articles):,} articles ({chars / 1e6:.1f} M characters), "
        f"{len(catalogue):,} parks and organisations; ready in "
        f"{time.perf_counter() - t:.1f} s"
    )
    names, phrases = known_items(catalogue, articles, args.seed)
    sides = [args.only] if args.only else ["product", "reference"]
    marker = {side: data / f"built-{side}-{args.articles}-{args.seed}" for side in sides}
    for side in sides:
        if args.reuse:
            if not marker[side].exists():
                sys.exit(
                    f"{side}: no index built in {data} for these arguments; run without --reuse"
                )
            continue
        marker[side].unlink(missing_ok=True)
        build = build_product if side == "product" else build_reference
        load = os.getloadavg()[0]
        wall, cpu = build(catalogue, articles)
        marker[side].touch()
        label = "product hybrid index" if side == "product" else "plain FTS5 trigram"
        print(f"build  {label:22} {wall:7.1f} s wall {cpu:7.1f} s CPU  (load {load:.1f})")
    runners = {
        "product": ("product hybrid", run_product),
        "reference": (
            "plain FTS5 trigram",
            lambda queries: run_reference(queries, catalogue, articles),
        ),
    }
    for side in sides:  # warm caches for both sides alike
        runners[side][1](names[:5])
    print(f"{'queries':8} {'index':22} {'top-3':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, queries in (("names", names), ("phrases", phrases)):
        for side in sides:
            index, runner = runners[side]
            cpu = time.process_time()
            hits, times = runner(queries)
            cpu = (time.process_time() - cpu) * 1000 / len(queries)
            print(
                f"{label:8} {index:22} {hits:>3}/50 {pct(times, 0.5):8.1f} "
                f"{pct(times, 0.95):8.1f} {max(times):8.1f}  CPU {cpu:.1f} ms/query"
            )
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
