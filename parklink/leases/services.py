"""Writes of the leases domain: leases, the space status that follows them, expiry
warnings and 续约 (renewal) deals.

Every function is keyword-only and atomic, writes an audit entry with its actor and enqueues
side effects (mail) on commit. A space's status is set through the catalogue's own service
(``parks.services.space_update``), so its history is kept and ``space_changed`` fires:
search and match alerts follow a space that becomes vacant again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from parklink.core.roles import ROLE_MANAGER, is_manager, is_operator
from parklink.core.services import audit_record
from parklink.leads import services as lead_services
from parklink.leads.choices import OPEN_STAGES, Channel, ConsentBasis
from parklink.leads.models import Lead
from parklink.leads.selectors import lead_scope, lead_scope_rule
from parklink.leases import conf, terms
from parklink.leases.choices import LeaseStatus, RentUnit
from parklink.leases.models import ExpiryWarning, Lease
from parklink.orgs.models import Organization
from parklink.orgs.services import org_create
from parklink.parks.choices import Deal, SpaceStatus
from parklink.parks.models import Space
from parklink.parks.services import space_update

logger = logging.getLogger("parklink.leases")

LEASE_FIELDS = (
    "ref",
    "space",
    "tenant",
    "start",
    "end",
    "area_m2",
    "rent",
    "rent_unit",
    "deposit_months",
    "free_rent_months",
    "escalation_pct",
    "terminated_on",
    "documents",
    "owner",
    "note",
    "is_demo",
)
RENEWAL_MARK = "【续约】"


def _today() -> date:
    return timezone.localdate()


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return old == new


def _assign(lease: Lease, data: dict[str, Any]) -> list[str]:
    changed: list[str] = []
    for name in LEASE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ("space", "tenant", "owner"):
            if getattr(lease, f"{name}_id") != (value.pk if value is not None else None):
                setattr(lease, name, value)
                changed.append(name)
            continue
        field = Lease._meta.get_field(name)
        if value is None and not field.null:
            value = field.get_default() if field.has_default() else ""
        if not _same(getattr(lease, name), value):
            setattr(lease, name, value)
            changed.append(name)
    return changed


def tenant_ensure(
    *, name: str, park: Any = None, actor: Any, is_demo: bool = False
) -> Organization:
    """The organisation called ``name``, created when new (located in ``park``)."""
    name = name.strip()
    org = Organization.objects.filter(name=name).first()
    if org is None:
        org = org_create(data={"name": name, "park": park, "is_demo": is_demo}, actor=actor)
    return org


def _check_capacity(lease: Lease) -> None:
    """Leases of one space may overlap in time (divisible space, or a renewal signed
    early) only while their areas fit in the space on every day."""
    last = lease.last_day
    others = [
        o
        for o in Lease.objects.filter(space_id=lease.space_id).exclude(pk=lease.pk)
        if terms.overlaps(lease.start, last, o.start, o.last_day)
    ]
    if not others:
        return
    points = sorted({lease.start, *(max(o.start, lease.start) for o in others)})
    for day in points:
        total = lease.area_m2 + sum(
            (o.area_m2 for o in others if o.start <= day <= o.last_day), Decimal(0)
        )
        if total > lease.space.area_m2:
            clash = next(o for o in others if o.start <= day <= o.last_day)
            raise ValidationError(
                {
                    "start": f"与租约 {clash.ref} 租期重叠且面积超过房源面积 / overlaps lease "
                    f"{clash.ref} and the areas exceed the space's"
                }
            )


def _save(lease: Lease, *, today: date) -> None:
    lease.full_clean()
    _check_capacity(lease)
    lease.status = lease.status_on(today)
    lease.save()


@transaction.atomic
def lease_create(*, data: dict[str, Any], actor: Any, today: date | None = None) -> Lease:
    """Create a lease; ``data`` holds model fields (``space``, ``tenant`` instances; the
    area defaults to the space's). The space's status follows at once."""
    today = today or _today()
    data = dict(data)
    if data.get("area_m2") is None and data.get("space") is not None:
        data["area_m2"] = data["space"].area_m2
    if not data.get("rent_unit"):
        data["rent_unit"] = RentUnit.YUAN_M2_DAY
    lease = Lease()
    _assign(lease, data)
    _save(lease, today=today)
    audit_record(actor=actor, action="lease.create", target=lease, detail={"ref": lease.ref})
    space_status_sync(space_ids=[lease.space_id], actor=actor, today=today)
    return lease


@transaction.atomic
def lease_update(
    *, lease: Lease, data: dict[str, Any], actor: Any, today: date | None = None
) -> list[str]:
    """Change the given fields; return the names of those that changed (none: nothing is
    written)."""
    today = today or _today()
    old_space = lease.space_id
    data = dict(data)
    if "area_m2" in data and data["area_m2"] is None:
        space = data.get("space") or lease.space
        data["area_m2"] = space.area_m2
    changed = _assign(lease, data)
    if not changed:
        return []
    _save(lease, today=today)
    audit_record(actor=actor, action="lease.update", target=lease, detail={"fields": changed})
    space_status_sync(space_ids={old_space, lease.space_id}, actor=actor, today=today)
    return changed


def lease_upsert(
    *, data: dict[str, Any], actor: Any, today: date | None = None
) -> tuple[Lease, str]:
    """Create or update the lease with ``data["ref"]``: ("created"|"updated"|"unchanged")."""
    lease = Lease.objects.select_related("space", "tenant").filter(ref=data["ref"]).first()
    if lease is None:
        return lease_create(data=data, actor=actor, today=today), "created"
    changed = lease_update(lease=lease, data=data, actor=actor, today=today)
    return lease, "updated" if changed else "unchanged"


@transaction.atomic
def lease_terminate(*, lease: Lease, on: date, actor: Any, today: date | None = None) -> Lease:
    """退租: the tenant leaves early; ``on`` is the last day held."""
    if not (is_manager(actor) or (is_operator(actor) and lease.owner_id == actor.pk)):
        raise ValidationError("无权退租该合同 / not allowed to terminate this lease")
    if on < lease.start:
        raise ValidationError({"terminated_on": "退租日不能早于起租日 / before the start"})
    lease_update(lease=lease, data={"terminated_on": on}, actor=actor, today=today)
    return lease


# --- the space follows its leases ------------------------------------------------------------


@transaction.atomic
def space_status_sync(
    *, space_ids: Iterable[int | None], actor: Any = None, today: date | None = None
) -> int:
    """Set each space's status from its leases on ``today``: 已租 while a lease holds it;
    可租 again once the last one ended or was terminated. Spaces without any lease keep the
    status typed by hand, and so does a withdrawn (下架) space, held or not: the withdrawal is
    the operator's decision and outlives the leases (occupancy counts such a space only on
    the days a lease holds it). Returns how many spaces changed."""
    today = today or _today()
    ids = {i for i in space_ids if i}
    if not ids:
        return 0
    held = set(
        Lease.objects.filter(space_id__in=ids).active_on(today).values_list("space_id", flat=True)
    )
    with_leases = set(
        Lease.objects.filter(space_id__in=ids).values_list("space_id", flat=True).distinct()
    )
    changed = 0
    spaces = (
        Space.objects.filter(pk__in=ids, deal=Deal.RENT)
        .exclude(status=SpaceStatus.WITHDRAWN)
        .select_related("park")
    )
    for space in spaces:
        if space.pk in held:
            wanted = SpaceStatus.LEASED
        elif space.pk in with_leases and space.status == SpaceStatus.LEASED:
            wanted = SpaceStatus.FOR_RENT
        else:
            continue
        if space.status != wanted:
            try:
                with transaction.atomic():
                    space_update(space=space, data={"status": wanted}, actor=actor)
            except ValidationError:
                # A listing invalid for other reasons keeps its status; the rest go on.
                logger.warning("space status not synced", extra={"space": space.ref})
                continue
            changed += 1
    return changed


def lease_statuses_refresh(*, today: date | None = None) -> dict[str, int]:
    """Daily (worker): store each lease's state of today and make every leased space's
    status follow. Idempotent: a second run the same day changes nothing."""
    today = today or _today()
    early = Q(terminated_on__isnull=False, terminated_on__lt=F("end"))
    begun = Lease.objects.filter(start__lte=today)
    by_status = {
        LeaseStatus.FUTURE: Lease.objects.filter(start__gt=today),
        LeaseStatus.ACTIVE: Lease.objects.active_on(today),
        LeaseStatus.TERMINATED: begun.filter(early, terminated_on__lt=today),
        LeaseStatus.EXPIRED: begun.filter(end__lt=today).exclude(early),
    }
    leases = sum(
        qs.exclude(status=status).update(status=status) for status, qs in by_status.items()
    )
    ids = sorted(set(Lease.objects.values_list("space_id", flat=True)))
    spaces = 0
    for i in range(0, len(ids), 500):
        spaces += space_status_sync(space_ids=ids[i : i + 500], today=today)
    return {"leases": leases, "spaces": spaces}


# --- expiry warnings and renewals --------------------------------------------------------


def _managers() -> list[Any]:
    """The 招商经理 (not the system administrators: they run the platform, not the park)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=ROLE_MANAGER)
        .distinct()
        .order_by("pk")
    )


class RenewalRefused(ValidationError):
    """A 续约 deal that may not be opened (bilingual message): the lease has ended, or the
    tenant's open lead is worked by an agent the renewal's viewer does not stand for."""


def _renewal_viewer(lease: Lease, actor: Any) -> Any | None:
    """Whose view of the leads a renewal may use: the acting user (an agent or a manager
    in the office, the manager of a bulk proposal); for the worker, the lease's agent, who
    will own the deal. None only for the worker on a lease without an (active) agent."""
    if actor is not None:
        return actor
    owner = lease.owner
    if owner is not None and owner.is_active:
        return owner
    return None


def _tenant_record(lease: Lease, viewer: Any | None = None) -> Lead | None:
    """The tenant's record in the pipeline: its most recent lead (by company name) among
    those ``viewer`` may see (``lead_scope``, the one rule of the leads app). With no viewer
    (the worker, a lease without an agent) every live lead; the deal then stays unowned."""
    key = lead_services.company_key(lease.tenant.name)
    if not key:
        return None
    leads = (
        lead_scope(viewer=viewer)
        if viewer is not None
        else Lead.objects.filter(merged_into__isnull=True)
    )
    return leads.filter(company_key=key).order_by("-last_inquiry_at", "-pk").first()


def _worked_by_another(lease: Lease, viewer: Any | None) -> bool:
    """The tenant has an open lead with an agent whom ``viewer`` may not stand for (not
    theirs; for a manager, outside their teams): it keeps its agent, and the renewal is not
    opened beside it with a copy of its contact."""
    if viewer is None:
        return False
    key = lead_services.company_key(lease.tenant.name)
    if not key:
        return False
    rule = lead_scope_rule(viewer=viewer)
    return any(
        not rule.works(lead)
        for lead in Lead.objects.filter(
            company_key=key,
            merged_into__isnull=True,
            stage__in=OPEN_STAGES,
            owner__isnull=False,
        ).only("pk", "owner_id", "stage", "merged_into_id")
    )


def renewal_need(lease: Lease, uplift_pct: Decimal | None = None) -> str:
    """The need text of a renewal deal: what is renewed, until when, at what proposed rent."""
    rent = lease.rent
    if uplift_pct is not None:
        rent = (rent * (1 + uplift_pct / 100)).quantize(Decimal("0.01"))
    space = lease.space
    return (
        f"{RENEWAL_MARK}{space.park.name} {space.ref} {lease.area_m2:.0f}平方米{space.kind},"
        f"现租约 {lease.ref} 至 {lease.last_day:%Y-%m-%d} 到期;"
        f"续约建议租金 {rent.normalize():f} {lease.rent_unit}"
    )


RENEWABLE = (LeaseStatus.ACTIVE, LeaseStatus.FUTURE)


@transaction.atomic
def renewal_open(
    *,
    lease: Lease,
    actor: Any = None,
    uplift_pct: Decimal | None = None,
    today: date | None = None,
) -> Lead | None:
    """Open a 续约 deal for ``lease`` in the 招商 pipeline, on the tenant's record (merged
    into its open lead when it has one), through the leads services; idempotent (a lease
    has one renewal deal). None when the tenant has no record the viewer may see.

    Personal data (contact, mobile) comes only from a lead the viewer may see
    (``_renewal_viewer``: the actor, or for the worker the lease's agent): a 公海 lead the
    viewer sees masked is merged into (and handed over), never copied. Raises RenewalRefused
    for a lease that is neither active nor reserved (待生效), and when the tenant's open lead
    is worked by another agent (that lead keeps its agent, nothing is copied). The deal is
    then assigned to the lease's agent (``_renewal_owned``)."""
    today = today or _today()
    # (not the owner: a nullable join, which PostgreSQL cannot lock FOR UPDATE)
    lease = (
        Lease.objects.select_for_update().select_related("space__park", "tenant").get(pk=lease.pk)
    )
    if lease.status_on(today) not in RENEWABLE:
        raise RenewalRefused(
            "该租约已到期或已退租,不能发起续约 / the lease has ended or was terminated: no renewal"
        )
    if lease.renewal_lead_id:
        return lease.renewal_lead
    viewer = _renewal_viewer(lease, actor)
    if _worked_by_another(lease, viewer):
        raise RenewalRefused(
            "该租户的线索由其他专员跟进中,续约请与其负责人或招商经理协商 / the tenant's "
            "open lead is worked by another agent: renew through them or a manager"
        )
    record = _tenant_record(lease, viewer)
    if record is None:
        return None
    ref = f"RENEW-{lease.ref}"[:64]
    if viewer is not None and not lead_scope_rule(viewer=viewer).works(record):
        # A 公海 lead, seen masked: the renewal merges into it rather than copying its
        # full mobile into a new lead (the deal's agent then takes it, audit-logged).
        ref = record.ref
    lead, status = lead_services.lead_submit_status(
        data={
            "company": lease.tenant.name,
            "contact": record.contact,
            "mobile": record.mobile,
            "need": renewal_need(lease, uplift_pct),
            "kind": lease.space.kind,
            "deal": Deal.RENT,
            "area_min_m2": lease.area_m2,
            "area_max_m2": lease.area_m2,
            "industry": lease.tenant.industry or record.industry,
            "space": lease.space.ref,
        },
        channel=Channel.OFFICE,
        actor=actor,
        consent_basis=ConsentBasis.CONTRACT,
        is_demo=lease.is_demo,
        ref=ref,
    )
    lead = _renewal_owned(lead, lease, actor, merged=status != "created")
    lease.renewal_lead = lead
    lease.save(update_fields=["renewal_lead", "updated_at"])
    audit_record(actor=actor, action="lease.renewal_open", target=lease, detail={"lead": lead.pk})
    return lead


def _renewal_owned(lead: Lead, lease: Lease, actor: Any, *, merged: bool) -> Lead:
    """The 续约 deal belongs to the lease's agent: a deal opened for the renewal (or an
    unowned lead it merged into) is handed to them, by the worker as by a manager. A
    tenant's open lead that another agent already works keeps its agent."""
    owner = lease.owner
    if owner is None or not owner.is_active or lead.stage not in OPEN_STAGES:
        return lead
    if lead.owner_id == owner.pk:
        return lead
    if merged and lead.owner_id is not None:
        return lead  # merged into an open lead another agent works
    try:
        if is_manager(actor):
            return lead_services.lead_assign(lead=lead, actor=actor, owner=owner)
        return lead_services.lead_assign_of_record(
            lead=lead, owner=owner, reason=f"renewal of lease {lease.ref}"
        )
    except (ValidationError, PermissionDenied):
        logger.warning("renewal deal not assigned", extra={"lease": lease.ref})
        return lead


def _has_successor(lease: Lease) -> bool:
    """A committed later lease of the same tenant on the same space: already renewed."""
    return (
        Lease.objects.filter(
            space_id=lease.space_id, tenant_id=lease.tenant_id, start__gt=lease.start
        )
        .exclude(pk=lease.pk)
        .exists()
    )


def expiry_warnings_send(*, today: date | None = None) -> dict[str, int]:
    """Daily (worker): for each lease active today whose last day falls within its space
    kind's warning window, warn its agent and the managers (in-app, and by mail after
    commit) and open its 续约 deal. Idempotent: a lease is warned once per end date."""
    today = today or _today()
    windows = conf.warning_days()
    horizon = today + timedelta(days=max(windows.values()))
    candidates = (
        Lease.objects.active_on(today)
        .ending_between(today, horizon)
        .select_related("space__park", "tenant", "owner")
        .order_by("end", "pk")
    )
    managers = _managers()
    created = deals = 0
    mail_to: set[int] = set()
    for lease in candidates:
        window = windows.get(lease.space.kind, max(windows.values()))
        if terms.days_left(lease.last_day, today) > window:
            continue
        recipients = {m.pk: m for m in managers}
        if lease.owner is not None and lease.owner.is_active:
            recipients[lease.owner.pk] = lease.owner
        with transaction.atomic():
            for user in recipients.values():
                _w, was_created = ExpiryWarning.objects.get_or_create(
                    lease=lease,
                    recipient=user,
                    lease_end=lease.last_day,
                    defaults={"window_days": window},
                )
                if was_created:
                    created += 1
                    mail_to.add(user.pk)
            if lease.renewal_lead_id is None and not _has_successor(lease):
                try:
                    if renewal_open(lease=lease, actor=None, today=today) is not None:
                        deals += 1
                except ValidationError:
                    logger.warning("renewal deal not opened", extra={"lease": lease.ref})
    for user_id in sorted(mail_to):
        transaction.on_commit(lambda uid=user_id: _enqueue_mail(uid))
    return {"warnings": created, "deals": deals, "recipients": len(mail_to)}


def _enqueue_mail(user_id: int) -> None:
    from parklink.leases.tasks import lease_warnings_mail

    try:
        lease_warnings_mail.enqueue(user_id)
    except Exception:  # a mail must never undo the warnings already stored
        logger.exception("lease warning mail not enqueued", extra={"user": user_id})


def lease_warnings_mail_send(*, user_id: int) -> int:
    """Mail one recipient the warnings not mailed yet (ref, space, tenant, end: no
    personal data); returns how many were in the mail."""
    from django.conf import settings
    from django.core.mail import send_mail

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    with transaction.atomic():
        pending = list(
            ExpiryWarning.objects.select_for_update()
            .filter(recipient=user, emailed_at__isnull=True)
            .select_related("lease__space__park", "lease__tenant")
            .order_by("lease_end", "pk")
        )
        if not pending:
            return 0
        # Chinese, like the other notifications: sent by the worker outside any request.
        lines = [
            f"- {w.lease.ref} {w.lease.space.park.name} {w.lease.space.ref} "
            f"{w.lease.tenant.name} {w.lease.area_m2:.0f}㎡ 到期 {w.lease_end:%Y-%m-%d}"
            for w in pending
        ]
        send_mail(
            f"[ParkLink] {len(pending)} 份租约即将到期",
            "以下租约即将到期,请跟进续约:\n" + "\n".join(lines) + "\n\n后台查看:/office/leases/\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
            fail_silently=False,
        )
        ExpiryWarning.objects.filter(pk__in=[w.pk for w in pending]).update(
            emailed_at=timezone.now()
        )
    return len(pending)


@transaction.atomic
def lease_warnings_read(*, user: Any) -> int:
    """Mark the user's warnings read."""
    return ExpiryWarning.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def renewals_propose(
    *,
    first: date,
    last: date,
    actor: Any,
    park: Any = None,
    uplift_pct: Decimal | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Bulk renewal proposals: open (and assign) the 续约 deal of every lease held today
    whose last day falls in [first, last], by the rules of ``renewal_open`` (the manager's
    view of the leads). Managers only. Counts: opened, existing, no_record (no record the
    manager may see), taken (the tenant's open lead is another agent's, outside the
    manager's teams: left to them)."""
    if not is_manager(actor):
        raise ValidationError("只有经理可以批量发起续约 / only managers propose renewals in bulk")
    if last < first:
        raise ValidationError("结束日期早于开始日期 / the range ends before it starts")
    today = today or _today()
    qs = Lease.objects.active_on(today).ending_between(first, last)
    if park is not None:
        qs = qs.filter(space__park=park)
    opened = existing = no_record = taken = 0
    for lease in qs.select_related("space__park", "tenant").order_by("end", "pk"):
        if lease.renewal_lead_id:
            existing += 1
            continue
        try:
            with transaction.atomic():
                lead = renewal_open(lease=lease, actor=actor, uplift_pct=uplift_pct, today=today)
        except RenewalRefused:
            taken += 1
            continue
        if lead is None:
            no_record += 1
        else:
            opened += 1
    return {"opened": opened, "existing": existing, "no_record": no_record, "taken": taken}
