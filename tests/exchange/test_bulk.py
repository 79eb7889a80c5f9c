"""`core.bulk`: the import's inserts and row checks give what `bulk_create` and
`full_clean` give, faster."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from parklink.core.bulk import bulk_insert, clean_new
from parklink.core.models import AuditEntry
from parklink.leads.models import Inquiry, Lead
from parklink.parks.models import Space, SpaceChange

pytestmark = pytest.mark.django_db


def _spaces(park, prefix: str) -> list[Space]:
    return [
        Space(
            ref=f"{prefix}{i}",
            park=park,
            kind="厂房",
            deal="出租",
            area_m2=Decimal("1234.5") + i,
            price=Decimal("1.35") if i % 2 else None,
            price_unit="元/平方米/天" if i % 2 else "",
            gmp=bool(i % 2),
            available_from=date(2027, 1, 1 + i),
            photos=["https://example.com/a.jpg"] if i % 3 == 0 else [],
            description=f"描述{i}",
        )
        for i in range(7)
    ]


def _row(obj) -> dict:
    fresh = type(obj).objects.get(pk=obj.pk)
    data = model_to_dict(fresh)
    for name in ("id", "ref", "created_at", "updated_at", "confirmed_at"):
        data.pop(name, None)
    return data


def test_bulk_insert_writes_what_bulk_create_writes(park):
    fast = bulk_insert(_spaces(park, "F"))
    slow = Space.objects.bulk_create(_spaces(park, "S"))
    assert all(s.pk and not s._state.adding for s in fast)
    assert [_row(a) for a in fast] == [_row(b) for b in slow]
    assert Space.objects.filter(ref__startswith="F").count() == 7


def test_bulk_insert_keys_follow_the_rows(park):
    spaces = bulk_insert(_spaces(park, "K"))
    for s in spaces:
        assert Space.objects.get(pk=s.pk).ref == s.ref
    history = bulk_insert([SpaceChange(space_id=s.pk, field="area_m2", new="1") for s in spaces])
    assert {h.space_id for h in history} == {s.pk for s in spaces}
    assert all(SpaceChange.objects.get(pk=h.pk).at is not None for h in history)  # auto_now_add


def test_bulk_insert_json_and_related_objects(park):
    lead = Lead(ref="LB1", contact="王", mobile="13900000001", channel="导入")
    lead.consent_basis = "业务往来"
    lead.districts, lead.requires = ["昌平区"], {"gmp": True}
    lead.last_inquiry_at = park.created_at
    lead = bulk_insert([lead])[0]
    inquiry = bulk_insert([Inquiry(lead=lead, channel="导入", data={"a": [1, "二"]})])[0]
    audit = bulk_insert([AuditEntry(action="x", detail={"n": 1})])[0]
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.districts == ["昌平区"] and lead.requires == {"gmp": True}
    assert Inquiry.objects.get(pk=inquiry.pk).data == {"a": [1, "二"]}
    assert Inquiry.objects.get(pk=inquiry.pk).lead_id == lead.pk
    assert AuditEntry.objects.get(pk=audit.pk).detail == {"n": 1}


def test_bulk_insert_of_nothing():
    assert bulk_insert([]) == []


def _errors(fn) -> dict | None:
    try:
        fn()
    except ValidationError as exc:
        return exc.message_dict
    return None


@pytest.mark.parametrize(
    "data",
    [
        {"ref": "C1", "kind": "厂房", "deal": "出租", "area_m2": Decimal(500)},
        {"ref": "C2", "kind": "别墅", "deal": "出租", "area_m2": Decimal(500)},
        {"ref": "C3", "kind": "厂房", "deal": "出租", "area_m2": Decimal(500), "price": 1},
        {"ref": "C4", "kind": "厂房", "deal": "出售", "area_m2": Decimal(5), "status": "可租"},
        {"ref": "C5" * 40, "kind": "厂房", "deal": "出租", "area_m2": Decimal(500)},
        {"ref": "C6", "kind": "厂房", "deal": "出租", "area_m2": Decimal(5),
         "photos": ["javascript:alert(1)"]},
        {"ref": "C7", "kind": "厂房", "deal": "出租"},
    ],
)  # fmt: skip
def test_clean_new_reports_what_full_clean_reports(park, data):
    def full():
        Space(park=park, **data).full_clean(validate_unique=False, validate_constraints=False)

    def new():
        clean_new(Space(park=park, **data), data)

    assert _errors(new) == _errors(full)


def test_bulk_insert_stores_the_same_cells_as_bulk_create(park):
    """Column by column, as stored (booleans, empty and filled JSON, NULLs, decimals)."""

    fast = bulk_insert(_spaces(park, "C"))
    slow = Space.objects.bulk_create(_spaces(park, "D"))
    skip = {"id", "ref", "created_at", "updated_at", "confirmed_at"}
    columns = [f.column for f in Space._meta.concrete_fields if f.column not in skip]
    assert _cells(Space, [o.pk for o in fast], skip) == _cells(Space, [o.pk for o in slow], skip)
    photos = columns.index("photos")
    assert any(row[photos] in ("[]", []) for row in _cells(Space, [o.pk for o in fast], skip))


def _cells(model, pks, skip: set[str]) -> list[tuple]:
    """The rows ``pks`` of ``model`` as stored, column by column (``skip`` left out)."""
    from django.db import connection

    columns = [f.column for f in model._meta.concrete_fields if f.column not in skip]
    table = connection.ops.quote_name(model._meta.db_table)
    select = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        out = []
        for pk in pks:
            cursor.execute(f"SELECT {select} FROM {table} WHERE id = %s", [pk])
            out.append(cursor.fetchone())
        return out


def _listing(park, ref: str) -> dict:
    return {
        "ref": ref,
        "park": park,
        "building": "3号楼",
        "kind": "厂房",
        "deal": "出租",
        "area_m2": Decimal("1500.50"),
        "price": Decimal("1.35"),
        "price_unit": "元/平方米/天",
        "gmp": True,
        "available_from": date(2027, 3, 1),
        "description": "交通便利",
        "photos": [],
    }


def test_space_check_hands_its_checked_instance_to_the_bulk_upsert(park):
    """A new listing is built and cleaned once (space_check) and written as built: the row
    is the one the upsert builds itself from the same data."""
    from parklink.parks.services import CHECKED, space_bulk_upsert, space_check

    given = _listing(park, "CHK1")
    space_check(data=given, existing=None)
    assert given[CHECKED].pk is None and given[CHECKED].area_m2 == Decimal("1500.50")
    plain = _listing(park, "CHK2")  # never checked: the upsert builds it
    assert space_bulk_upsert(items=[given, plain], actor=None)["created"] == 2
    a, b = Space.objects.get(ref="CHK1"), Space.objects.get(ref="CHK2")
    assert a.pk == given[CHECKED].pk and a.building_id == b.building_id is not None
    assert _row(a) == _row(b)
    # An existing listing is checked against its row: nothing is handed over.
    again = _listing(park, "CHK1")
    assert space_check(data=again, existing=a) == [] and CHECKED not in again
    assert space_bulk_upsert(items=[again], actor=None)["unchanged"] == 1


@pytest.mark.parametrize("model", [Lead, Inquiry, AuditEntry, Space, SpaceChange])
def test_instance_factory_builds_what_the_constructor_builds(model):
    from datetime import datetime

    from parklink.core.bulk import instance_factory

    def state(obj):  # a `timezone.now` default: the same kind of value, microseconds apart
        values = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
        return {k: "now" if isinstance(v, datetime) else v for k, v in values.items()}

    make = instance_factory(model)
    assert state(make()) == state(model())
    given = {"id": 7}
    if model is Lead:
        given.update(ref="L1", company="华芯", districts=["昌平区"], is_demo=True)
    assert state(make(**given)) == state(model(**given))
    # Callable defaults are called per instance (no list or dict shared between rows).
    a, b = make(), make()
    for f in model._meta.concrete_fields:
        if isinstance(getattr(a, f.attname), list | dict):
            assert getattr(a, f.attname) is not getattr(b, f.attname)


def _lead_values(i: int, when) -> dict:
    return {
        "ref": f"LW{i}",
        "company": f"华芯{i}号有限公司",
        "company_key": f"huaxin{i}",
        "contact": "王",
        "mobile": f"1390000{i:04d}",
        "channel": "导入",
        "consent_basis": "业务往来",
        "districts": ["昌平区"] if i % 2 else [],
        "requires": {"gmp": True} if i % 3 == 0 else {},
        "area_min_m2": 100 + i,
        "annual_tax_wan": Decimal("12.50") if i % 2 else None,
        "last_inquiry_at": when,
        "consent_at": when if i % 2 else None,
        "next_follow_up": date(2027, 1, 1 + i),
        "is_demo": bool(i % 2),
    }


def test_row_writer_stores_the_same_cells_as_bulk_insert():
    """RowWriter writes plain rows (no instances) cell for cell as bulk_insert writes the
    instances: JSON empty and filled, decimals, dates, NULLs, aware date-times; auto_now
    stamped per row; the keys returned in the rows' order."""
    from django.utils import timezone

    from parklink.core.bulk import RowWriter

    when = timezone.now()
    writer = RowWriter(Lead)
    keys = writer.insert([writer.new(**_lead_values(i, when)) for i in range(7)])
    slow = bulk_insert([Lead(**{**_lead_values(i, when), "ref": f"LS{i}"}) for i in range(7)])
    assert [Lead.objects.get(pk=k).ref for k in keys] == [f"LW{i}" for i in range(7)]
    skip = {"id", "ref", "created_at", "updated_at"}

    def cells(pks):
        return _cells(Lead, pks, skip)

    assert cells(keys) == cells([o.pk for o in slow])
    stamped = Lead.objects.filter(pk__in=keys)
    assert all(lead.created_at >= when and lead.updated_at >= when for lead in stamped)
    # A row taken from an instance (cleaned there) writes the same cells.
    lead = Lead(**{**_lead_values(3, when), "ref": "LR3"})
    (key,) = writer.insert([writer.row_of(lead)])
    assert cells([key]) == cells([keys[3]])
    assert writer.insert([]) == []


def test_row_writer_refuses_what_it_cannot_write_as_held():
    from django.contrib.sessions.models import Session

    from parklink.core.bulk import RowWriter

    with pytest.raises(TypeError, match="auto primary key"):
        RowWriter(Session)  # its key is a text column the caller would have to choose
