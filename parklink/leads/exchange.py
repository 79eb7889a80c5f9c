"""Exchange kind `leads` (线索): the exchange format's leads in and out of `parklink import`
and `parklink export` (protocol: parklink.core.exchange).

Imported rows go through `lead_submit` like any submission (validated, stored as an
Inquiry, merged into the open lead with the same mobile or company), marked with the
channel 导入 and their consent basis (业务往来 unless the file names one). Importing the
same file twice changes nothing: a row already imported (same content) is left alone.

Exports follow the lead list's rule (``export_rows(scope=)``): the viewer's scope from
``lead_scope(viewer=)``, mobiles masked exactly as ``access.mobile_for`` shows them; the
framework audit-logs each export with its actor, rows and full numbers written.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections.abc import Generator, Iterable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from parklink.core import import_journal
from parklink.core.exchange import (
    Column,
    Counts,
    ExportScope,
    Report,
    Row,
    parse_bool,
    parse_choice,
    parse_decimal,
    parse_int,
    parse_text,
)
from parklink.core.roles import is_manager, is_operator
from parklink.core.services import audit_record
from parklink.leads import access, conf, services
from parklink.leads.choices import BudgetUnit, Channel, ConsentBasis
from parklink.leads.models import Inquiry, Lead
from parklink.leads.selectors import (
    in_chunks,
    lead_requirement_data,
    lead_scope,
    merge_candidates,
)
from parklink.leads.validation import clean_submission
from parklink.parks.choices import Deal, SpaceKind
from parklink.zh.units import MU_M2, area_to_m2, load_to_kg_m2
from parklink.zh.validators import mask_mobile

REQUIRES = ("gmp", "ceiling_height_m", "floor_load_kg_m2", "power_kva")


def _area(value: Any, unit: str) -> Decimal | None:
    if value is None:
        return None
    return area_to_m2(value, unit or "m2")


def _load(value: Any, unit: str) -> Decimal | None:
    if value is None:
        return None
    return load_to_kg_m2(value, unit or "kg/m2")


def _requires(value: Any, unit: str) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    try:
        parsed = json.loads(str(value))
    except ValueError:
        raise ValueError('应为 JSON 对象,如 {"gmp": true} / must be a JSON object') from None
    if not isinstance(parsed, dict):
        raise ValueError('应为 JSON 对象,如 {"gmp": true} / must be a JSON object')
    return parsed


def _mu(value: Any, unit: str) -> Decimal | None:
    """Land in 亩 (a header may name another area unit: 用地面积(平方米))."""
    if value is None:
        return None
    if not unit or unit.strip() == "亩":
        return parse_decimal(0)(value, "")
    return (area_to_m2(value, unit) / MU_M2).quantize(Decimal("0.01"))


def _yes_no(value: Any, unit: str) -> bool | None:
    """是/否, or blank/不确定 for unknown (never read as 否)."""
    if value is None or str(value).strip() in ("不确定", "未知", "unknown"):
        return None
    return parse_bool(value, unit)


def _keep_lead(pk: str) -> bool:
    """Undoing an import never deletes a lead that holds a submission from outside it
    (a public submission merged into an imported lead while the import ran)."""
    return Inquiry.objects.filter(lead_id=pk).exists()


import_journal.KEEP_ON_UNDO["leads.Lead"] = _keep_lead

# How a planned row is written: in bulk (a new lead), through lead_submit_status (merges),
# or not at all (imported before, identical).
FAST, SLOW, SAME = "fast", "slow", "same"

# The same words whether the ref names a lead out of the agent's scope or none at all: an
# import must not tell an agent which refs exist (as a URL answers both with the same 404).
REFUSED_REF = (
    "编号 {ref} 不是您可以导入或修改的线索(新线索请不填编号)",
    "ref {ref} is not a lead you may import into or change (leave ref empty for a new lead)",
)
REFUSED_MATCH = (
    "手机号/公司/统一社会信用代码与其他专员负责的线索相同,不能导入(请联系招商经理)",
    "mobile/company/USCC matches a lead another agent owns: not imported (ask a manager)",
)


class LeadKindExchange:
    """Leads: open to every operator (``catalogue = False``) under the lead scope: an agent
    imports new leads and merges into own and 公海 leads; a row naming (by ``ref``) or
    matching (by mobile, company or USCC) a lead the agent may not change is refused, row
    by row, and the file is refused as a whole (all-or-nothing per file)."""

    name = "leads"
    personal_data = True  # exported through the viewer's scope (core.exchange.ExportScope)
    sheet_names = ("线索", "leads")
    catalogue = False
    batch_size = 200
    columns = (
        Column("ref", "编号", aliases=("线索编号",), parse=parse_text(64)),
        Column("company", "公司", aliases=("企业名称", "公司名称"), parse=parse_text(200)),
        Column("contact", "联系人", required=True, aliases=("姓名",), parse=parse_text(50)),
        Column(
            "mobile",
            "手机号",
            required=True,
            aliases=("手机", "电话", "联系电话"),
            parse=parse_text(30),
            allowed="中国大陆手机号 / a mainland China mobile number",
        ),
        Column("need", "需求", aliases=("需求描述",), parse=parse_text(2000)),
        Column(
            "kind",
            "载体类型",
            aliases=("类型",),
            parse=parse_choice(SpaceKind.choices),
            allowed=" | ".join(SpaceKind.values),
        ),
        Column(
            "deal",
            "租售",
            aliases=("租售方式",),
            parse=parse_choice(Deal.choices),
            allowed=" | ".join(Deal.values),
        ),
        Column("area_min_m2", "最小面积(平方米)", aliases=("最小面积",), parse=_area),
        Column("area_max_m2", "最大面积(平方米)", aliases=("最大面积",), parse=_area),
        Column("budget", "预算", parse=parse_decimal(0)),
        Column(
            "budget_unit",
            "预算单位",
            parse=parse_choice(BudgetUnit.choices),
            allowed=" | ".join(BudgetUnit.values),
        ),
        Column("districts", "意向区域", many=True, parse=parse_text(20)),
        Column("parks", "意向园区", many=True, parse=parse_text(100)),
        Column("industry", "行业", parse=parse_text(50)),
        Column("use", "用途", parse=parse_text(200)),
        Column(
            "annual_tax_wan", "预计年纳税(万元)", aliases=("税收", "年纳税"), parse=parse_decimal(0)
        ),
        Column("requires", "硬性条件", parse=_requires),
        Column("gmp", "GMP", parse=parse_bool, allowed="是 | 否"),
        Column("ceiling_height_m", "层高(米)", aliases=("层高",), parse=parse_decimal(0)),
        Column("floor_load_kg_m2", "承重(公斤/平方米)", aliases=("承重",), parse=_load),
        Column("power_kva", "配电(kVA)", aliases=("配电",), parse=parse_decimal(0)),
        Column("uscc", "统一社会信用代码", aliases=("信用代码",), parse=parse_text(30)),
        Column(
            "channel",
            "来源渠道",
            aliases=("来源",),
            parse=parse_choice(Channel.choices),
            allowed=" | ".join(Channel.values),
        ),
        Column(
            "consent_basis",
            "个人信息处理依据",
            aliases=("授权依据",),
            parse=parse_choice(ConsentBasis.choices),
            allowed=" | ".join(ConsentBasis.values),
        ),
        Column("is_demo", "演示数据", parse=parse_bool, allowed="是 | 否"),
        Column(
            "total_investment_wan", "投资总额(万元)", aliases=("总投资",), parse=parse_decimal(0)
        ),
        Column("land_mu", "用地面积(亩)", aliases=("占地面积", "用地面积", "占地"), parse=_mu),
        Column(
            "annual_output_wan",
            "预计年产值(万元)",
            aliases=("年产值", "产值"),
            parse=parse_decimal(0),
        ),
        Column("is_high_tech", "高新技术企业", parse=_yes_no, allowed="是 | 否 | 不确定"),
        Column(
            "is_specialized",
            "专精特新",
            aliases=("专精特新企业",),
            parse=_yes_no,
            allowed="是 | 否 | 不确定",
        ),
        Column("founded_year", "成立年份", parse=parse_int(1900, 2100), allowed="1900–2100"),
        Column("staff", "员工人数", aliases=("人数",), parse=parse_int(0, 2000000)),
    )

    @staticmethod
    def _data(row: Row) -> tuple[dict[str, Any], bool]:
        data = {k: v for k, v in row.values.items() if v is not None}
        requires = dict(data.pop("requires", None) or {})
        for key in REQUIRES:
            if key in data:
                requires[key] = data.pop(key)
        if requires:
            data["requires"] = requires
        data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in data.items()}
        return data, bool(data.pop("is_demo", False))

    def plan(
        self, rows: list[Row], *, report: Report, actor: Any, pending: dict[str, set[str]]
    ) -> list[tuple[Row, str, dict[str, Any]]] | StreamedPlan:
        """Validate every row (as ``lead_submit`` will) and apply the lead scope, writing
        nothing: the rows to write, each marked FAST when it creates a new lead that no
        existing lead, earlier row or earlier import touches (written in bulk), SAME when it
        was imported before as it is (nothing to write), else SLOW (written through
        ``lead_submit_status``, which merges).

        A large file prepared in worker processes gets a ``StreamedPlan`` instead: its new
        leads are written block by block while the workers prepare the next rows
        (``plan_batches``), and everything else once every row has been planned."""
        datas = [self._data(row)[0] for row in rows]
        plan = StreamedPlan(self, rows, datas, report=report, actor=actor)
        return plan if plan.streamed else plan.materialise()

    def _plan_block(
        self,
        rows: list[Row],
        datas: list[dict[str, Any]],
        done: Iterable[tuple[dict[str, Any], str] | None],
        *,
        report: Report,
        actor: Any,
        seen: set[tuple[str, str]],
    ) -> list[tuple[Row, str, dict[str, Any]]]:
        """The plan of consecutive rows, against the database as it is now; ``seen`` holds
        the keys of the earlier blocks' rows and is updated."""
        checked: list[tuple[Row, dict[str, Any]]] = []
        digests: dict[int, str] = {}
        for row, data, prepared in zip(rows, datas, done, strict=True):
            if prepared is None:  # refused: the error as lead_submit raises it
                try:
                    prepared = _prepare(data)
                except ValidationError as exc:
                    report.add_validation_error(row, exc)
                    continue
            values, digests[row.number] = prepared
            checked.append((row, values))
        found = self._lookups(checked)
        if is_operator(actor):
            checked = self._in_scope(checked, found, report=report, actor=actor)
        by_ref, _merged_into, by_mobile, by_key, by_uscc = found
        bulk = conf.assignment_mode() == "pool"  # other modes assign per lead: row by row
        imported: set[str] = set()
        for chunk in in_chunks(sorted(set(digests.values()))):
            imported.update(
                Inquiry.objects.filter(channel=Channel.IMPORT, digest__in=chunk)
                .order_by()
                .values_list("digest", flat=True)
            )
        plan: list[tuple[Row, str, dict[str, Any]]] = []
        for row, values in checked:
            ckey = _key_of(values)
            keys = {
                ("ref", str(values.get("ref") or "")),
                ("mobile", values["mobile"]),
                ("company", ckey),
                ("uscc", values.get("uscc") or ""),
            }
            keys = {k for k in keys if k[1]}
            hit = (
                str(values.get("ref") or "") in by_ref
                or values["mobile"] in by_mobile
                or (ckey and ckey in by_key)
                or (values.get("uscc") or "") in by_uscc
            )
            if digests[row.number] in imported:
                # Imported before, identical: lead_submit_status answers "unchanged" for it
                # before anything else and writes nothing; so does the plan.
                plan.append((row, SAME, values))
                seen |= keys
                continue
            fast = bulk and not hit and not (keys & seen)
            seen |= keys
            plan.append((row, FAST if fast else SLOW, values))
        return plan

    def _lookups(self, checked: list[tuple[Row, dict[str, Any]]]):
        """The existing leads the rows name (by ref) or would merge into (same mobile,
        company or USCC, open, within the merge window), prefetched into dicts."""
        refs = {str(v["ref"]) for _r, v in checked if v.get("ref")}
        by_ref: dict[str, Lead] = {}
        for chunk in in_chunks(sorted(refs)):
            for lead in Lead.objects.filter(ref__in=chunk).order_by():
                by_ref[lead.ref] = lead
        ids = {lead.merged_into_id for lead in by_ref.values() if lead.merged_into_id}
        merged_into = {lead.pk: lead for lead in Lead.objects.filter(pk__in=ids)} if ids else {}
        since = timezone.now() - timedelta(days=conf.merge_days())
        mobiles = {v["mobile"] for _r, v in checked if not v.get("ref") or v["ref"] not in by_ref}
        keys = {_key_of(v) for _r, v in checked} - {""}
        usccs = {v["uscc"] for _r, v in checked if v.get("uscc")}
        by_mobile: dict[str, Lead] = {}
        by_key: dict[str, Lead] = {}
        by_uscc: dict[str, Lead] = {}
        wanted = {"mobile": mobiles, "company_key": keys, "uscc": usccs}
        for lead in merge_candidates(wanted, since=since):  # oldest first: the latest wins
            if lead.mobile in mobiles:
                by_mobile[lead.mobile] = lead
            if lead.company_key in keys:
                by_key[lead.company_key] = lead
            if lead.uscc in usccs:
                by_uscc[lead.uscc] = lead
        return by_ref, merged_into, by_mobile, by_key, by_uscc

    def _in_scope(
        self,
        checked: list[tuple[Row, dict[str, Any]]],
        found: tuple[dict[str, Lead], ...],
        *,
        report: Report,
        actor: Any,
    ) -> list[tuple[Row, dict[str, Any]]]:
        """Refuse the rows that would change a lead ``actor`` may not change: named by ref,
        or the open lead ``lead_submit`` would merge them into (same mobile, company or
        USCC within the merge window). The rule is the lead scope's (``_may_merge``)."""
        by_ref, merged_into, by_mobile, by_key, by_uscc = found
        # An agent names only leads it may change; a new lead gets its ref from the product.
        restricted = actor is not None and not is_manager(actor)
        kept = []
        for row, values in checked:
            ref = str(values.get("ref") or "")
            lead = by_ref.get(ref) if ref else None
            if lead is not None and lead.merged_into_id:
                lead = merged_into.get(lead.merged_into_id, lead)
            if lead is not None or (ref and restricted):
                if lead is None or not services._may_merge(actor, lead):
                    zh, en = REFUSED_REF
                    report.add(row, "ref", ref, f"{zh.format(ref=ref)} / {en.format(ref=ref)}")
                    continue
                kept.append((row, values))
                continue
            matches = [
                by_mobile.get(values["mobile"]),
                by_key.get(_key_of(values)),
                by_uscc.get(values.get("uscc") or ""),
            ]
            if any(m is not None and not services._may_merge(actor, m) for m in matches):
                report.add(row, "mobile", "", " / ".join(REFUSED_MATCH))
                continue
            kept.append((row, values))
        return kept

    def plan_counts(self, plan: list[tuple[Row, str, dict[str, Any]]]) -> Counts:
        if isinstance(plan, StreamedPlan):
            plan = plan.materialise()
        modes = [mode for _row, mode, _v in plan]
        return Counts(  # slow rows: merged or new
            created=modes.count(FAST), updated=modes.count(SLOW), unchanged=modes.count(SAME)
        )

    def plan_batches(self, plan: list[tuple[Row, str, dict[str, Any]]] | StreamedPlan, size: int):
        if isinstance(plan, StreamedPlan):
            yield from plan.batches(size * 5)
            if plan.report.problems:
                return  # refused: import_files undoes the new leads written so far
            plan = plan.rest
        fast = [p for p in plan if p[1] == FAST]
        slow = [p for p in plan if p[1] == SLOW]
        same = [p for p in plan if p[1] == SAME]
        big = size * 5  # bulk rows are a few queries per batch, not a few per row
        for i in range(0, len(fast), big):
            yield fast[i : i + big]
        for i in range(0, len(slow), size):
            yield slow[i : i + size]
        if same:
            yield same  # nothing to write: counted

    def write(
        self, chunk: list[tuple[Row, str, dict[str, Any]]], *, actor: Any, journal: Any
    ) -> Counts:
        """One batch: new leads in bulk (``lead_import_bulk_create``), the others through
        ``lead_submit_status`` (dedupe, merge, Inquiry, audit, assignment exactly as any
        submission), every write journaled for the undo."""
        fast = [(row, values) for row, mode, values in chunk if mode == FAST]
        slow = [row for row, mode, _values in chunk if mode == SLOW]
        counts = Counts(unchanged=sum(1 for _row, mode, _v in chunk if mode == SAME))
        if fast:
            services.lead_import_bulk_create(
                items=[self._data(row) for row, _v in fast],
                cleaned=[values for _row, values in fast],
                actor=actor,
                journal=journal,
            )
            counts.created += len(fast)
        if slow:
            report = Report("", "")
            with import_journal.recording_saves(journal):
                counts += self.import_rows(slow, report=report, actor=actor)
            if report.problems:
                raise ValidationError([str(p) for p in report.problems])
        return counts

    def after_import(self, counts: Counts, *, actor: Any, files: list[str]) -> None:
        """Personal data imported: one audit entry per import with its actor and count."""
        audit_record(
            actor=actor,
            action="lead.import",
            detail={
                "count": counts.created + counts.updated,
                "created": counts.created,
                "merged": counts.updated,
                "unchanged": counts.unchanged,
                "files": [str(f)[-100:] for f in files][:20],
            },
        )

    def import_rows(self, rows: list[Row], *, report: Report, actor: Any) -> Counts:
        counts = Counts()
        for row in rows:
            data, is_demo = self._data(row)
            try:
                _lead, status = services.lead_submit_status(
                    data=data,
                    channel=Channel.IMPORT,
                    actor=actor,
                    consent_basis=data.get("consent_basis") or ConsentBasis.CONTRACT,
                    is_demo=is_demo,
                )
            except ValidationError as exc:
                report.add_validation_error(row, exc)
                continue
            if status == "created":
                counts.created += 1
            elif status == "merged":
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def export_rows(self, *, scope: ExportScope) -> Iterable[dict[str, Any]]:
        """The leads ``scope`` allows, masked as on screen (see ExportScope): a viewer gets
        ``lead_scope(viewer=)`` with each mobile as ``access.mobile_for`` shows it; the
        operator every live lead, masked unless ``--unmasked``. Counts full numbers."""
        if scope.viewer is not None:
            leads = lead_scope(viewer=scope.viewer)
        elif scope.operator:
            leads = Lead.objects.filter(merged_into__isnull=True)
        else:
            leads = Lead.objects.none()
        for lead in leads.order_by("ref").iterator(chunk_size=2000):
            if scope.viewer is not None:
                full = access.can_see_mobile(scope.viewer, lead)
            else:
                full = scope.unmasked
            mobile = lead.mobile if full else mask_mobile(lead.mobile)
            if full and lead.mobile:
                scope.unmasked_count += 1
            requirement = lead_requirement_data(lead)
            requires = requirement.pop("requires")
            row: dict[str, Any] = {
                "ref": lead.ref,
                "company": lead.company,
                "contact": lead.contact,
                "mobile": mobile,
                **requirement,
                "uscc": lead.uscc,
                "channel": lead.channel,
                "consent_basis": lead.consent_basis,
                "is_demo": lead.is_demo,
                "total_investment_wan": lead.total_investment_wan,
                "land_mu": lead.land_mu,
                "annual_output_wan": lead.annual_output_wan,
                "is_high_tech": lead.is_high_tech,
                "is_specialized": lead.is_specialized,
                "founded_year": lead.founded_year,
                "staff": lead.staff,
            }
            for key in REQUIRES:
                row[key] = requires.get(key)
            yield row


def _company_key(name: str) -> str:
    return services.company_key(name)  # memoised there


def _key_of(values: dict[str, Any]) -> str:
    """A cleaned row's company key (prepared with it, maybe in a worker process)."""
    key = values.get("company_key")
    return key if key is not None else _company_key(values.get("company", ""))


# --- Preparing rows (pure: no database), in worker processes for large files -------------

PARALLEL_MIN_ROWS = 2000  # below this a pool costs more than it saves
MAX_WORKERS = 4
_INHERITED: list[Any] = []


def _prepare(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """One row's per-row work, as ``lead_import_bulk_create`` would do it: the cleaned
    values (``clean_submission``; raises its LeadDataError), with the catalogue context,
    what the need says (the matching parser) and ``company_key`` filled in, marked
    ``services.PREPARED``, and the row's verbatim Inquiry with its digest
    (``services.INQUIRY``); and that digest. Uses no database:
    a row naming a space or park (never an imported one: no such column) is left to the
    service."""
    values = clean_submission(data, require_consent=False)
    if not values.get("space") and data.get("park") in (None, ""):
        services._catalogue_context(values, data)
        services._fill_from_need(values)
        values[services.PREPARED] = True
    values["company_key"] = _company_key(values.get("company", ""))
    verbatim = services._verbatim(data)
    digest = services._digest(verbatim)
    values[services.INQUIRY] = (verbatim, digest)  # the Inquiry's record, computed once
    services.lead_import_validate(values, data)  # the new Lead's clean_new, here too
    return values, digest


def _prepare_or_none(data: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    try:
        return _prepare(data)
    except ValidationError:
        return None


def _workers() -> int:
    """Worker processes for preparing rows: the CPUs this process may use (at most
    ``MAX_WORKERS``, or ``PARKLINK["IMPORT_WORKERS"]``), and only from a single-threaded
    process (the command line): forking a threaded server process is not safe."""
    configured = settings.PARKLINK.get("IMPORT_WORKERS")
    if configured is not None:
        wanted = int(configured)
    else:
        try:
            wanted = len(os.sched_getaffinity(0))
        except AttributeError:
            wanted = os.cpu_count() or 1
    if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(wanted, MAX_WORKERS))


def _detach_connections() -> None:
    """In a worker: never use (or close) the parent's database connections."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        _INHERITED.append(conn.connection)  # kept referenced: not closed from this process
        conn.connection = None


STREAM_BLOCK = 2500  # rows planned (and their new leads written) at a time


class StreamedPlan:
    """The plan of a large lead file, made block by block as worker processes prepare the
    rows (``prepare_rows``), so that the writing process writes the new leads of
    one block while the workers prepare the next: on two cores the file's rows are
    prepared and written at the same time instead of one after the other.

    All or nothing as before (docs/catalogue.md): each block is planned against the
    database as the earlier blocks left it (a row that matches a lead an earlier block
    created is a merge, as when planned in one go); a block's new leads are written in
    journaled batches; rows that merge or were imported before wait in ``rest`` until every
    row is planned. Once any row is refused nothing more is written, the rest of the file is
    still planned so that every problem is reported, and the import's problems make
    ``import_files`` undo what was written. ``materialise`` plans every row without writing
    (dry runs, refused imports, small files): the plan ``plan`` made before."""

    def __init__(
        self,
        kind: LeadKindExchange,
        rows: list[Row],
        datas: list[dict[str, Any]],
        *,
        report: Report,
        actor: Any,
    ) -> None:
        self.kind, self.rows, self.datas = kind, rows, datas
        self.report, self.actor = report, actor
        self.streamed = _workers() >= 2 and len(datas) >= PARALLEL_MIN_ROWS
        self.rest: list[tuple[Row, str, dict[str, Any]]] = []
        self._planned: list[tuple[Row, str, dict[str, Any]]] | None = None

    def _blocks(self) -> Iterator[list[tuple[Row, str, dict[str, Any]]]]:
        seen: set[tuple[str, str]] = set()
        prepared = prepare_rows(self.datas) if self.streamed else None
        try:
            for start in range(0, len(self.rows), STREAM_BLOCK):
                rows = self.rows[start : start + STREAM_BLOCK]
                datas = self.datas[start : start + STREAM_BLOCK]
                done = (
                    [next(prepared) for _ in rows]
                    if prepared is not None
                    else [_prepare_or_none(d) for d in datas]
                )
                yield self.kind._plan_block(
                    rows, datas, done, report=self.report, actor=self.actor, seen=seen
                )
        finally:
            if prepared is not None:
                prepared.close()

    def materialise(self) -> list[tuple[Row, str, dict[str, Any]]]:
        if self._planned is None:
            self._planned = [p for block in self._blocks() for p in block]
        return self._planned

    def batches(self, size: int) -> Iterator[list[tuple[Row, str, dict[str, Any]]]]:
        """The new leads, ``size`` at a time, block by block; the other rows go to
        ``rest``. Nothing is yielded once the import has a problem."""
        for block in self._blocks():
            self.rest += [p for p in block if p[1] != FAST]
            if self.report.problems:
                continue  # plan on, to report every problem; write nothing more
            fast = [p for p in block if p[1] == FAST]
            for i in range(0, len(fast), size):
                yield fast[i : i + size]


def prepare_rows(
    datas: list[dict[str, Any]],
) -> Generator[tuple[dict[str, Any], str] | None, None, None]:
    """``_prepare`` of every row (None for a refused one), in order, as a pool of forked
    workers finishes them (the workers run ahead of the caller, who writes meanwhile; the
    parser, pinyin and phone-number checks are most of a lead row's cost and need no
    database). Closing the generator stops the workers."""
    _prepare_or_none(datas[0])  # dictionaries (jieba, pinyin, places) loaded before forking
    workers = _workers()
    # The workers inherit the rows (fork) and are sent only their positions: pickling every
    # row to them cost the writing process as much CPU as reading the file did.
    _FORKED_ROWS[:] = [datas]
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_detach_connections)
    try:
        chunk = max(50, min(500, len(datas) // (workers * 16)))
        yield from pool.imap(_prepare_at, range(len(datas)), chunksize=chunk)
    finally:
        pool.terminate()
        pool.join()
        _FORKED_ROWS.clear()


_FORKED_ROWS: list[list[dict[str, Any]]] = []  # the rows of the pool at work, if any


def _prepare_at(i: int) -> tuple[dict[str, Any], str] | None:
    """In a worker: ``_prepare_or_none`` of the row at ``i`` (inherited from the parent)."""
    return _prepare_or_none(_FORKED_ROWS[0][i])


LEADS = LeadKindExchange()
