"""Bulk inserts for imports: ``QuerySet.bulk_create`` without its per-value SQL compiler.

``bulk_create`` compiles every value of every row through the ORM's expression machinery
(``SQLInsertCompiler.prepare_value``, ``field_as_sql``…); for an import batch of 500 listings
of 40 columns that is 20,000 compilations, most of the import's time (bench/import.py,
docs/catalogue.md "How an import is written"). ``bulk_insert`` writes the same rows with
the same values: each value goes through its field's ``pre_save`` (auto_now…) and
``get_db_prep_save`` exactly as ``bulk_create`` does, except where that is known to be the
identity (a ``str`` for a text column, an ``int`` for an integer column, a ``bool`` for a
boolean one, ``None``), and an empty JSON list or object is converted once per batch; the
statement is built once per batch size, ``INSERT … VALUES (…), (…) RETURNING pk``, so the
instances get their primary keys as with ``bulk_create``.

Like ``bulk_create``: no ``save()``, no signals, no multi-table inheritance. Falls back to
``bulk_create`` where the backend cannot return the rows' keys.

``clean_new`` is ``full_clean`` for a new instance built from a few given fields: the
fields left at their defaults are not cleaned one by one (a batch's rows are validated
before anything is written, so this runs once per imported row).
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import JSONField
from django.db.models.fields import Field

# Internal types whose get_db_prep_save is the identity for a value of the given type.
_PLAIN: dict[str, type] = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "EmailField": str,
    "URLField": str,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
    "SmallAutoField": int,
    "BooleanField": bool,
}
MAX_ROWS = 500  # rows per statement (SQLite's compound-select limit; PG keeps it short)


def _reader(field: Field) -> Callable[[models.Model], Any]:
    """How to read the value to save from an instance (pre_save only where it does more
    than read the attribute: auto_now, auto_now_add, custom fields)."""
    if type(field).pre_save is Field.pre_save:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.pre_save(obj, True)


def _converter(field: Field, connection: Any) -> Callable[[Any], Any]:
    target = field.target_field if field.is_relation else field
    internal = target.get_internal_type()
    plain = _PLAIN.get(internal)
    prep = field.get_db_prep_save

    if internal == "DateTimeField":
        # get_prep_value of an aware datetime is the datetime itself (a naive one is made
        # aware in the default time zone, with a warning: left to it).
        # The rows of a batch mostly share one instant (the import's ``now``): the last
        # value's adaptation is kept and reused for the same object.
        adapt = connection.ops.adapt_datetimefield_value
        last: list[Any] = [None, None]

        def convert_datetime(value: Any) -> Any:
            if value is None:
                return None
            if value is last[0]:
                return last[1]
            if type(value) is datetime and value.utcoffset() is not None:
                last[:] = value, adapt(value)
                return last[1]
            return prep(value, connection)

        return convert_datetime

    if internal == "JSONField" and not field.is_relation:
        # Most JSON cells of an import are an empty list or object: their text once. A
        # stock JSONField on a backend that saves JSON as text (SQLite) is json.dumps with
        # the field's encoder, called directly for the plain containers.
        empties: dict[type, Any] = {}
        stock = (
            type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
            and type(field).get_db_prep_save is JSONField.get_db_prep_save
            and type(field).get_db_prep_value is JSONField.get_db_prep_value
            and type(field).get_prep_value is Field.get_prep_value
        )
        encoder = field.encoder

        def convert_json(value: Any) -> Any:
            if value is None:
                return None
            kind = type(value)
            if (kind is list or kind is dict) and not value:
                if kind not in empties:
                    empties[kind] = prep(kind(), connection)
                if isinstance(empties[kind], str):
                    return empties[kind]
            if stock and (kind is dict or kind is list):
                return json.dumps(value, cls=encoder)
            return prep(value, connection)

        return convert_json

    if plain is None:
        return lambda value: None if value is None else prep(value, connection)

    def convert(value: Any) -> Any:
        if value is None or type(value) is plain:
            return value
        return prep(value, connection)

    return convert


def _conversions(
    fields: list[Field], connection: Any
) -> tuple[list[tuple[int, type, Callable[[Any], Any]]], list[tuple[int, Callable[[Any], Any]]]]:
    """Per column: (index, plain type, converter) where a None or a value of the plain type
    is saved as it is, else (index, converter); every converter keeps None."""
    plain: list[tuple[int, type, Callable[[Any], Any]]] = []
    other: list[tuple[int, Callable[[Any], Any]]] = []
    for i, f in enumerate(fields):
        target = f.target_field if f.is_relation else f
        internal = target.get_internal_type()
        kind = _PLAIN.get(internal)
        convert = _converter(f, connection)
        if kind is not None and internal != "DateTimeField":
            plain.append((i, kind, convert))
        else:
            other.append((i, convert))
    return plain, other


def _convert(
    row: list[Any],
    plain: list[tuple[int, type, Callable[[Any], Any]]],
    other: list[tuple[int, Callable[[Any], Any]]],
) -> list[Any]:
    """``row`` with each value converted in place as ``_conversions`` says."""
    for i, kind, convert in plain:
        value = row[i]
        if value is not None and type(value) is not kind:
            row[i] = convert(value)
    for i, convert in other:
        value = row[i]
        if value is not None:  # every converter keeps None
            row[i] = convert(value)
    return row


def _row_builder(fields: list[Field], connection: Any) -> Callable[[models.Model], list[Any]]:
    """The parameters of one instance's row, as ``_reader`` then ``_converter`` of every
    field give them, with the per-value calls taken out of the common cases: the plain
    attributes are read in one ``attrgetter`` call, a value that is None or of its column's
    plain type is kept as it is without a call; the rest goes through its converter."""
    attnames = [f.attname for f in fields]
    get_all = operator.attrgetter(*attnames)
    single = len(fields) == 1
    custom = [
        (i, _reader(f)) for i, f in enumerate(fields) if type(f).pre_save is not Field.pre_save
    ]
    plain, other = _conversions(fields, connection)

    def build(obj: models.Model) -> list[Any]:
        row = [get_all(obj)] if single else list(get_all(obj))
        for i, read in custom:
            row[i] = read(obj)
        return _convert(row, plain, other)

    return build


def bulk_insert(objs: Sequence[models.Model], *, using: str | None = None) -> list[models.Model]:
    """Insert ``objs`` (instances of one model, none saved) and set their primary keys;
    returns ``objs``. Same rows, same values as ``Model.objects.bulk_create(objs)``."""
    if not objs:
        return list(objs)
    model = type(objs[0])
    meta = model._meta
    using = using or router.db_for_write(model)
    connection = connections[using]
    if (
        meta.parents
        or not connection.features.can_return_rows_from_bulk_insert
        or any(type(o) is not model for o in objs)
    ):
        return model._base_manager.using(using).bulk_create(objs)
    pk = meta.pk
    for obj in objs:
        if obj.pk is None:
            obj.pk = pk.get_pk_value_on_save(obj)
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    with_pk = [o for o in objs if o.pk is not None]
    without_pk = [o for o in objs if o.pk is None]
    qn = connection.ops.quote_name
    for group, fields in (
        (with_pk, list(meta.concrete_fields)),
        (without_pk, [f for f in meta.concrete_fields if f is not pk]),
    ):
        if not group:
            continue
        build = _row_builder(fields, connection)
        columns = ", ".join(qn(f.column) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per = max(1, min(MAX_ROWS, _max_params(connection) // len(fields)))
        head = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "
        tail = f" RETURNING {qn(pk.column)}"
        with connection.cursor() as cursor:
            for start in range(0, len(group), per):
                chunk = group[start : start + per]
                params: list[Any] = []
                for obj in chunk:
                    params += build(obj)
                cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
                keys = cursor.fetchall()
                for obj, (key,) in zip(chunk, keys, strict=True):
                    obj.pk = key
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return list(objs)


def _max_params(connection: Any) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        try:
            return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        except AttributeError:  # Python < 3.11
            return 999
    return 65535


def _row_factory(fields: Sequence[Field]) -> Callable[..., list[Any]]:
    """``make(**values)`` → the values of a new row of ``fields`` (a list in their order):
    the fields not given get their defaults as ``Model.__init__`` gives them (a callable
    default called per row, any other default computed once). ``values`` are keyed by
    attname (``park_id``, not ``park``)."""
    index = {f.attname: i for i, f in enumerate(fields)}
    constants: list[Any] = []
    calls: list[tuple[int, Callable[[], Any]]] = []
    for i, f in enumerate(fields):
        if f.has_default() and callable(f.default):
            calls.append((i, f.default))
            constants.append(None)
        else:
            constants.append(f.get_default())

    def make(**values: Any) -> list[Any]:
        row = list(constants)
        for i, default in calls:
            row[i] = default()
        for name, value in values.items():
            row[index[name]] = value
        return row

    return make


def instance_factory(model: type[models.Model]) -> Callable[..., models.Model]:
    """``make(**values)`` → ``model(**values)`` for new rows of an import, built through the
    positional constructor (``_row_factory``'s row), without the per-field keyword
    lookups. ``values`` are keyed by attname (``park_id``, not ``park``)."""
    row = _row_factory(model._meta.concrete_fields)

    def make(**values: Any) -> models.Model:
        return model(*row(**values))

    return make


_ALWAYS_CHECKED: dict[type[models.Model], frozenset[str]] = {}


def clean_new(obj: models.Model, given: Iterable[str], *, exclude: Iterable[str] = ()) -> None:
    """``obj.full_clean(validate_unique=False, validate_constraints=False)`` for a new
    instance whose fields not in ``given`` hold their defaults: only the given fields (and
    those whose default would not pass, found once per model) are cleaned, then
    ``obj.clean()`` as always; ``exclude`` as for ``full_clean``. Raises the same
    ValidationError."""
    model = type(obj)
    always = _ALWAYS_CHECKED.get(model)
    if always is None:
        try:
            model().clean_fields()
            always = frozenset()
        except ValidationError as exc:
            always = frozenset(exc.message_dict)
        _ALWAYS_CHECKED[model] = always
    wanted = (set(given) | always) - set(exclude)
    skip = [f.name for f in model._meta.fields if f.name not in wanted]
    obj.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)


class RowWriter:
    """New rows of ``model`` written from plain values, without model instances: for the
    largest imports, where building an instance and reading it back costs more than the
    insert. ``new(**values)`` is a row (a list, in ``fields`` order) holding the defaults
    ``Model.__init__`` would give and ``values`` (keyed by attname); ``row_of(obj)`` the
    row of an instance (one that was cleaned, say); ``insert(rows)`` writes them as
    ``bulk_insert`` writes instances — ``auto_now``/``auto_now_add`` stamped per row,
    every value through its field's ``get_db_prep_save`` (or known to be the identity) —
    and returns their primary keys, in order.

    Only for models whose primary key is an auto field and whose fields save as they are
    held, date-time stamps aside (``TypeError`` otherwise); no signals, as ``bulk_create``."""

    def __init__(self, model: type[models.Model], *, using: str | None = None) -> None:
        from django.db.models import DateField, DateTimeField

        meta = model._meta
        if meta.parents or meta.pk.get_internal_type() not in (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
        ):
            raise TypeError(f"RowWriter: {meta.label} needs an auto primary key, no parents")
        self.model = model
        self.using = using or router.db_for_write(model)
        self.fields = [f for f in meta.concrete_fields if f is not meta.pk]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self._stamps: list[int] = []
        for i, f in enumerate(self.fields):
            auto = isinstance(f, DateField) and (f.auto_now or f.auto_now_add)
            if auto and isinstance(f, DateTimeField):
                self._stamps.append(i)
            elif auto or (type(f).pre_save is not Field.pre_save and not isinstance(f, DateField)):
                # (a DateField's pre_save, auto flags off, reads the attribute)
                raise TypeError(f"RowWriter: {meta.label}.{f.name} has its own pre_save")
        self.new = _row_factory(self.fields)
        self._getter = operator.attrgetter(*(f.attname for f in self.fields))

    def row_of(self, obj: models.Model) -> list[Any]:
        return list(self._getter(obj)) if len(self.fields) > 1 else [self._getter(obj)]

    def insert(self, rows: Sequence[list[Any]]) -> list[Any]:
        if not rows:
            return []
        from django.utils import timezone

        connection = connections[self.using]
        if not connection.features.can_return_rows_from_bulk_insert:
            objs = [self.model(None, *row) for row in rows]
            self.model._base_manager.using(self.using).bulk_create(objs)
            return [o.pk for o in objs]
        fields = self.fields
        plain, other = _conversions(fields, connection)
        qn = connection.ops.quote_name
        meta = self.model._meta
        columns = ", ".join(qn(f.column) for f in fields)
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per = max(1, min(MAX_ROWS, _max_params(connection) // len(fields)))
        head = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "
        tail = f" RETURNING {qn(meta.pk.column)}"
        stamps = self._stamps
        keys: list[Any] = []
        with connection.cursor() as cursor:
            for start in range(0, len(rows), per):
                chunk = rows[start : start + per]
                params: list[Any] = []
                # One instant for the chunk's auto_now stamps (bulk_create takes one per
                # row and field; the same object is adapted once).
                stamp = timezone.now()
                for given in chunk:
                    row = list(given)
                    for i in stamps:
                        row[i] = stamp
                    params += _convert(row, plain, other)
                cursor.execute(head + ", ".join([one] * len(chunk)) + tail, params)
                keys += [key for (key,) in cursor.fetchall()]
        return keys
