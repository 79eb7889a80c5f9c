"""Matching over the database: the index, leased spaces, freshness, lead matches."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parklink.matching import index as match_index
from parklink.matching import selectors
from parklink.parks import services as park_services
from parklink.parks.models import Space
from tests.factories.leads import LeadFactory

pytestmark = pytest.mark.django_db


def refs(result) -> list[str]:
    return [m.ref for m in result.results]


def test_lead_sentence_ranks_fitting_space_first_with_reasons(ivd_lead):
    result = selectors.lead_matches(ivd_lead)
    assert refs(result) == ["DX-1650", "DX-3000"]
    best = result.results[0]
    texts = [r.text for r in best.reasons]
    assert "面积 1,650㎡,在需求 1,200–1,950㎡ 内" in texts
    assert "租金 2.8 元/㎡/天,在预算 3 元/㎡/天 内" in texts
    assert best.score > result.results[1].score


def test_leased_and_sold_spaces_never_appear(catalogue):
    req = selectors.requirement_from_text("大兴1500平厂房")
    result = selectors.match_requirement(req, top=50)
    assert "DX-LEASED" not in refs(result)
    assert "DX-1650" in refs(result)


def test_index_follows_status_and_price_changes(
    catalogue, settings, agent, django_capture_on_commit_callbacks
):
    settings.PARKLINK = {**settings.PARKLINK, "MATCHING_REBUILD_SECONDS": 3600}
    req = selectors.requirement_from_text("大兴租1500平厂房,每天不超过3块")
    assert refs(selectors.match_requirement(req))[0] == "DX-1650"
    built = match_index.get_index()
    fit = catalogue["spaces"]["fit"]
    with django_capture_on_commit_callbacks(execute=True):
        park_services.space_update(space=fit, data={"status": "已租"}, actor=agent)
    assert match_index.get_index() is built  # refreshed in place, not rebuilt
    assert "DX-1650" not in refs(selectors.match_requirement(req))
    pricey = catalogue["spaces"]["pricey"]
    with django_capture_on_commit_callbacks(execute=True):
        park_services.space_update(
            space=pricey, data={"price": Decimal("2.0"), "area_m2": Decimal("1600")}, actor=agent
        )
    assert refs(selectors.match_requirement(req))[0] == "DX-3000"


def test_changes_from_other_processes_are_seen_through_updated_at(catalogue, settings):
    settings.PARKLINK = {**settings.PARKLINK, "MATCHING_REBUILD_SECONDS": 3600}
    req = selectors.requirement_from_text("通州的仓库")
    assert refs(selectors.match_requirement(req)) == ["TZ-W"]
    w = catalogue["spaces"]["warehouse"]
    w.status = "下架"
    w.save()  # no signal: as if another process wrote it
    assert refs(selectors.match_requirement(req)) == []


def test_park_alias_in_text(catalogue):
    req = selectors.requirement_from_text("生命园里找个1500平的厂房")
    assert req.parks == ("中关村生命科学园",)
    assert refs(selectors.match_requirement(req)) == ["ZGC-1500"]


def test_parks_ranked_for_requirement(catalogue):
    req = selectors.requirement_from_text("生物药生产,2000平")
    result = selectors.match_requirement(req, with_parks=True)
    assert [p.park for p in result.parks][:2] == ["北京生物医药产业基地", "中关村生命科学园"]
    assert result.parks[-1].park == "通州物流园"


def test_reverse_matching_lists_open_leads_that_fit(ivd_lead, agent):
    LeadFactory(need="通州的仓库5000平", owner=agent)  # does not fit
    LeadFactory(need=ivd_lead.need, stage="已流失", lost_reason="价格")  # closed
    space = Space.objects.get(ref="DX-1650")
    found = selectors.space_leads(space.pk)
    assert [lead.pk for lead, _ in found] == [ivd_lead.pk]
    assert found[0][1].score > 70


def test_requirement_with_nothing_usable_reports_missing(db):
    result = selectors.match_requirement(selectors.requirement_from_text("你好"))
    assert result.results == [] and result.missing


def test_change_feed_entry_points_apply_and_remove_in_place(catalogue, settings):
    """apply_changes(ids) / remove(ids): what a change feed calls for another server's writes
    (here a queryset update, which sends no signal and leaves updated_at alone)."""
    settings.PARKLINK = {**settings.PARKLINK, "MATCHING_REBUILD_SECONDS": 3600}
    req = selectors.requirement_from_text("通州的仓库")
    assert refs(selectors.match_requirement(req)) == ["TZ-W"]
    built = match_index.get_index()
    w = catalogue["spaces"]["warehouse"]
    Space.objects.filter(pk=w.pk).update(status="下架")
    assert refs(selectors.match_requirement(req)) == ["TZ-W"]  # nothing told the index yet
    match_index.apply_changes([w.pk])
    assert refs(selectors.match_requirement(req)) == []
    Space.objects.filter(pk=w.pk).update(status="可租")
    match_index.apply_changes([w.pk])
    assert refs(selectors.match_requirement(req)) == ["TZ-W"]
    match_index.remove([w.pk])
    assert refs(selectors.match_requirement(req)) == []
    assert match_index.get_index() is built  # all in place, never rebuilt
