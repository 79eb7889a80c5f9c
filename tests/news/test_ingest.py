"""The ingest command and article_ingest against the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from parklink.news.choices import ReviewStatus, RunStatus
from parklink.news.demo import SEED_FETCHED_AT, SEED_FILE
from parklink.news.models import Article, Fact, IngestRun, Mention
from parklink.news.review import fact_accept
from parklink.news.services import IngestBusy, article_ingest
from tests.factories.orgs import OrganizationFactory
from tests.factories.parks import ParkFactory

SEED = str(SEED_FILE)
TITLE = "从“生命细胞”到创新网络中关村生命科学园二十载裂变"


def run(*args: str) -> tuple[list[dict], str, int]:
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        code = 1
    objects = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    return objects, err.getvalue(), code


def _entity_names(obj):
    return {e["name"] for e in obj["entities"]}


def _fact_values(obj):
    return {(f["value"], f["unit"]) for f in obj["facts"]}


@pytest.mark.django_db
def test_seed_dry_run_with_empty_catalogue_reports_by_known_names_and_shape():
    [obj], err, code = run(SEED, "--json", "--dry-run", "--fetched-at", SEED_FETCHED_AT)
    assert code == 0
    assert obj["source"] == SEED
    assert obj["title"] == TITLE
    assert obj["published"] == "2024-11-03"
    assert (obj["author"], obj["category"], obj["duplicate_of"]) == ("admin", "北京产业信息", None)
    assert obj["body"].startswith("静思湖畔的湖林隐客")
    assert obj["body"].endswith("提供有力支撑。")
    for junk in ("我国风电光伏", "葛毅明", "13391219793", "版权声明", "相关文章", "分享给朋友"):
        assert junk not in obj["body"]
    assert len(obj["related"]) == 5 and all(r["title"] and r["excerpt"] for r in obj["related"])
    names = _entity_names(obj)
    assert {
        "中关村生命科学园",
        "北京生命科学研究所",
        "百济神州",
        "国家蛋白质科学中心(北京)",
    } <= names
    assert {(7190000, "m2"), (5220000, "m2"), (91, "%")} <= _fact_values(obj)
    for e in obj["entities"]:
        assert obj["body"][e["start"] : e["end"]] == e["name"]
    assert "dry run" in err
    # --dry-run writes nothing, not even a run record.
    assert not Article.objects.exists() and not IngestRun.objects.exists()


@pytest.mark.django_db
def test_seed_with_catalogue_links_mentions_and_proposes_the_rest():
    park = ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    org = OrganizationFactory(name="百济神州")
    [obj], _, code = run(SEED, "--json", "--fetched-at", SEED_FETCHED_AT)
    assert code == 0
    by_name = {e["name"]: e for e in obj["entities"]}
    assert by_name["生命园"]["canonical"] == "中关村生命科学园"
    assert by_name["北京生命科学研究所"]["canonical"] is None  # not in this catalogue: by shape

    article = Article.objects.get()
    assert article.title == TITLE and article.views == 46
    assert article.copyright_line.startswith("版权声明")
    assert article.mentions.filter(park=park, status=ReviewStatus.LINKED).count() >= 5
    assert article.mentions.filter(org=org, status=ReviewStatus.LINKED).exists()
    assert article.mentions.filter(text="北京生命科学研究所", status=ReviewStatus.PROPOSED).exists()
    occupancy = Fact.objects.get(kind="occupancy")
    assert (occupancy.park, occupancy.value, occupancy.unit, occupancy.as_of) == (
        park,
        91,
        "%",
        "2010",
    )
    # A confident fact about a known park that contradicts nothing needs no review.
    assert occupancy.status == ReviewStatus.LINKED and occupancy.confidence >= 0.7
    assert "91%" in occupancy.text
    ingest_run = IngestRun.objects.get()
    assert (ingest_run.status, ingest_run.ok, ingest_run.failed) == (RunStatus.DONE, 1, 0)


@pytest.mark.django_db
def test_reingesting_unchanged_page_changes_nothing_and_a_changed_one_updates(tmp_path):
    page = tmp_path / "seed.txt"
    page.write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    first = article_ingest(refs=[str(page)]).results[0]
    before = (Mention.objects.count(), Fact.objects.count())
    again = article_ingest(refs=[str(page)]).results[0]
    assert again.status == "unchanged" and again.article_id == first.article_id
    assert (Mention.objects.count(), Fact.objects.count()) == before

    reviewed = Fact.objects.filter(kind="occupancy").first()
    fact_accept(
        fact=reviewed, actor=None, park=ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    )
    page.write_text(
        page.read_text(encoding="utf-8").replace("入住率已高达91%", "入住率已高达95%"),
        encoding="utf-8",
    )
    changed = article_ingest(refs=[str(page)]).results[0]
    assert changed.status == "ok" and changed.article_id == first.article_id
    assert Article.objects.count() == 1
    values = set(Fact.objects.filter(kind="occupancy").values_list("value", "status"))
    # The reviewer's decision stays; the new figure is proposed.
    assert values == {(91, ReviewStatus.ACCEPTED), (95, ReviewStatus.PROPOSED)}


@pytest.mark.django_db
def test_repost_with_another_frame_links_to_its_canonical(tmp_path, seed_text):
    repost = tmp_path / "repost.txt"
    repost.write_text(
        "首页 > 园区新闻\n\n中关村生命科学园二十年\n\n来源:某某网 2024-11-05\n\n"
        + seed_text.split("admin6个月前 (11-03)北京产业信息46")[1].split("我国风电光伏")[0]
        + "\n责任编辑:王某\n",
        encoding="utf-8",
    )
    objs, err, code = run(SEED, str(repost), "--json", "--fetched-at", SEED_FETCHED_AT)
    assert code == 0
    canonical, dup = objs
    assert canonical["duplicate_of"] is None
    seed_article = Article.objects.get(source_ref=SEED)
    assert dup["duplicate_of"] == seed_article.pk
    assert Article.objects.get(source_ref=str(repost)).duplicate_of == seed_article
    assert "duplicates 1" in err
    assert IngestRun.objects.get().duplicates == 1


@pytest.mark.django_db
def test_dry_run_duplicates_point_at_the_earlier_input(tmp_path, seed_text):
    copy = tmp_path / "copy.txt"
    copy.write_text(seed_text, encoding="utf-8")
    objs, _, _ = run(SEED, str(copy), "--json", "--dry-run")
    assert [o["duplicate_of"] for o in objs] == [None, SEED]


@pytest.mark.django_db
def test_bad_inputs_one_line_each_and_the_batch_goes_on(tmp_path, site, closed_port_url):
    root, base = site
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (root / "private").mkdir()
    (root / "private" / "a.html").write_text("<html><body><p>正文。</p></body></html>")
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.html"
    empty.write_text("")
    no_article = tmp_path / "list.html"
    no_article.write_text(
        "<html><body><ul>"
        + "".join(f"<li><a href='/{i}'>链接标题{i}</a></li>" for i in range(40))
        + "</ul></body></html>"
    )
    huge = tmp_path / "huge.html"
    with huge.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)
    broken = tmp_path / "broken.html"
    broken.write_bytes("<html><body><div><p>残<<<>>></td></tr><p".encode())
    unknown = tmp_path / "unknown.txt"
    unknown.write_bytes(bytes([0x81, 0x30, 0xFE, 0xFF, 0xC0, 0xC1]) * 300)
    bad = [binary, empty, no_article, huge, broken, unknown]
    refs = [str(p) for p in bad] + [closed_port_url, f"{base}/private/a.html", SEED]

    objs, err, code = run(*refs, "--json", "--fetched-at", SEED_FETCHED_AT)
    assert code == 1
    failed_lines = [ln for ln in err.splitlines() if ln.startswith("失败 / failed")]
    assert len(failed_lines) == 8
    for ref in refs[:-1]:
        assert sum(ref + ":" in ln for ln in failed_lines) == 1, ref
    assert "robots.txt" in err and "20 MB" in err and "binary" in err and "unreachable" in err
    assert "Traceback" not in err
    assert [o["source"] for o in objs] == [SEED]
    assert "ok 1, 失败 failed 8" in err
    assert Article.objects.count() == 1  # nothing half-written for the bad ones
    ingest_run = IngestRun.objects.get()
    assert (ingest_run.ok, ingest_run.failed, len(ingest_run.errors)) == (1, 8, 8)


@pytest.mark.django_db
def test_feed_expands_to_its_articles(site, seed_text):
    root, base = site
    (root / "a.txt").write_text(seed_text, encoding="utf-8")
    (root / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss><channel><item><link>{base}/a.txt</link></item></channel></rss>'
    )
    objs, _, code = run(f"{base}/feed.xml", "--json", "--dry-run", "--fetched-at", SEED_FETCHED_AT)
    assert code == 0
    assert [(o["source"], o["title"]) for o in objs] == [(f"{base}/a.txt", TITLE)]


@pytest.mark.django_db
def test_traditional_chinese_page_is_matched_and_kept_in_its_script(tmp_path):
    ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    page = tmp_path / "big5.html"
    page.write_bytes(
        (
            "<html><head><title>生命科學園二十載</title></head><body><h1>生命科學園二十載</h1>"
            "<p>中關村生命科學園於2000年11月25日啟動建設，園區規劃核心區佔地7.19平方公里。</p>"
            "<p>園區引入北京生命科學研究所等科研機構，孵化器入住率高達91%。</p></body></html>"
        ).encode("big5")
    )
    [obj], _, code = run(str(page), "--json")
    assert code == 0
    assert "中關村生命科學園" in obj["body"]
    park = next(e for e in obj["entities"] if e["kind"] == "park")
    assert (park["name"], park["canonical"]) == ("中關村生命科學園", "中关村生命科学园")
    assert {(7190000, "m2"), (91, "%")} <= _fact_values(obj)
    article = Article.objects.get()
    assert article.language == "zh-hant"
    assert "中关村生命科学园" in article.body_simplified


@pytest.mark.django_db
def test_relative_date_uses_fetched_at(tmp_path):
    page = tmp_path / "p.txt"
    page.write_text(
        "园区快讯\n\n3天前\n\n"
        + "园区新增入驻企业三家,涵盖生物医药和医疗器械领域,发展势头良好。\n"
        + "园区负责人表示,将继续完善配套服务,吸引更多创新企业落户。\n",
        encoding="utf-8",
    )
    [obj], _, _ = run(str(page), "--json", "--dry-run", "--fetched-at", "2025-05-03")
    assert obj["published"] == "2025-04-30"


@pytest.mark.django_db
def test_markup_in_text_dump_never_reaches_the_body(tmp_path):
    page = tmp_path / "x.txt"
    page.write_text(
        "园区快讯标题\n\n2024-01-01\n\n园区新增入驻企业三家<script>alert(1)</script>,"
        "涵盖生物医药和医疗器械领域,发展势头良好<b>。</b>\n"
        "园区负责人表示,将继续完善配套服务,吸引更多创新企业落户。\n",
        encoding="utf-8",
    )
    [obj], _, _ = run(str(page), "--json", "--dry-run")
    assert "<" not in obj["body"] and "alert" not in obj["body"]


@pytest.mark.django_db
def test_status_guard_refuses_a_second_concurrent_run():
    IngestRun.objects.create(status=RunStatus.RUNNING)
    with pytest.raises(IngestBusy):
        article_ingest(refs=[SEED])
    _, err, code = run(SEED)
    assert code == 1 and "another ingest run" in err


def test_bad_fetched_at_is_one_line():
    _, err, code = run(SEED, "--fetched-at", "03/05/2025")
    assert code == 1 and "YYYY-MM-DD" in err


@pytest.mark.django_db
def test_demo_load_is_idempotent():
    from parklink.news import demo

    ParkFactory(name="中关村生命科学园", aliases=["生命园"])
    demo.load(StringIO())
    state = (Article.objects.count(), Mention.objects.count(), Fact.objects.count())
    runs = IngestRun.objects.count()
    demo.load(StringIO())
    assert (Article.objects.count(), Mention.objects.count(), Fact.objects.count()) == state
    assert IngestRun.objects.count() == runs
    article = Article.objects.order_by("id").first()  # the seed stays the first article
    assert article.is_demo and article.source_ref == demo.SEED_REF
    assert article.facts.filter(park__name="中关村生命科学园", kind="occupancy").exists()
    assert Article.objects.count() == 1 + len(demo.demo_files())
    assert all(a.is_demo for a in Article.objects.all())


@pytest.mark.django_db
def test_batched_writes_keep_input_order_and_link_duplicates_across_batches(
    tmp_path, seed_text, monkeypatch
):
    from parklink.news import services

    monkeypatch.setattr(services, "WRITE_BATCH", 2)  # several transactions in one run
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text(seed_text, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(
        "园区新闻\n\n未来科学城新动态\n\n"
        + "2023年,未来科学城引入华润双鹤合成生物研究院等12家机构,规划面积10平方公里。" * 3,
        encoding="utf-8",
    )
    seen: list[str] = []
    report = article_ingest(
        refs=[SEED, str(empty), str(copy), str(other)],
        fetched_at=None,
        on_result=lambda r: seen.append(r.status),
    )
    assert [r.status for r in report.results] == ["ok", "failed", "duplicate", "ok"]
    assert seen == ["ok", "failed", "duplicate", "ok"]
    seed_article = Article.objects.get(source_ref=SEED)
    assert report.results[2].duplicate_of == seed_article.pk
    assert Article.objects.get(source_ref=str(copy)).duplicate_of == seed_article
    # Every stored article has its mentions; the failed input left nothing behind.
    assert Article.objects.count() == 3
    assert Mention.objects.filter(article__source_ref=str(other)).exists()
    assert not Article.objects.filter(source_ref=str(empty)).exists()
