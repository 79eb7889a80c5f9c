"""Generated demo spaces: plausible, flagged, deterministic, idempotent."""

from __future__ import annotations

import pytest

from parklink.parks.demo import demo_spaces_load
from parklink.parks.models import Park, Space


@pytest.fixture
def demo(db, demo_data):
    pass


def test_demo_generates_a_few_hundred_flagged_spaces(demo):
    spaces = Space.objects.select_related("park")
    assert 200 <= spaces.count() <= 500
    assert not spaces.filter(is_demo=False).exists()
    assert Park.objects.filter(spaces__isnull=False).distinct().count() == Park.objects.count()
    for s in spaces:
        s.full_clean()  # every generated listing satisfies the model's invariants
    assert set(spaces.values_list("kind", flat=True)) >= {"厂房", "实验室", "写字楼", "研发楼"}


def test_demo_kinds_follow_park_industries(demo):
    life = Park.objects.get(name="中关村生命科学园")
    kinds = set(life.spaces.values_list("kind", flat=True))
    assert "实验室" in kinds
    assert life.spaces.filter(gmp=True).exists()


def test_demo_spaces_twice_change_nothing(demo):
    stamps = dict(Space.objects.values_list("ref", "updated_at"))
    counts = demo_spaces_load()
    assert counts["created"] == counts["updated"] == 0
    assert dict(Space.objects.values_list("ref", "updated_at")) == stamps
