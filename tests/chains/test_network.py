"""The innovation network: the pure engine (table-driven) and `parklink network` / the API on
the demo data set (the demo news names the demo parks' organisations)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from parklink.chains.network import ArticleMentions, Mentioned, Node, park_network, relation_of


@pytest.mark.parametrize(
    ("sentence", "relation"),
    [
        ("甲公司入驻乙园区", "入驻"),
        ("甲公司落户乙园区孵化器", "入驻"),
        ("乙孵化器孵化了甲公司", "孵化"),
        ("甲基金领投乙公司A轮", "投资"),
        ("甲大学与乙公司签署战略协议", "合作"),
        ("甲大学和乙公司的代表参加了论坛", None),
    ],
)
def test_relation_from_the_sentence(sentence, relation):
    assert relation_of(sentence) == relation


def _art(pk, body, *names):
    mentions = []
    for key in names:
        start = body.index(NAMES[key])
        mentions.append(Mentioned(key, start, start + len(NAMES[key])))
    return ArticleMentions(pk, f"标题{pk}", body, tuple(mentions))


NAMES = {"park:1": "示范园", "org:1": "甲公司", "org:2": "乙研究所", "org:3": "丙公司"}
NODES = {k: Node(k, v, "park" if k.startswith("park") else "org") for k, v in NAMES.items()}


def test_weights_count_articles_and_sentences_and_keep_the_relation():
    articles = [
        _art(1, "甲公司入驻示范园。乙研究所也在示范园。", "org:1", "park:1", "org:2"),
        _art(2, "甲公司与乙研究所签署合作协议。", "org:1", "org:2"),
        _art(3, "丙公司发布新品。", "org:3"),
    ]
    net = park_network(park=NODES["park:1"], nodes=NODES, articles=articles).as_dict()
    assert net["park"] == "示范园"
    assert {n["id"] for n in net["nodes"]} == {"park:1", "org:1", "org:2"}  # 丙 is unrelated
    edges = {frozenset((e["source"], e["target"])): e for e in net["edges"]}
    assert net["edges"][0]["source"] == "park:1" or net["edges"][0]["target"] != "park:1"
    entry = edges[frozenset(("park:1", "org:1"))]
    assert (entry["weight"], entry["relation"]) == (1.5, "入驻")  # 1 article + 1 sentence
    pair = edges[frozenset(("org:1", "org:2"))]
    assert pair["weight"] == 2.5 and pair["relation"] == "合作"  # 2 articles + 1 sentence
    assert [a["id"] for a in pair["articles"]] == [2, 1]
    assert edges[frozenset(("park:1", "org:2"))]["relation"] is None  # co-mention, no relation said


@pytest.fixture
def demo(db, demo_data):
    pass


def _network(*args: str) -> dict:
    out = io.StringIO()
    call_command("network", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_network_command_json_contract_on_the_demo(demo):
    data = _network("生命园")
    assert set(data) == {"park", "nodes", "edges"} and data["park"] == "中关村生命科学园"
    for n in data["nodes"]:
        assert set(n) == {"id", "name", "kind"} and n["kind"] in {"park", "org", "institute"}
    ids = {n["id"] for n in data["nodes"]}
    for e in data["edges"]:
        assert set(e) == {"source", "target", "weight", "relation", "articles"}
        assert e["source"] in ids and e["target"] in ids and e["weight"] > 0 and e["articles"]
        assert e["relation"] in {None, "入驻", "合作", "投资", "孵化"}
    names = {n["name"] for n in data["nodes"]}
    assert {"百济神州", "北京生命科学研究所", "万泰生物"} <= names
    relations = {e["relation"] for e in data["edges"]}
    assert "合作" in relations


@pytest.mark.django_db
def test_network_api_and_unknown_park(demo, client):
    from parklink.parks.models import Park

    park = Park.objects.get(name="中关村生命科学园")
    body = client.get(f"/api/v1/parks/{park.pk}/network").json()
    assert body == _network("中关村生命科学园")
    assert client.get("/api/v1/parks/999999/network").status_code == 404
    with pytest.raises(CommandError, match="park not found"):
        call_command("network", "没有这个园区", stdout=io.StringIO())


@pytest.mark.django_db
def test_demo_seed_stays_first_and_demo_articles_are_marked(demo):
    from parklink.news.models import Article

    first = Article.objects.order_by("id").first()
    assert first.source_ref.endswith("zgc-life-science-park-20-years.txt")
    demo_set = Article.objects.filter(source_ref__contains="/data/demo/")
    assert demo_set.count() >= 5
    assert all(a.is_demo and a.title.startswith("【演示】") and "虚构" in a.body for a in demo_set)


@pytest.mark.django_db
def test_network_api_query_count_does_not_grow_with_the_news(client, django_assert_max_num_queries):
    from parklink.news.choices import EntityKind, ReviewStatus
    from tests.factories.news import ArticleFactory, mention_for
    from tests.factories.orgs import OrganizationFactory
    from tests.factories.parks import ParkFactory

    park = ParkFactory(name="示范园")
    for i in range(12):
        org = OrganizationFactory(name=f"示范企业{i}有限公司", park=park if i % 2 else None)
        art = ArticleFactory(title=f"资讯{i}", body=f"{org.name}入驻示范园。")
        mention_for(art, org.name, org=org, status=ReviewStatus.LINKED)
        mention_for(art, "示范园", kind=EntityKind.PARK, park=park, status=ReviewStatus.LINKED)
    with django_assert_max_num_queries(7):  # the park, then six for the network
        body = client.get(f"/api/v1/parks/{park.pk}/network").json()
    assert len(body["nodes"]) == 13 and {e["relation"] for e in body["edges"]} == {"入驻"}
