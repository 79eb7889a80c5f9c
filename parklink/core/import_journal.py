"""All-or-nothing imports without a long write transaction: an undo journal.

An import is written in short batches (each its own transaction, so lead submissions and
other writers wait at most one batch). Every batch records, in the same transaction as its
writes, how to undo them: the keys of the rows it created and the serialised previous state
of the rows it changed (``core.ImportUndo``). When the run ends well its undo records are
dropped; when it fails, the journal is played backwards (compensating rollback). A run whose
process died mid-import (SIGKILL, power loss) is still ``running`` in the database with the
undo records of every committed batch: ``import_recover`` (called by every import and by
``parklink worker``) undoes it, so the database holds each import whole or not at all.

Kinds that write through per-row services (parks, orgs, leases…; small tables) are written
in one short transaction whose saves are journaled by ``recording_saves`` (pre_save /
post_save of the importing thread only)."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import models, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from parklink.core.bulk import bulk_insert
from parklink.core.models import ImportRun, ImportUndo

logger = logging.getLogger(__name__)

UNDO_BATCH = 500
STALE_AFTER = timedelta(minutes=10)  # a run on another host with no batch for this long
_HOST = socket.gethostname()[:100]
_recording = threading.local()
# model label → predicate(pk): keep a created row on undo (a lead that a public submission
# merged into meanwhile must not be deleted with it: leads are never lost).
KEEP_ON_UNDO: dict[str, Any] = {}


class Journal:
    """The undo records of one batch; written by ``flush`` inside the batch transaction."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self._created: dict[str, list[Any]] = {}
        self._changed: dict[str, list[models.Model]] = {}

    def created(self, objs: Iterable[models.Model]) -> None:
        for obj in objs:
            self._created.setdefault(obj._meta.label, []).append(obj.pk)

    def created_ids(self, label: str, ids: Iterable[Any]) -> None:
        """Rows of model ``label`` written without instances (``core.bulk.RowWriter``)."""
        self._created.setdefault(label, []).extend(ids)

    def changed(self, objs: Iterable[models.Model]) -> None:
        """Call with the instances as they are in the database, before changing them."""
        for obj in objs:
            self._changed.setdefault(obj._meta.label, []).append(obj)

    def flush(self) -> None:
        """One undo record per model: created rows in the order written, then the prior
        state of the changed ones (undone in reverse: restores first, deletes after)."""
        rows = [
            ImportUndo(run=self.run, model=label, object_ids=ids)
            for label, ids in self._created.items()
        ] + [
            ImportUndo(
                run=self.run,
                model=label,
                object_ids=[o.pk for o in objs],
                before=serializers.serialize("json", objs),
            )
            for label, objs in self._changed.items()
        ]
        if rows:
            bulk_insert(rows)
        self._created, self._changed = {}, {}


def run_start(*, actor: Any, files: list[str]) -> ImportRun:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return ImportRun.objects.create(actor=user, files=files[:20], host=_HOST, pid=os.getpid())


@contextlib.contextmanager
def batch(run: ImportRun) -> Iterator[Journal]:
    """One short write transaction of ``run``: its writes and their undo records commit
    together or not at all."""
    journal = Journal(run)
    with transaction.atomic():
        yield journal
        journal.flush()
        ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())


@contextlib.contextmanager
def recording_saves(journal: Journal) -> Iterator[None]:
    """Journal every model save of this thread (rows created; rows changed, with their
    previous state read just before the save)."""

    def before(sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
        if raw or getattr(_recording, "journal", None) is not journal:
            return
        if sender in (ImportUndo, ImportRun) or instance.pk is None:
            return
        if instance._state.adding:
            return
        old = sender._base_manager.filter(pk=instance.pk).first()
        if old is not None:
            journal.changed([old])

    def after(sender: Any, instance: models.Model, created: bool, raw: bool = False, **kw: Any):
        if raw or not created or getattr(_recording, "journal", None) is not journal:
            return
        if sender not in (ImportUndo, ImportRun):
            journal.created([instance])

    uid = f"import-journal-{id(journal)}"
    _recording.journal = journal
    pre_save.connect(before, weak=False, dispatch_uid=uid + "-pre")
    post_save.connect(after, weak=False, dispatch_uid=uid + "-post")
    try:
        yield
    finally:
        pre_save.disconnect(dispatch_uid=uid + "-pre")
        post_save.disconnect(dispatch_uid=uid + "-post")
        _recording.journal = None


def run_finish(run: ImportRun, counts: dict[str, Any]) -> None:
    """The import is whole: drop its undo records (in batches) and mark it done."""
    while True:
        with transaction.atomic():
            ids = list(run.undo.values_list("pk", flat=True)[:5000])
            if not ids:
                ImportRun.objects.filter(pk=run.pk).update(
                    status=ImportRun.Status.DONE, counts=counts, finished_at=timezone.now()
                )
                return
            ImportUndo.objects.filter(pk__in=ids).delete()


def run_undo(run: ImportRun) -> int:
    """Play the journal backwards in short batches (idempotent: a crash during the undo
    leaves the rest for the next call). Returns the number of rows undone."""
    done = 0
    while True:
        with transaction.atomic():
            rows = list(ImportUndo.objects.filter(run=run).order_by("-id")[:5])
            if not rows:
                ImportRun.objects.filter(pk=run.pk).update(
                    status=ImportRun.Status.UNDONE, finished_at=timezone.now()
                )
                return done
            for row in rows:
                if row.before is None:
                    keep = KEEP_ON_UNDO.get(row.model)
                    ids = [i for i in row.object_ids if keep is None or not keep(i)]
                    model = apps.get_model(row.model)
                    for i in range(0, len(ids), UNDO_BATCH):
                        model._base_manager.filter(pk__in=ids[i : i + UNDO_BATCH]).delete()
                else:
                    for obj in serializers.deserialize("json", row.before):
                        obj.save()
                done += len(row.object_ids)
            ImportUndo.objects.filter(pk__in=[r.pk for r in rows]).delete()


def _alive(run: ImportRun) -> bool:
    if run.host != _HOST or run.pid is None:
        return timezone.now() - run.heartbeat_at < STALE_AFTER
    if run.pid == os.getpid():
        return True
    try:
        os.kill(run.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def import_recover() -> int:
    """Undo every run whose process is gone; returns how many runs were undone."""
    undone = 0
    for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING).order_by("pk"):
        if _alive(run):
            continue
        rows = run_undo(run)
        logger.warning("import run %s was interrupted: %s rows undone", run.pk, rows)
        undone += 1
    return undone
