"""The columnar index of the space search: same results as SQL, fresh after every change."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from parklink.parks import facets, services
from parklink.parks.filters import SpaceFilter
from parklink.parks.models import Space
from parklink.parks.selectors import space_search
from tests.factories.parks import ParkFactory, SpaceFactory


def _summary(result) -> tuple:
    return (
        result.total,
        result.page.number,
        result.page.paginator.num_pages,
        [s.pk for s in result.page.object_list],
        [
            (f.name, [(v.label, v.count, v.selected, v.query) for v in f.values])
            for f in result.facets
        ],
    )


def _same_as_sql(params: dict, page: int | str = 1, per_page: int = 5) -> tuple:
    f = SpaceFilter.from_params(params)
    by_index = _summary(space_search(f, page=page, per_page=per_page, use_index=True))
    by_sql = _summary(space_search(f, page=page, per_page=per_page, use_index=False))
    assert by_index == by_sql, params
    return by_index


@pytest.fixture
def catalogue(db):
    """A varied catalogue with bucket-edge values, missing specs and prices, stale,
    leased and sold listings."""
    rng = random.Random(3)
    parks = [
        ParkFactory(name="生命园", district="昌平区"),
        ParkFactory(name="亦庄园", district="大兴区"),
        ParkFactory(name="软件园", district="海淀区"),
        ParkFactory(name="无区园", district=""),
    ]
    stale = timezone.now() - timedelta(days=400)
    for i in range(60):
        sale = rng.random() < 0.3
        space = SpaceFactory(
            ref=f"T{i:03d}",
            park=rng.choice(parks),
            title="洁净车间" if i % 7 == 0 else "",
            kind=rng.choice(["厂房", "土地", "研发楼", "写字楼", "实验室", "仓库"]),
            deal="出售" if sale else "出租",
            status=rng.choice(["可售", "可售", "已售"] if sale else ["可租", "可租", "已租"]),
            price_unit="元/平方米" if sale else "元/平方米/天",
            price=(
                None
                if i % 9 == 0
                else Decimal(rng.choice([8000, 15000, 15000.5, 25000, 40000]))
                if sale
                else Decimal(rng.choice(["0.8", "1", "2", "2.35", "3", "5", "7.5"]))
            ),
            area_m2=Decimal(
                rng.choice(["150", "200", "200.01", "500", "1000", "2999.99", "12000"])
            ),
            ceiling_height_m=None if i % 5 == 0 else Decimal(rng.choice(["4", "5.5", "8", "10.2"])),
            floor_load_kg_m2=None if i % 6 == 0 else rng.choice([300, 500, 800, 1000, 2000]),
            power_kva=None if i % 4 == 0 else rng.choice([50, 100, 500, 1000, 3000]),
            gmp=rng.random() < 0.3,
        )
        if i % 8 == 0:
            Space.objects.filter(pk=space.pk).update(confirmed_at=stale)
    return parks


PARAMS = [
    {},
    {"kind": "厂房"},
    {"kind": ["厂房", "实验室"], "district": "昌平区"},
    {"deal": "出租", "price_min": "1", "price_max": "3"},
    {"deal": "出售", "price_min": "15000"},
    {"price_min": "2.35", "price_max": "2.35"},
    {"area_min": "200", "area_max": "3000", "sort": "-area"},
    {"area_min": "200.005", "area_max": "2999.995"},
    {"ceiling_min": "8", "load_min": "1000", "power_min": "500"},
    {"gmp": "1", "kind": ["实验室", "厂房"]},
    {"gmp": "0", "sort": "price"},
    {"sort": "-price"},
    {"district": ["大兴区", "海淀区"], "sort": "area"},
    {"q": "生命"},
    {"q": "洁净", "deal": "出租", "sort": "-price"},
    {"kind": "厂房", "deal": "出租", "district": "昌平区", "area_min": "100", "gmp": "1"},
    {"area_max": "1E+30", "price_min": "1E-30"},
]


@pytest.mark.parametrize("params", PARAMS)
def test_index_gives_the_sql_results(catalogue, params):
    _same_as_sql(params)
    _same_as_sql(params, page=2)


def test_index_gives_the_sql_results_for_parks_and_pages(catalogue):
    for park in catalogue:
        _same_as_sql({"park": str(park.pk), "sort": "price"})
        _same_as_sql({"park": str(park.pk), "district": "昌平区"})
    for page in (3, 99, "x"):
        _same_as_sql({"sort": "-area"}, page=page)


def test_random_filters_give_the_sql_results(catalogue):
    rng = random.Random(11)
    options = {
        "kind": ["厂房", "实验室", "仓库", "土地"],
        "deal": ["出租", "出售"],
        "district": ["昌平区", "大兴区", "海淀区", "西城区"],
        "area_min": ["150", "200", "999.99", "5000"],
        "area_max": ["200", "1000", "3000"],
        "price_min": ["1", "2", "8000"],
        "price_max": ["3", "5", "25000"],
        "ceiling_min": ["4", "6", "10"],
        "load_min": ["500", "1000"],
        "power_min": ["100", "1000"],
        "gmp": ["1", "0"],
        "sort": ["updated", "area", "-area", "price", "-price"],
    }
    for _ in range(25):
        params = {k: rng.choice(v) for k, v in options.items() if rng.random() < 0.3}
        _same_as_sql(params, page=rng.choice([1, 2]))


def test_values_outside_the_choices_match_sql(catalogue):
    Space.objects.filter(ref__in=["T001", "T002"]).update(kind="其他")
    _same_as_sql({})
    _same_as_sql({"kind": "厂房"})
    for f in (SpaceFilter(kinds=("其他",)), SpaceFilter(deal="租售")):  # not from_params
        assert _summary(space_search(f)) == _summary(space_search(f, use_index=False))


def test_too_precise_bounds_fall_back_to_sql(catalogue):
    assert facets.bound(Decimal("2.35"), facets.PRICE_SCALE, lower=True) == 23500
    assert facets.bound(Decimal("200.005"), facets.AREA_SCALE, lower=True) == 20001
    assert facets.bound(Decimal("200.005"), facets.AREA_SCALE, lower=False) == 20000
    assert facets.bound(Decimal("2.0000000000000001"), facets.PRICE_SCALE, lower=True) is None
    _same_as_sql({"price_min": "2.0000000000000001"})


# --- freshness -----------------------------------------------------------------------------


@pytest.fixture
def kept_index(settings):
    """The index kept between searches, as in production (tests rebuild it on every use)."""
    settings.PARKLINK = {**settings.PARKLINK, "SPACE_SEARCH_REBUILD_SECONDS": 3600}
    facets.invalidate()
    yield
    facets.invalidate()


def test_search_on_a_kept_index_uses_three_queries(
    kept_index, catalogue, django_assert_max_num_queries
):
    Space.objects.update(updated_at=timezone.now() - timedelta(hours=1))  # nothing recent
    space_search(SpaceFilter.from_params({}))  # builds the index
    # parks, the freshness check, the page's rows
    with django_assert_max_num_queries(3):
        result = space_search(SpaceFilter.from_params({"kind": "厂房", "district": "昌平区"}))
    assert result.total > 0
    with django_assert_max_num_queries(4):  # + the ids matching the text
        result = space_search(SpaceFilter.from_params({"q": "洁净"}))
    assert result.total > 0


def _refs(params: dict | None = None) -> set[str]:
    result = space_search(SpaceFilter.from_params(params or {}), per_page=100)
    return {s.ref for s in result.page.object_list}


def _count(params: dict, facet: str, label: str) -> int:
    result = space_search(SpaceFilter.from_params(params))
    values = next(f for f in result.facets if f.name == facet).values
    return next(v.count for v in values if v.label == label)


@pytest.fixture
def two(db):
    park = ParkFactory(name="生命园", district="昌平区")
    return (
        SpaceFactory(ref="X1", park=park, kind="厂房", area_m2=Decimal(500)),
        SpaceFactory(ref="X2", park=park, kind="仓库", area_m2=Decimal(800)),
    )


def test_change_through_services_is_seen_via_the_signal(
    kept_index, two, django_capture_on_commit_callbacks
):
    assert _refs({"kind": "厂房"}) == {"X1"}
    index = facets.get_index()
    x2 = Space.objects.get(ref="X2")
    with django_capture_on_commit_callbacks(execute=True):
        services.space_update(space=x2, data={"kind": "厂房"}, actor=None)
    # The receiver queued X2 for re-reading, even if its updated_at looked old.
    Space.objects.filter(pk=x2.pk).update(updated_at=timezone.now() - timedelta(days=1))
    assert x2.pk in facets._pending
    assert _refs({"kind": "厂房"}) == {"X1", "X2"}
    assert _count({}, "kind", "仓库") == 0
    assert facets.get_index() is not index  # a new snapshot
    assert not facets._pending


def test_write_from_another_process_is_seen_via_updated_at(kept_index, two):
    assert _count({}, "kind", "厂房") == 1
    # No signal in this process: only the row's updated_at tells.
    Space.objects.filter(ref="X2").update(kind="厂房", updated_at=timezone.now())
    assert _count({}, "kind", "厂房") == 2
    assert _refs({"area_min": "600", "kind": "厂房"}) == {"X2"}


def test_listing_going_stale_leaves_search_without_a_write(kept_index, two, settings):
    Space.objects.filter(ref="X2").update(confirmed_at=timezone.now() - timedelta(days=10))
    facets.invalidate()
    assert _refs() == {"X1", "X2"}
    index = facets.get_index()
    # Ten days later than the cutoff allows: same index, X2 is no longer public.
    settings.PARKLINK = {**settings.PARKLINK, "LISTING_STALE_DAYS": 5}
    assert _refs() == {"X1"}
    assert _count({}, "kind", "仓库") == 0
    assert facets.get_index() is index


def test_reconfirmed_listing_comes_back_and_leased_one_leaves(
    kept_index, two, django_capture_on_commit_callbacks
):
    x1, x2 = Space.objects.get(ref="X1"), Space.objects.get(ref="X2")
    Space.objects.filter(pk=x2.pk).update(confirmed_at=timezone.now() - timedelta(days=400))
    facets.invalidate()
    assert _refs() == {"X1"}
    with django_capture_on_commit_callbacks(execute=True):
        services.space_reconfirm(space=x2, actor=None)
        services.space_status_change(space=x1, status="已租", actor=None)
    assert _refs() == {"X2"}
    assert _count({}, "kind", "厂房") == 0


def test_new_and_deleted_spaces(kept_index, two):
    assert _refs() == {"X1", "X2"}
    SpaceFactory(ref="X3", park=two[0].park, kind="实验室")
    assert _refs() == {"X1", "X2", "X3"}
    Space.objects.filter(ref="X1").delete()  # no signal, no updated_at: the count tells
    assert _refs() == {"X2", "X3"}
    assert _count({}, "kind", "厂房") == 0


def test_park_moved_to_another_district_is_seen(kept_index, two):
    assert _count({}, "district", "昌平区") == 2
    two[0].park.__class__.objects.filter(pk=two[0].park_id).update(district="大兴区")
    assert _refs({"district": "大兴区"}) == {"X1", "X2"}
    assert _count({}, "district", "大兴区") == 2


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"park": ["3", "1"], "kind": "厂房", "area_min": "10", "sort": "price"},
        {"q": "a b&c", "district": ["昌平区"], "gmp": "1"},
        {"park": "7"},
        {"park": ["1", "01"], "district": ["昌平", "昌平区"]},
    ],
)
def test_toggler_gives_the_filters_own_links(params):
    from parklink.parks.selectors import toggler

    f = SpaceFilter.from_params(params)
    for name, key, values in (
        ("parks", "park", [1, 3, 7, 12]),
        ("districts", "district", ["昌平区", "大兴区"]),
    ):
        toggle = toggler(f, name, key)
        assert [toggle(v) for v in values] == [f.toggle(name, v) for v in values]


def _sql_public_counts() -> dict[int, int]:
    from django.db.models import Count

    return dict(
        Space.objects.public()
        .values_list("park")
        .annotate(n=Count("id"))
        .values_list("park", "n")
        .order_by()
    )


def test_park_space_counts_from_the_index_are_sqls(catalogue):
    from parklink.parks.selectors import park_list, public_space_counts, with_space_counts

    counts = public_space_counts()
    assert counts == _sql_public_counts()
    assert sum(counts.values()) == Space.objects.public().count() > 0
    parks = with_space_counts(park_list())
    assert {p.pk: p.available_spaces for p in parks} == {
        p.pk: counts.get(p.pk, 0) for p in catalogue
    }


def test_park_space_counts_follow_writes_and_the_stale_cutoff(kept_index, two, settings):
    from parklink.parks.selectors import public_space_counts

    park = two[0].park
    assert public_space_counts() == {park.pk: 2}
    Space.objects.filter(ref="X2").update(status="已租", updated_at=timezone.now())
    assert public_space_counts() == {park.pk: 1} == _sql_public_counts()
    Space.objects.filter(ref="X1").update(confirmed_at=timezone.now() - timedelta(days=10))
    facets.invalidate()  # a raw write without updated_at (the services stamp it)
    assert public_space_counts() == {park.pk: 1}
    index = facets.get_index()
    # Later than the cutoff allows: the same index, X1 no longer counted.
    settings.PARKLINK = {**settings.PARKLINK, "LISTING_STALE_DAYS": 5}
    assert public_space_counts() == {} == _sql_public_counts()
    assert facets.get_index() is index
