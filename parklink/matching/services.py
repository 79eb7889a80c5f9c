"""Writes of the matching area: recommendations and 不感兴趣 marks, alerts to lead owners,
the daily digest."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from parklink.core.services import audit_record
from parklink.leads import access as lead_access
from parklink.leads.choices import FollowUpKind
from parklink.leads.models import Lead
from parklink.leads.services import follow_up_add
from parklink.matching import index as match_index
from parklink.matching.models import AlertPreference, FeedbackKind, MatchAlert, MatchFeedback
from parklink.matching.parse import missing
from parklink.matching.ranking import score_space
from parklink.matching.selectors import lead_requirement, matching_config
from parklink.parks.models import Space

logger = logging.getLogger(__name__)

# Changes of these space fields can make a space newly fit a lead.
ALERT_FIELDS = frozenset(
    {"status", "price", "price_unit", "unit_price", "area_m2", "kind", "deal", "park"}
)


def match_recommend(
    *, lead: Lead, space: Space, actor: Any, score: float | None = None
) -> MatchFeedback:
    """One click "推荐给客户": a follow-up on the lead (through the leads service) and a mark
    so the space is not proposed to this lead again."""
    lead_access.require(lead_access.can_edit(actor, lead))
    with transaction.atomic():
        feedback, created = MatchFeedback.objects.get_or_create(
            lead=lead,
            space=space,
            kind=FeedbackKind.RECOMMENDED,
            defaults={"actor": actor, "score": score},
        )
        if not created:
            raise ValidationError("该房源已推荐给此客户 / this space was already recommended")
        area = f"{space.area_m2:,.0f}㎡"
        note = f"推荐房源 {space.ref}({space.park.name},{space.kind}·{space.deal},{area})"
        if score is not None:
            note += f",匹配分 {score:.0f}"
        follow_up_add(lead=lead, actor=actor, kind=FollowUpKind.OTHER, note=note)
        audit_record(
            actor=actor,
            action="match.recommend",
            target=lead,
            detail={"space": space.pk, "ref": space.ref, "score": score},
        )
    return feedback


def match_not_interested(*, lead: Lead, space: Space, actor: Any) -> MatchFeedback:
    """Mark a space 不感兴趣 for a lead: never proposed to it again."""
    lead_access.require(lead_access.can_edit(actor, lead))
    with transaction.atomic():
        feedback, _ = MatchFeedback.objects.get_or_create(
            lead=lead, space=space, kind=FeedbackKind.NOT_INTERESTED, defaults={"actor": actor}
        )
        audit_record(
            actor=actor,
            action="match.not_interested",
            target=lead,
            detail={"space": space.pk, "ref": space.ref},
        )
    return feedback


def _wants_alert(fields: list[str], created: bool) -> bool:
    return created or bool(ALERT_FIELDS.intersection(fields))


def space_alerts_create(*, space_id: int, fields: list[str], created: bool) -> list[MatchAlert]:
    """When a space is listed or its price/status changes: alert the owners of open leads it
    now fits at or above the threshold — once per (lead, space), never for a space already
    recommended to or refused by the lead. E-mails go out at once unless the owner chose the
    daily digest."""
    if not _wants_alert(fields, created):
        return []
    cfg = matching_config()
    idx = match_index.get_index()
    if idx.row(space_id) is None:  # not available (leased, sold, withdrawn)
        return []
    done = set(MatchFeedback.objects.filter(space_id=space_id).values_list("lead_id", flat=True))
    done |= set(MatchAlert.objects.filter(space_id=space_id).values_list("lead_id", flat=True))
    leads = (
        Lead.objects.open()
        .filter(owner__isnull=False, owner__is_active=True)
        .exclude(pk__in=done)
        .select_related("owner")
    )
    trigger = "created" if created else ",".join(sorted(ALERT_FIELDS.intersection(fields)))
    alerts: list[MatchAlert] = []
    for lead in leads:
        req, _ = lead_requirement(lead)
        if missing(req):
            continue
        match = score_space(idx, space_id, req, config=cfg)
        if match is None or match.score < cfg.alert_threshold:
            continue
        try:
            with transaction.atomic():
                alert = MatchAlert.objects.create(
                    lead=lead,
                    space_id=space_id,
                    owner=lead.owner,
                    score=match.score,
                    reasons=[r.to_dict() for r in match.reasons],
                    trigger=trigger,
                    config_version=cfg.version,
                )
        except IntegrityError:  # another worker alerted first: once is enough
            continue
        alerts.append(alert)
    for alert in alerts:
        pref = AlertPreference.objects.filter(user=alert.owner).first()
        if pref is not None and (pref.daily_digest or not pref.email):
            continue
        _send_alert_mail(alert.owner, [alert])
    return alerts


def _alert_lines(alerts: list[MatchAlert]) -> list[str]:
    lines = []
    for a in alerts:
        lead_url = reverse("office:lead-detail", args=[a.lead_id])
        lines.append(
            f"- 线索 {a.lead.ref}:房源 {a.space.ref}({a.space.park.name},"
            f"{a.space.area_m2:,.0f}㎡)匹配分 {a.score:.0f} — {lead_url}"
        )
    return lines


def _send_alert_mail(user: Any, alerts: list[MatchAlert]) -> None:
    """No personal data in the mail: lead and space references and the back-office link.
    Deliberately Chinese, not gettext: the worker sends it outside any request, no per-user
    language is stored, and the recipients work in the Chinese back office."""
    if not user.email or not alerts:
        return
    subject = f"[ParkLink] {len(alerts)} 套新房源匹配您的线索"
    body = "以下房源新上架或价格/状态有变化,符合您跟进的线索:\n" + "\n".join(_alert_lines(alerts))
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
    except Exception:  # the alert is in the back-office list; the mail may be retried by digest
        logger.exception("match alert mail failed", extra={"user": user.pk})
        return
    MatchAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(emailed_at=timezone.now())


def match_digest_send(*, now: datetime | None = None) -> int:
    """The daily digest: one mail per owner who chose it, listing alerts not yet e-mailed.
    Returns the number of mails sent. Idempotent: mailed alerts are marked."""
    users = AlertPreference.objects.filter(daily_digest=True, email=True).values_list(
        "user_id", flat=True
    )
    pending = (
        MatchAlert.objects.filter(owner_id__in=list(users), emailed_at__isnull=True)
        .select_related("owner", "lead", "space", "space__park")
        .order_by("owner_id", "-score")
    )
    by_owner: dict[int, list[MatchAlert]] = defaultdict(list)
    for alert in pending:
        by_owner[alert.owner_id].append(alert)
    sent = 0
    for alerts in by_owner.values():
        before = sum(1 for a in alerts if a.emailed_at is None)
        _send_alert_mail(alerts[0].owner, alerts)
        sent += bool(before)
    return sent


def match_alerts_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    qs = MatchAlert.objects.filter(owner=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def alert_preference_set(*, user: Any, daily_digest: bool, email: bool = True) -> AlertPreference:
    pref, _ = AlertPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest, "email": email}
    )
    audit_record(
        actor=user,
        action="match.alert_preference",
        target=pref,
        detail={"daily_digest": daily_digest},
    )
    return pref
