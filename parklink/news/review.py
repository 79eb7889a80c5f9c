"""Editorial writes of the news area: the review queue, takedown requests, view counts.

Review decisions (each atomic, each audited, nothing else touched):
- a proposed park/organisation (a Mention with status "proposed") is **accepted** (a new
  Park/Organization is created through the catalogue's services and linked), **merged** into an existing record (linked;
  the mentioned name becomes an alias so the next ingest links it by itself) or
  **rejected**. One decision covers every proposed mention of the same kind and name.
- a proposed fact is **accepted** (a ParkFact with origin "article", the article id, its
  title/URL and the sentence is created on the chosen park), **merged** into an existing
  ParkFact of that park that states the same thing (no new row), or **rejected**.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from parklink.core.services import audit_record
from parklink.news.choices import ArticleStatus, EntityKind, ReviewStatus
from parklink.news.models import Article, Fact, Mention, TakedownRequest
from parklink.orgs.choices import OrgKind
from parklink.orgs.models import Organization
from parklink.orgs.services import org_create, org_update
from parklink.parks.choices import FactKind, FactOrigin
from parklink.parks.models import Park, ParkFact
from parklink.parks.services import park_create, park_fact_add, park_update

# --- Entities ---------------------------------------------------------------------------


def _proposed_group(mention: Mention) -> list[Mention]:
    """The mention and every other proposed mention with the same kind and text, locked."""
    if mention.status != ReviewStatus.PROPOSED:
        raise ValidationError(_("该实体已审核过,不能重复处理"))
    if mention.kind not in (EntityKind.PARK, EntityKind.ORG):
        raise ValidationError(_("只有园区和机构需要审核"))
    return list(
        Mention.objects.select_for_update()
        .filter(status=ReviewStatus.PROPOSED, kind=mention.kind, text=mention.text)
        .order_by("id")
    )


def _resolve(
    group: list[Mention], *, status: str, actor: Any, park: Park | None, org: Organization | None
) -> None:
    now = timezone.now()
    Mention.objects.filter(pk__in=[m.pk for m in group]).update(
        status=status,
        park=park,
        org=org,
        reviewed_by=actor if getattr(actor, "is_authenticated", False) else None,
        reviewed_at=now,
    )


def _guess_org_kind(name: str) -> str:
    """The kind of a new organisation, from the shape of its name."""
    rules = (
        (r"(大学|学院)$", OrgKind.UNIVERSITY),
        (r"(研究所|研究院|研究中心|实验室|工程中心|科学中心)([((].*[))])?$", OrgKind.INSTITUTE),
        (r"医院$", OrgKind.HOSPITAL),
        (r"(基金|资本|投资)", OrgKind.INVESTOR),
    )
    for pattern, kind in rules:
        if re.search(pattern, name):
            return kind
    return OrgKind.ENTERPRISE


@transaction.atomic
def mention_accept(
    *, mention: Mention, actor: Any, name: str = "", org_kind: str = "", district: str = ""
) -> Park | Organization:
    """Create the proposed park or organisation (named `name`, default the mentioned text)
    and link every proposed mention of it. The mentioned text becomes an alias when the
    record is named differently. Refuses a name the catalogue already holds (merge instead).
    """
    group = _proposed_group(mention)
    name = (name or mention.text).strip()
    aliases = [mention.text] if mention.text != name else []
    article = mention.article
    sources = [article.url or article.get_absolute_url()]
    record: Park | Organization
    if mention.kind == EntityKind.PARK:
        if Park.objects.filter(name=name).exists():
            raise ValidationError(_("园区「%(name)s」已存在,请选择合并") % {"name": name})
        record = park_create(
            data={"name": name, "aliases": aliases, "district": district, "sources": sources},
            actor=actor,
        )
    else:
        if Organization.objects.filter(name=name).exists():
            raise ValidationError(_("机构「%(name)s」已存在,请选择合并") % {"name": name})
        record = org_create(
            data={
                "name": name,
                "aliases": aliases,
                "kind": org_kind or _guess_org_kind(name),
                "sources": sources,
            },
            actor=actor,
        )
    is_park = isinstance(record, Park)
    _resolve(
        group,
        status=ReviewStatus.ACCEPTED,
        actor=actor,
        park=record if is_park else None,
        org=None if is_park else record,
    )
    audit_record(
        actor=actor,
        action="news.entity.accept",
        target=record,
        detail={"text": mention.text, "kind": mention.kind, "mentions": [m.pk for m in group]},
    )
    return record


@transaction.atomic
def mention_merge(
    *,
    mention: Mention,
    actor: Any,
    park: Park | None = None,
    org: Organization | None = None,
) -> Park | Organization:
    """Link every proposed mention of this name to an existing park or organisation and
    add the name to that record's aliases (if it is not already one of its names)."""
    group = _proposed_group(mention)
    if (park is None) == (org is None):
        raise ValidationError(_("请选择一个要合并到的园区或机构"))
    record: Park | Organization = park if park is not None else org  # type: ignore[assignment]
    record = type(record).objects.select_for_update().get(pk=record.pk)
    alias_added = False
    if mention.text not in record.all_names:
        data = {"aliases": [*record.aliases, mention.text]}
        if isinstance(record, Park):
            park_update(park=record, data=data, actor=actor)
        else:
            org_update(org=record, data=data, actor=actor)
        alias_added = True
    is_park = isinstance(record, Park)
    _resolve(
        group,
        status=ReviewStatus.MERGED,
        actor=actor,
        park=record if is_park else None,
        org=None if is_park else record,
    )
    audit_record(
        actor=actor,
        action="news.entity.merge",
        target=record,
        detail={
            "text": mention.text,
            "kind": mention.kind,
            "mentions": [m.pk for m in group],
            "alias_added": alias_added,
        },
    )
    return record


@transaction.atomic
def mention_reject(*, mention: Mention, actor: Any, reason: str = "") -> int:
    """Reject every proposed mention of this name (not a park/organisation worth keeping).
    Returns how many mentions were rejected."""
    group = _proposed_group(mention)
    _resolve(group, status=ReviewStatus.REJECTED, actor=actor, park=None, org=None)
    audit_record(
        actor=actor,
        action="news.entity.reject",
        target=mention,
        detail={
            "text": mention.text,
            "kind": mention.kind,
            "mentions": [m.pk for m in group],
            "reason": reason[:300],
        },
    )
    return len(group)


# --- Facts ------------------------------------------------------------------------------


def fact_park_kind(kind: str) -> str:
    """The ParkFact kind for an extracted fact kind (unknown kinds become "other")."""
    return kind if kind in FactKind.values else FactKind.OTHER


def _locked_proposed_fact(fact: Fact) -> Fact:
    locked = Fact.objects.select_for_update().select_related("article").get(pk=fact.pk)
    # A linked fact (agreed with the catalogue, or added to a known park without conflict)
    # needed no review, but an operator may still record it on the catalogue.
    if locked.status not in (ReviewStatus.PROPOSED, ReviewStatus.LINKED):
        raise ValidationError(_("该事实已审核过,不能重复处理"))
    return locked


def _fact_reviewed(fact: Fact, *, status: str, actor: Any, park: Park | None, park_fact_id) -> None:
    fact.status = status
    fact.park = park
    fact.park_fact_id = park_fact_id
    fact.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    fact.reviewed_at = timezone.now()
    fact.save(update_fields=["status", "park", "park_fact_id", "reviewed_by", "reviewed_at"])


@transaction.atomic
def fact_accept(
    *, fact: Fact, actor: Any, park: Park | None = None, kind: str = "", label: str = ""
) -> ParkFact:
    """Record the fact on `park` (default: the park ingestion linked it to) as a ParkFact
    with its provenance: origin "article", the article id, title and URL, the sentence."""
    fact = _locked_proposed_fact(fact)
    park = park or fact.park
    if park is None:
        raise ValidationError(_("请选择该事实所属的园区"))
    article = fact.article
    park_fact = park_fact_add(
        park=park,
        data={
            "kind": fact_park_kind(kind or fact.kind),
            "label": (label or _fact_label(fact))[:200],
            "value": fact.value,
            "value_text": (fact.value_text or _format_value(fact.value))[:200],
            "unit": fact.unit,
            "as_of": fact.as_of,
            "source_url": article.url[:500],
            "source_title": article.title[:300],
            "source_text": fact.text,
            "origin": FactOrigin.ARTICLE,
            "article_id": article.pk,
        },
        actor=actor,
    )
    _fact_reviewed(
        fact, status=ReviewStatus.ACCEPTED, actor=actor, park=park, park_fact_id=park_fact.pk
    )
    audit_record(
        actor=actor,
        action="news.fact.accept",
        target=fact,
        detail={"park_fact": park_fact.pk, "park": park.pk, "article": article.pk},
    )
    return park_fact


@transaction.atomic
def fact_merge(*, fact: Fact, actor: Any, park_fact: ParkFact) -> ParkFact:
    """Mark the fact as already known: it states what `park_fact` holds. No row is created."""
    fact = _locked_proposed_fact(fact)
    _fact_reviewed(
        fact,
        status=ReviewStatus.MERGED,
        actor=actor,
        park=park_fact.park,
        park_fact_id=park_fact.pk,
    )
    audit_record(
        actor=actor,
        action="news.fact.merge",
        target=fact,
        detail={"park_fact": park_fact.pk, "park": park_fact.park_id, "article": fact.article_id},
    )
    return park_fact


@transaction.atomic
def fact_reject(*, fact: Fact, actor: Any, reason: str = "") -> Fact:
    fact = _locked_proposed_fact(fact)
    _fact_reviewed(
        fact, status=ReviewStatus.REJECTED, actor=actor, park=fact.park, park_fact_id=None
    )
    audit_record(
        actor=actor,
        action="news.fact.reject",
        target=fact,
        detail={"article": fact.article_id, "reason": reason[:300]},
    )
    return fact


@dataclass(frozen=True)
class BulkOutcome:
    done: int
    skipped: int  # already reviewed, or accepted without a park to record it on


@transaction.atomic
def facts_bulk_review(*, fact_ids: list[int], action: str, actor: Any) -> BulkOutcome:
    """Accept or reject many proposed facts at once (each audited as if decided alone).
    Accepting records each fact on the park ingestion linked it to; facts without one, and
    facts already reviewed, are skipped and counted."""
    if action not in ("accept", "reject"):
        raise ValidationError(_("未知操作"))
    done = skipped = 0
    for fact in Fact.objects.filter(pk__in=fact_ids, status=ReviewStatus.PROPOSED).order_by("id"):
        if action == "accept" and fact.park_id is None:
            skipped += 1
            continue
        if action == "accept":
            fact_accept(fact=fact, actor=actor)
        else:
            fact_reject(fact=fact, actor=actor, reason="bulk")
        done += 1
    skipped += len(set(fact_ids)) - done - skipped
    return BulkOutcome(done=done, skipped=skipped)


def _format_value(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


def _fact_label(fact: Fact) -> str:
    return (
        f"{fact.subject} {FactKind(fact.kind).label}"
        if fact.kind in FactKind.values
        else (f"{fact.subject} {fact.kind}")
    )


# --- Takedown requests ------------------------------------------------------------------


@transaction.atomic
def takedown_request_submit(
    *, article: Article, name: str, contact: str, reason: str, ip: str | None = None
) -> TakedownRequest:
    """A rights holder asks for an article to be taken down; operators handle it."""
    req = TakedownRequest(
        article=article, name=name.strip(), contact=contact.strip(), reason=reason.strip()
    )
    req.full_clean()
    req.save()
    audit_record(actor=None, action="news.takedown.submit", target=req, ip=ip)
    return req


@transaction.atomic
def takedown_handle(*, takedown: TakedownRequest, actor: Any, take_down: bool) -> TakedownRequest:
    """Close a takedown request; with `take_down` the article leaves the portal (status
    "taken_down"), otherwise it stays published."""
    takedown = TakedownRequest.objects.select_for_update().get(pk=takedown.pk)
    if takedown.handled:
        raise ValidationError(_("该请求已处理"))
    takedown.handled = True
    takedown.save(update_fields=["handled"])
    if take_down:
        Article.objects.filter(pk=takedown.article_id).update(
            status=ArticleStatus.TAKEN_DOWN, updated_at=timezone.now()
        )
    audit_record(
        actor=actor,
        action="news.takedown.handle",
        target=takedown,
        detail={"article": takedown.article_id, "taken_down": take_down},
    )
    return takedown


# --- Views ------------------------------------------------------------------------------

_BOT_UA = re.compile(
    r"bot|spider|crawl|slurp|fetch|preview|monitor|curl|wget|python-|httpx|go-http|java/|"
    r"okhttp|libwww|scrapy|headlesschrome/.*lighthouse|facebookexternalhit|bytespider",
    re.I,
)


def is_bot(user_agent: str) -> bool:
    """Crawlers, link previewers and scripts (and requests without a user agent)."""
    return not user_agent.strip() or bool(_BOT_UA.search(user_agent))


def article_view_count(*, article_id: int, user_agent: str) -> bool:
    """Count one human view: a single UPDATE … SET views = views + 1 (no read-modify-write,
    no lock held across the request). Bots are not counted. Returns whether it counted."""
    if is_bot(user_agent):
        return False
    return bool(Article.objects.filter(pk=article_id).update(views=F("views") + 1))
