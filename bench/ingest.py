"""Ingestion throughput end to end, and extraction accuracy on the GNE pages.

    .venv/bin/python bench/ingest.py [--pages N] [--no-accuracy]

Generates N plain-text portal pages (seed-like: breadcrumb, meta line, sidebar, contact
block, related list; each article different) and N HTML pages, writes them to a temp folder
and runs `article_ingest` over them into a fresh SQLite database in a temp VAR_DIR
(extraction, segmentation, entities, facts, dedupe, storage). Then the GNE pages (when
../shared/corpora/gne exists) through the same service, and the accuracy table: ours vs
trafilatura alone vs the gne package. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TMP = Path(tempfile.mkdtemp(prefix="parklink-bench-ingest-"))
os.environ.setdefault("PARKLINK_VAR_DIR", str(TMP / "var"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parklink.settings")
# Measured as deployed: DEBUG off (DEBUG wraps every cursor to log its SQL).
os.environ.setdefault("PARKLINK_DEBUG", "0")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from parklink.news.models import Article  # noqa: E402
from parklink.news.services import article_ingest  # noqa: E402

PARKS = [
    "中关村生命科学园",
    "北京经济技术开发区",
    "中关村软件园",
    "大兴生物医药产业基地",
    "未来科学城",
]
ORGS = ["北京生命科学研究所", "百济神州", "国家蛋白质科学中心(北京)", "华润双鹤合成生物研究院"]
VERBS = ["引入", "聚集了", "吸引", "签约落户了"]
SIDEBAR = ["我国风电光伏发电装机超过煤电装机", "财政部:把科技作为财政支出的重点领域优先保障"]


def _paragraphs(rng: random.Random, n: int) -> list[str]:
    out = []
    for j in range(n):
        park, org = rng.choice(PARKS), rng.choice(ORGS)
        out.append(
            f"{2000 + rng.randrange(25)}年{rng.randrange(1, 13)}月,{park}{rng.choice(VERBS)}{org}"
            f"等{rng.randrange(2, 30)}家机构,园区规划面积{rng.randrange(1, 90) / 10}平方公里,"
            f"总建筑面积约{rng.randrange(10, 600)}万平方米,孵化器入住率{rng.randrange(50, 99)}%。"
            f"第{j}段记录编号{rng.randrange(10**9)},企业{rng.randrange(50, 900)}家,"
            f"总投资{rng.randrange(1, 90)}亿元,厂房层高{rng.randrange(4, 12)}米。"
        )
    return out


def text_page(i: int, rng: random.Random) -> str:
    body = "\n\n".join("  " + p for p in _paragraphs(rng, 8))
    side = "\n\n".join(f"  {s}\n\n  {s}" for s in SIDEBAR)
    return (
        f"当前位置:首页 > 北京产业信息 > 正文内容\n\n园区观察第{i}期:{rng.choice(PARKS)}发展纪实\n\n"
        f"admin{rng.randrange(1, 12)}个月前 (0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)})北京产业信息"
        f"{rng.randrange(10, 999)}\n\n{body}\n\n{side}\n\n产业招商/厂房土地租售:400 0123 021\n"
        "版权声明:本文由北京厂房网发布,如需转载请注明出处。\n\n分享给朋友:\n\n相关文章\n\n"
        "区领导带队到中关村生命科学园调研\n\n区领导带队到中关村生命科学园调研\n\n"
        "  2月27日,区委书记带队到中关村生命科学园调研,走进企业和创新服务平台..."
    )


def html_page(i: int, rng: random.Random) -> str:
    paras = "".join(f"<p>{p}</p>" for p in _paragraphs(rng, 8))
    links = "".join(
        f'<li><a href="/n/{k}.html">热点新闻标题第{k}条内容</a></li>' for k in range(20)
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>园区动态第{i}期 - 产业网</title>'
        '</head><body><nav><a href="/">首页</a><a href="/news">新闻</a></nav>'
        '<div class="crumb">您的位置:首页 &gt; 园区动态</div><div class="main">'
        f'<h1>园区动态第{i}期</h1><div class="info">发布时间:2024-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}'
        f' 浏览次数:{rng.randrange(999)}</div><div class="content">{paras}</div></div>'
        f'<div class="sidebar"><ul>{links}</ul></div><footer>版权所有 产业网 京ICP备000号</footer>'
        "</body></html>"
    )


def run(label: str, refs: list[str]) -> None:
    start, cpu = time.perf_counter(), time.process_time()
    report = article_ingest(refs=refs)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # Wall time depends on what else runs on the machine; CPU time of this process does not.
    print(
        f"{label:<26} {len(refs):>5} pages  wall {seconds:6.2f} s = {len(refs) / seconds:6.1f}/s"
        f"  cpu {cpu:6.2f} s = {len(refs) / cpu:6.1f}/s  ({report.summary()})"
    )


def accuracy() -> None:
    corpus = REPO.parent / "shared" / "corpora" / "gne"
    if not corpus.is_dir():
        print("GNE corpus absent: accuracy skipped")
        return
    from tests.news.gne_eval import EXTRACTORS, evaluate

    for fn in EXTRACTORS.values():  # warm imports before timing
        fn("<html><body><p>热身。</p></body></html>", None)
    print(
        "\n| extractor | fully right | title | date | first sentence | last sentence "
        "| no boilerplate | time/page | pages/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, fn in EXTRACTORS.items():
        score, _ = evaluate(corpus, fn)
        print(score.row(name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--no-accuracy", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from parklink.parks import demo as parks_demo

    parks_demo.load(sys.stdout)  # the catalogue: 31 parks, their organisations (linking)
    rng = random.Random(6)
    pages = TMP / "pages"
    pages.mkdir()
    texts, htmls = [], []
    for i in range(args.pages):
        (pages / f"t{i}.txt").write_text(text_page(i, rng), encoding="utf-8")
        (pages / f"h{i}.html").write_text(html_page(i, rng), encoding="utf-8")
        texts.append(str(pages / f"t{i}.txt"))
        htmls.append(str(pages / f"h{i}.html"))
    article_ingest(refs=[texts[0]], dry_run=True)  # warm-up: jieba dictionary, imports
    run("plain text (seed-like)", texts)
    run("HTML (generated)", htmls)
    corpus = REPO.parent / "shared" / "corpora" / "gne"
    if corpus.is_dir():
        run("HTML (GNE pages)", [str(p) for p in sorted(corpus.rglob("*.html"))])
    run("re-ingest unchanged text", texts[:200])
    print(f"articles held: {Article.objects.count()}")
    if not args.no_accuracy:
        accuracy()


if __name__ == "__main__":
    main()
