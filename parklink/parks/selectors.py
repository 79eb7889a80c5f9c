"""Reads of the catalogue: park lists and pages, the faceted space search."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import numpy as np
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from parklink.parks import english, facets
from parklink.parks.choices import Deal, SpaceKind
from parklink.parks.filters import ParkFilter, SpaceFilter
from parklink.parks.models import Industry, Park, ParkFact, Space, SpaceChange

PAGE_SIZE = 20

AREA_BUCKETS: tuple[tuple[int | None, int | None, Any], ...] = (
    (None, 200, gettext_lazy("200㎡以下")),
    (200, 500, gettext_lazy("200–500㎡")),
    (500, 1000, gettext_lazy("500–1000㎡")),
    (1000, 3000, gettext_lazy("1000–3000㎡")),
    (3000, 10000, gettext_lazy("3000㎡–1万㎡")),
    (10000, None, gettext_lazy("1万㎡以上")),
)
RENT_BUCKETS: tuple[tuple[Decimal | None, Decimal | None, Any], ...] = (
    (None, Decimal(1), gettext_lazy("1元以下/㎡·天")),
    (Decimal(1), Decimal(2), gettext_lazy("1–2元/㎡·天")),
    (Decimal(2), Decimal(3), gettext_lazy("2–3元/㎡·天")),
    (Decimal(3), Decimal(5), gettext_lazy("3–5元/㎡·天")),
    (Decimal(5), None, gettext_lazy("5元以上/㎡·天")),
)
SALE_BUCKETS: tuple[tuple[Decimal | None, Decimal | None, Any], ...] = (
    (None, Decimal(8000), gettext_lazy("8000元/㎡以下")),
    (Decimal(8000), Decimal(15000), gettext_lazy("8000–15000元/㎡")),
    (Decimal(15000), Decimal(25000), gettext_lazy("1.5–2.5万元/㎡")),
    (Decimal(25000), None, gettext_lazy("2.5万元/㎡以上")),
)
CEILING_STEPS = (Decimal(4), Decimal(6), Decimal(8), Decimal(10))
LOAD_STEPS = (Decimal(500), Decimal(800), Decimal(1000), Decimal(2000))
POWER_STEPS = (Decimal(100), Decimal(500), Decimal(1000), Decimal(2000))


# --- Parks ---------------------------------------------------------------------------------


def park_list(filters: ParkFilter | None = None) -> QuerySet[Park]:
    """Parks with their industries, in list order. The number of each park's spaces in
    public search is set by `with_space_counts` on the rows a page shows."""
    qs = Park.objects.all()
    if filters is not None:
        qs = filters.apply(qs)
    return qs.prefetch_related("industries").order_by("district", "name")


def public_space_counts() -> dict[int, int]:
    """Spaces in public search (``Space.objects.public()``) per park id, counted in the space
    search's columnar index (`parks.facets`) instead of a join of every space: the COUNT
    annotation read all 1,000,000 spaces on each park list and home page (1.2 s on
    SQLite); the index is kept fresh with every committed space write and evaluates the
    stale cutoff at query time, so the figures are the ones SQL gives."""
    index = facets.get_index()
    cutoff = timezone.now() - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])
    parks, counts = np.unique(index.park[index.public(cutoff)], return_counts=True)
    return dict(zip(parks.tolist(), counts.tolist(), strict=True))


def with_space_counts(parks: Any, counts: dict[int, int] | None = None) -> list[Park]:
    """``parks`` (any iterable of Park) as a list, each with ``available_spaces`` set."""
    counts = public_space_counts() if counts is None else counts
    out = list(parks)
    for park in out:
        park.available_spaces = counts.get(park.pk, 0)
    return out


def paged_parks(page: Page) -> Page:
    """A page of `park_list` with its parks' ``available_spaces`` set (in place)."""
    page.object_list = with_space_counts(page.object_list)
    return page


def park_districts() -> list[str]:
    return sorted({d for d in Park.objects.values_list("district", flat=True) if d})


def industry_list() -> QuerySet[Industry]:
    return Industry.objects.filter(parks__isnull=False).distinct().order_by("name")


def park_get(pk: int) -> Park:
    """A park with its industries, facts (with sources) and organisations."""
    return Park.objects.prefetch_related(
        "industries",
        Prefetch("facts", queryset=ParkFact.objects.order_by("kind", "as_of", "pk")),
        "organizations",
    ).get(pk=pk)


def park_public_spaces(park: Park, limit: int = 50) -> QuerySet[Space]:
    return (
        Space.objects.public()
        .filter(park=park)
        .select_related("park", "building")
        .order_by("-updated_at", "-id")[:limit]
    )


# --- Spaces --------------------------------------------------------------------------------


def space_get(pk: int) -> Space:
    return Space.objects.select_related("park", "building").get(pk=pk)


def space_history(space: Space, limit: int = 50) -> QuerySet[SpaceChange]:
    return space.changes.select_related("actor").order_by("-at", "-id")[:limit]


@dataclass(frozen=True)
class FacetValue:
    value: Any
    label: str
    count: int
    selected: bool
    query: str  # the query string that toggles this value


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SpaceSearch:
    filters: SpaceFilter
    page: Page
    total: int
    facets: list[Facet] = field(default_factory=list)


def _parks_by_district() -> tuple[dict[int, tuple[str, str]], dict[str, list[int]]]:
    parks = {
        pk: (name, district)
        for pk, name, district in Park.objects.values_list("pk", "name", "district")
    }
    by_district: dict[str, list[int]] = defaultdict(list)
    for pk, (_name, district) in parks.items():
        by_district[district].append(pk)
    return parks, by_district


def _price_buckets(
    f: SpaceFilter,
) -> tuple[str, tuple[tuple[Decimal | None, Decimal | None, Any], ...]]:
    return (Deal.SALE, SALE_BUCKETS) if f.deal == Deal.SALE else (Deal.RENT, RENT_BUCKETS)


def _range_q(field_name: str, lo: Any, hi: Any) -> Q:
    q = Q()
    if lo is not None:
        q &= Q(**{f"{field_name}__gte": lo})
    if hi is not None:
        q &= Q(**{f"{field_name}__lte": hi})
    return q


def _dimension_counts(f: SpaceFilter, dim: str) -> dict[str, Q]:
    """Conditional counts (alias → condition) for the values of one dimension."""
    if dim == "kind":
        return {f"kind_{i}": Q(kind=v) for i, v in enumerate(SpaceKind.values)}
    if dim == "deal":
        return {f"deal_{i}": Q(deal=v) for i, v in enumerate(Deal.values)}
    if dim == "gmp":
        return {"gmp_1": Q(gmp=True)}
    if dim == "area":
        return {
            f"area_{i}": _range_q("area_m2", lo, hi) for i, (lo, hi, _l) in enumerate(AREA_BUCKETS)
        }
    if dim == "price":
        deal, buckets = _price_buckets(f)
        return {
            f"price_{i}": Q(deal=deal) & _range_q("unit_price", lo, hi)
            for i, (lo, hi, _l) in enumerate(buckets)
        }
    if dim == "ceiling":
        return {f"ceiling_{i}": Q(ceiling_height_m__gte=v) for i, v in enumerate(CEILING_STEPS)}
    if dim == "load":
        return {f"load_{i}": Q(floor_load_kg_m2__gte=v) for i, v in enumerate(LOAD_STEPS)}
    if dim == "power":
        return {f"power_{i}": Q(power_kva__gte=v) for i, v in enumerate(POWER_STEPS)}
    return {}


SIMPLE_DIMENSIONS = ("kind", "deal", "area", "price", "ceiling", "load", "power", "gmp")


def space_search(
    filters: SpaceFilter,
    *,
    page: int | str = 1,
    per_page: int = PAGE_SIZE,
    base: QuerySet[Space] | None = None,
    use_index: bool | None = None,
) -> SpaceSearch:
    """The public space search: one page of results, the total and counts per facet value.

    Facet counts are disjunctive: the counts of a dimension ignore that dimension's own
    selection (choosing 厂房 still shows how many 仓库 there are). Counts and the order of
    the results come from the process's columnar index (`parks.facets`, a few ms for
    100,000 spaces), then one query fetches the page's rows; a text query ``q`` adds one
    query for the ids whose ref, title or park name contain it. ``base`` (default
    ``Space.objects.public()``) other than the default, ``use_index=False`` or
    ``PARKLINK["SPACE_SEARCH_INDEX"] = False`` search in SQL instead, with the same results.
    """
    parks, by_district = _parks_by_district()
    if use_index is None:
        use_index = base is None and settings.PARKLINK.get("SPACE_SEARCH_INDEX", True)
    if use_index and base is None:
        found = _space_search_index(filters, page, per_page, parks, by_district)
        if found is not None:
            return found
    return _space_search_sql(
        filters, page=page, per_page=per_page, base=base, parks=parks, by_district=by_district
    )


def _space_search_index(
    filters: SpaceFilter,
    page: int | str,
    per_page: int,
    parks: dict[int, tuple[str, str]],
    by_district: dict[str, list[int]],
) -> SpaceSearch | None:
    """The search on the columnar index; None when a bound is too precise for it."""
    masks = _index_masks(filters, by_district, None)
    if masks is None:
        return None
    index = facets.get_index()
    masks = _index_masks(filters, by_district, index)
    assert masks is not None
    cutoff = timezone.now() - timedelta(days=settings.PARKLINK["LISTING_STALE_DAYS"])
    base = index.public(cutoff)
    if filters.q:
        text = filters.condition(by_district, exclude=SpaceFilter.DIMENSIONS)
        ids = np.fromiter(Space.objects.filter(text).values_list("pk", flat=True), np.int64)
        base &= np.isin(index.ids, ids)

    def rows_without(*exclude: str) -> np.ndarray:
        mask = base
        for dim, m in masks.items():
            if dim not in exclude:
                mask = mask & m
        return mask

    matching = rows_without()
    counts: dict[str, int] = {"total": int(np.count_nonzero(matching))}
    for dim in SIMPLE_DIMENSIONS:
        rows = rows_without(dim) if dim in masks else matching
        counts.update(_index_counts(filters, dim, index, np.flatnonzero(rows)))

    def park_counts(rows: np.ndarray) -> dict[int, int]:
        pids = index.park[rows]
        if not len(pids) or pids.max() > 10 * len(parks) + 100_000:
            found, n = np.unique(pids, return_counts=True)
        else:
            n = np.bincount(pids)
            found = np.flatnonzero(n)
            n = n[found]
        return dict(zip(found.tolist(), n.tolist(), strict=True))

    per_park = park_counts(rows_without("park"))
    if "district" in masks or "park" in masks:
        per_park_for_district = park_counts(rows_without("park", "district"))
    else:
        per_park_for_district = per_park
    per_district: dict[str, int] = defaultdict(int)
    for pk, n in per_park_for_district.items():
        per_district[parks.get(pk, ("", ""))[1]] += n

    total = counts["total"]
    order = index.order(filters.sort, facets.nulls_first())
    ordered_ids = index.ids[order[matching[order]]]
    result_page = Paginator(_Counted(ordered_ids, total), per_page).get_page(page)
    page_ids = [int(pk) for pk in result_page.object_list] if total else []
    rows = Space.objects.select_related("park", "building").in_bulk(page_ids)
    result_page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    return SpaceSearch(
        filters=filters,
        page=result_page,
        total=total,
        facets=_facets(filters, counts, parks, per_park, per_district),
    )


def _index_masks(
    f: SpaceFilter, by_district: dict[str, list[int]], index: facets.FacetIndex | None
) -> dict[str, np.ndarray] | None:
    """Row masks of the filtered dimensions (None: a bound the index cannot decide exactly,
    or a kind or deal outside the choices, which the index does not tell apart).

    Without an index only the bounds are checked (no arrays are built)."""
    if any(k not in facets.KIND_CODES for k in f.kinds) or (
        f.deal and f.deal not in facets.DEAL_CODES
    ):
        return None
    ranges = {
        "area": (("area", None, facets.AREA_SCALE), f.area_min, f.area_max),
        "price": (("price", "has_price", facets.PRICE_SCALE), f.price_min, f.price_max),
        "ceiling": (("ceiling", "has_ceiling", facets.CEILING_SCALE), f.ceiling_min, None),
        "load": (("load", "has_load", 1), f.load_min, None),
        "power": (("power", "has_power", 1), f.power_min, None),
    }
    bounds: dict[str, tuple[int | None, int | None]] = {}
    for dim, ((_col, _has, scale), lo, hi) in ranges.items():
        lo_i = None if lo is None else facets.bound(lo, scale, lower=True)
        hi_i = None if hi is None else facets.bound(hi, scale, lower=False)
        if (lo is not None and lo_i is None) or (hi is not None and hi_i is None):
            return None
        if lo is not None or hi is not None:
            bounds[dim] = (lo_i, hi_i)
    if index is None:
        return {}
    masks: dict[str, np.ndarray] = {}
    if f.kinds:
        masks["kind"] = np.isin(index.kind, [facets.KIND_CODES[k] for k in f.kinds])
    if f.deal:
        masks["deal"] = index.deal == facets.DEAL_CODES[f.deal]
    if f.districts:
        park_ids = [pk for d in f.districts for pk in by_district.get(d, [])]
        masks["district"] = np.isin(index.park, park_ids)
    if f.parks:
        masks["park"] = np.isin(index.park, list(f.parks))
    for dim, (lo_i, hi_i) in bounds.items():
        (col, has, _scale), _lo, _hi = ranges[dim]
        masks[dim] = _in_range(index, col, has, lo_i, hi_i)
    if f.gmp is not None:
        masks["gmp"] = index.gmp == f.gmp
    return masks


def _in_range(
    index: facets.FacetIndex, col: str, has: str | None, lo: int | None, hi: int | None
) -> np.ndarray:
    values = getattr(index, col)
    mask = np.ones(index.n, dtype=bool) if has is None else getattr(index, has).copy()
    if lo is not None:
        mask &= values >= lo
    if hi is not None:
        mask &= values <= hi
    return mask


def _index_counts(
    f: SpaceFilter, dim: str, index: facets.FacetIndex, rows: np.ndarray
) -> dict[str, int]:
    """The counts `_dimension_counts` defines, over the index rows ``rows``."""

    def scaled(lo: Any, hi: Any, scale: int) -> tuple[int | None, int | None]:
        return (
            None if lo is None else facets.bound(Decimal(lo), scale, lower=True),
            None if hi is None else facets.bound(Decimal(hi), scale, lower=False),
        )

    def within(values: np.ndarray, ok: np.ndarray | None, lo: Any, hi: Any) -> int:
        mask = np.ones(len(values), dtype=bool) if ok is None else ok.copy()
        if lo is not None:
            mask &= values >= lo
        if hi is not None:
            mask &= values <= hi
        return int(np.count_nonzero(mask))

    if dim in ("kind", "deal"):
        codes = getattr(index, dim)[rows].astype(np.int64) + 1  # unknown values are -1
        n = len(SpaceKind.values if dim == "kind" else Deal.values)
        per_code = np.bincount(codes, minlength=n + 1)
        return {f"{dim}_{i}": int(per_code[i + 1]) for i in range(n)}
    if dim == "gmp":
        return {"gmp_1": int(np.count_nonzero(index.gmp[rows]))}
    if dim == "area":
        area = index.area[rows]
        return {
            f"area_{i}": within(area, None, *scaled(lo, hi, facets.AREA_SCALE))
            for i, (lo, hi, _l) in enumerate(AREA_BUCKETS)
        }
    if dim == "price":
        deal, buckets = _price_buckets(f)
        rows = rows[index.deal[rows] == facets.DEAL_CODES[deal]]
        price, ok = index.price[rows], index.has_price[rows]
        return {
            f"price_{i}": within(price, ok, *scaled(lo, hi, facets.PRICE_SCALE))
            for i, (lo, hi, _l) in enumerate(buckets)
        }
    steps = {
        "ceiling": ("ceiling", "has_ceiling", CEILING_STEPS, facets.CEILING_SCALE),
        "load": ("load", "has_load", LOAD_STEPS, 1),
        "power": ("power", "has_power", POWER_STEPS, 1),
    }
    col, has, values, scale = steps[dim]
    column, ok = getattr(index, col)[rows], getattr(index, has)[rows]
    return {
        f"{dim}_{i}": within(column, ok, facets.bound(v, scale, lower=True), None)
        for i, v in enumerate(values)
    }


def _space_search_sql(
    filters: SpaceFilter,
    *,
    page: int | str = 1,
    per_page: int = PAGE_SIZE,
    base: QuerySet[Space] | None = None,
    parks: dict[int, tuple[str, str]],
    by_district: dict[str, list[int]],
) -> SpaceSearch:
    """The search in SQL (for a ``base`` other than the public spaces, and the reference the
    index is tested against). Unselected dimensions are counted in one aggregate over the
    matching rows, selected ones in one more (both read the covering search index only);
    parks and districts come from one GROUP BY (two when a location is selected); the page
    from an id query and a row query."""
    base = Space.objects.public() if base is None else base
    cond = filters.condition
    counts: dict[str, int] = {}

    # Dimensions without a selection: one aggregate over the matching rows.
    full = cond(by_district)
    aggregates: dict[str, Any] = {"total": Count("pk")}
    active = [d for d in SIMPLE_DIMENSIONS if filters.is_active(d)]
    for dim in SIMPLE_DIMENSIONS:
        if dim not in active:
            for key, q in _dimension_counts(filters, dim).items():
                aggregates[key] = Count("pk", filter=q)
    counts.update(base.filter(full).aggregate(**aggregates))
    # Selected dimensions: one more pass over the rows that pass the location/text filters,
    # each count checking every other dimension's filter but not its own.
    if active:
        exprs = {
            key: Count("pk", filter=cond(by_district, exclude=(dim,)) & q)
            for dim in active
            for key, q in _dimension_counts(filters, dim).items()
        }
        counts.update(base.filter(cond(by_district, exclude=SIMPLE_DIMENSIONS)).aggregate(**exprs))

    def park_counts(exclude: tuple[str, ...]) -> dict[int, int]:
        # Grouping on park_id + 0 keeps SQLite on the covering search index (grouping on
        # the bare column makes it walk the park index and visit every row).
        rows = (
            base.filter(cond(by_district, exclude=exclude))
            .order_by()
            .annotate(pid=ExpressionWrapper(F("park_id") + 0, output_field=IntegerField()))
            .values_list("pid")
            .annotate(n=Count("pk"))
        )
        return dict(rows)

    per_park = park_counts(("park",))
    if filters.is_active("district") or filters.is_active("park"):
        per_park_for_district = park_counts(("park", "district"))
    else:
        per_park_for_district = per_park
    per_district: dict[str, int] = defaultdict(int)
    for pk, n in per_park_for_district.items():
        per_district[parks.get(pk, ("", ""))[1]] += n

    total = counts["total"]
    # Ids first (the covering index alone, bounded sort), then the rows of one page.
    ids = filters.apply(base, by_district).values_list("pk", flat=True)
    result_page = Paginator(_Counted(ids, total), per_page).get_page(page)
    page_ids = list(result_page.object_list) if total else []
    rows = Space.objects.select_related("park", "building").in_bulk(page_ids)
    result_page.object_list = [rows[pk] for pk in page_ids if pk in rows]
    return SpaceSearch(
        filters=filters,
        page=result_page,
        total=total,
        facets=_facets(filters, counts, parks, per_park, per_district),
    )


class _Counted:
    """A QuerySet whose count is already known (the facet aggregate gave it)."""

    def __init__(self, qs: QuerySet[Space], total: int) -> None:
        self.qs = qs
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: Any) -> Any:
        return self.qs[key]


def _facets(
    f: SpaceFilter,
    counts: dict[str, int],
    parks: dict[int, tuple[str, str]],
    per_park: dict[int, int],
    per_district: dict[str, int],
) -> list[Facet]:
    toggle_district = toggler(f, "districts", "district")
    toggle_park = toggler(f, "parks", "park")
    en = (get_language() or "").startswith("en")
    english_names = (
        dict(Park.objects.filter(pk__in=list(per_park)).values_list("pk", "english_name"))
        if en
        else {}
    )

    def park_label(pk: int) -> str:
        name = parks[pk][0]
        return (english_names.get(pk) or english.english_name(name)) if en else name

    def district_label(d: str) -> str:
        return english.district_en(d) if en else d

    facets = [
        Facet(
            "kind",
            _("类型"),
            [
                FacetValue(
                    v, str(label), counts.get(f"kind_{i}", 0), v in f.kinds, f.toggle("kinds", v)
                )
                for i, (v, label) in enumerate(SpaceKind.choices)
            ],
        ),
        Facet(
            "deal",
            _("租售"),
            [
                FacetValue(
                    v,
                    str(label),
                    counts.get(f"deal_{i}", 0),
                    f.deal == v,
                    f.query(deal="" if f.deal == v else v, price_min=None, price_max=None),
                )
                for i, (v, label) in enumerate(Deal.choices)
            ],
        ),
        Facet(
            "district",
            _("区域"),
            [
                FacetValue(d, district_label(d), n, d in f.districts, toggle_district(d))
                for d, n in sorted(per_district.items(), key=lambda x: (-x[1], x[0]))
                if d
            ],
        ),
        Facet(
            "park",
            _("园区"),
            [
                FacetValue(pk, park_label(pk), n, pk in f.parks, toggle_park(pk))
                for pk, n in sorted(
                    per_park.items(), key=lambda x: (-x[1], parks.get(x[0], ("",))[0])
                )
                if pk in parks
            ],
        ),
        _range_facet(f, counts, "area", _("面积"), AREA_BUCKETS, "area_min", "area_max"),
        _range_facet(f, counts, "price", _("单价"), _price_buckets(f)[1], "price_min", "price_max"),
        _step_facet(f, counts, "ceiling", _("层高"), CEILING_STEPS, "ceiling_min", _("米以上")),
        _step_facet(f, counts, "load", _("承重"), LOAD_STEPS, "load_min", _("公斤/㎡以上")),
        _step_facet(f, counts, "power", _("配电"), POWER_STEPS, "power_min", _("kVA以上")),
        Facet(
            "gmp",
            "GMP",
            [
                FacetValue(
                    True,
                    _("GMP 厂房/车间"),
                    counts.get("gmp_1", 0),
                    f.gmp is True,
                    f.query(gmp=None if f.gmp else True),
                )
            ],
        ),
    ]
    return facets


def toggler(f: SpaceFilter, name: str, key: str) -> Callable[[Any], str]:
    """``lambda v: f.toggle(name, v)`` for the many values of a facet (hundreds of parks):
    the parameters around ``key`` are encoded once, so the same string costs a fraction."""
    marker = "\x00"
    marked = replace(f, **{name: (marker,)}).params()
    at = marked.index((key, marker))
    current = getattr(f, name)
    before = urlencode(marked[:at])
    after = urlencode(marked[at + 1 :])
    encoded = {v: urlencode([(key, str(v))]) for v in current}

    def toggle(value: Any) -> str:
        if value in current:
            middle = [encoded[v] for v in current if v != value]
        else:
            middle = [*(encoded[v] for v in current), urlencode([(key, str(value))])]
        return "&".join(part for part in (before, *middle, after) if part)

    return toggle


def _range_facet(f, counts, name, label, buckets, lo_name, hi_name) -> Facet:
    values = []
    for i, (lo, hi, text) in enumerate(buckets):
        lo_d = None if lo is None else Decimal(lo)
        hi_d = None if hi is None else Decimal(hi)
        selected = getattr(f, lo_name) == lo_d and getattr(f, hi_name) == hi_d
        query = (
            f.query(**{lo_name: None, hi_name: None})
            if selected
            else f.query(**{lo_name: lo_d, hi_name: hi_d})
        )
        values.append(
            FacetValue((lo, hi), str(text), counts.get(f"{name}_{i}", 0), selected, query)
        )
    return Facet(name, label, values)


def _step_facet(f, counts, name, label, steps, attr, suffix) -> Facet:
    values = []
    for i, step in enumerate(steps):
        selected = getattr(f, attr) == step
        query = f.query(**{attr: None if selected else step})
        values.append(
            FacetValue(
                step,
                f"{format(step.normalize(), 'f')}{suffix}",
                counts.get(f"{name}_{i}", 0),
                selected,
                query,
            )
        )
    return Facet(name, label, values)


def space_office_list(filters: SpaceFilter, *, stale: bool | None = None) -> QuerySet[Space]:
    """Every listing for operators (stale and unavailable ones too)."""
    qs = Space.objects.select_related("park", "building")
    if stale is True:
        qs = qs.stale()
    elif stale is False:
        qs = qs.fresh()
    _parks, by_district = _parks_by_district()
    return filters.apply(qs, by_district)
