"""Back-office pages of the news area: the review queue (new parks/organisations and facts
proposed by ingestion), takedown requests and ingest runs. Every decision is one call to
parklink.news.review."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parklink.core.hygiene import parse_id, parse_ids
from parklink.core.roles import is_manager
from parklink.news import review, selectors
from parklink.news.choices import EntityKind, ReviewStatus
from parklink.news.models import Fact, Mention, TakedownRequest
from parklink.office.access import manager_required, operator_required
from parklink.orgs.choices import OrgKind
from parklink.orgs.models import Organization
from parklink.parks.choices import FactKind
from parklink.parks.models import Park, ParkFact

CANDIDATES = 12


@operator_required
def queue(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    if kind not in (None, EntityKind.PARK, EntityKind.ORG):
        kind = None
    entities = Paginator(selectors.proposed_entity_list(kind=kind), 50).get_page(
        request.GET.get("page")
    )
    facts = Paginator(selectors.proposed_fact_list(), 50).get_page(request.GET.get("fpage"))
    return render(
        request,
        "office/news/queue.html",
        {
            "counts": selectors.review_counts(),
            "entities": entities,
            "facts": facts,
            "kind": kind,
        },
    )


@operator_required
@require_POST
def facts_bulk(request: HttpRequest) -> HttpResponse:
    """Accept or reject the ticked facts of the queue in one decision."""
    ids = parse_ids(request.POST.getlist("fact"))
    action = request.POST.get("action", "")
    if not ids or action not in ("accept", "reject"):
        messages.error(request, _("请勾选事实并选择采纳或驳回"))
        return redirect(reverse("office:news-queue") + "#facts")
    outcome = review.facts_bulk_review(fact_ids=ids, action=action, actor=request.user)
    messages.success(
        request,
        _("已处理 %(done)d 条事实,跳过 %(skipped)d 条(已审或无所属园区)")
        % {"done": outcome.done, "skipped": outcome.skipped},
    )
    return redirect(reverse("office:news-queue") + "#facts")


# --- Entities -----------------------------------------------------------------------------


class EntityAcceptForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    org_kind = forms.ChoiceField(
        label=gettext_lazy("机构类型"), choices=[("", "—"), *OrgKind.choices], required=False
    )
    district = forms.CharField(label=gettext_lazy("区县"), max_length=20, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("驳回理由"), max_length=300, required=False)


def _entity_candidates(mention: Mention) -> list[Park] | list[Organization]:
    """Catalogue records the proposed name may be: names containing it or contained in it."""
    text = mention.text
    model = Park if mention.kind == EntityKind.PARK else Organization
    rows = list(model.objects.filter(Q(name__icontains=text)).order_by("name")[:CANDIDATES])
    if len(rows) < CANDIDATES:
        # Names that are part of the proposed one (北京生命科学研究所 ⊃ 生命科学研究所).
        parts = {text[i:j] for i in range(len(text)) for j in range(i + 4, len(text) + 1)}
        names = sorted(parts, key=len, reverse=True)[:200]
        extra = model.objects.filter(name__in=names).exclude(pk__in=[r.pk for r in rows])
        rows += list(extra[: CANDIDATES - len(rows)])
    return rows


@operator_required
def entity_review(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        mention = selectors.mention_get(mention_id=pk)
    except Mention.DoesNotExist as exc:
        raise Http404 from exc
    if mention.status != ReviewStatus.PROPOSED or mention.kind not in selectors.REVIEWABLE_KINDS:
        messages.info(request, _("该实体已审核。"))
        return redirect("office:news-queue")
    group = list(selectors.mention_group_list(mention=mention)[:50])
    contexts = [
        (
            m,
            selectors.sentence_context(article=m.article, start=m.start, end=m.end),
        )
        for m in group
    ]
    accept_form = EntityAcceptForm(
        request.POST if request.POST.get("action") == "accept" else None,
        initial={"name": mention.text},
    )
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept" and accept_form.is_valid():
                record = review.mention_accept(
                    mention=mention,
                    actor=request.user,
                    name=accept_form.cleaned_data["name"],
                    org_kind=accept_form.cleaned_data["org_kind"],
                    district=accept_form.cleaned_data["district"],
                )
                messages.success(request, _("已新建「%(name)s」并关联。") % {"name": record})
                return redirect("office:news-queue")
            if action == "merge":
                record = _merge_target(mention, request.POST.get("target", ""))
                review.mention_merge(
                    mention=mention,
                    actor=request.user,
                    park=record if isinstance(record, Park) else None,
                    org=record if isinstance(record, Organization) else None,
                )
                messages.success(request, _("已合并到「%(name)s」。") % {"name": record})
                return redirect("office:news-queue")
            if action == "reject" and reject_form.is_valid():
                n = review.mention_reject(
                    mention=mention, actor=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("已驳回 %(n)d 处提及。") % {"n": n})
                return redirect("office:news-queue")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "office/news/entity.html",
        {
            "mention": mention,
            "contexts": contexts,
            "group_size": len(group),
            "candidates": _entity_candidates(mention),
            "accept_form": accept_form,
            "reject_form": reject_form,
            "is_park": mention.kind == EntityKind.PARK,
        },
    )


def _merge_target(mention: Mention, target: str) -> Park | Organization:
    """The record picked to merge into: an id from the candidates or a typed exact name."""
    model = Park if mention.kind == EntityKind.PARK else Organization
    target = target.strip()
    if not target:
        raise ValidationError(_("请选择或输入要合并到的记录"))
    record = None
    if parse_id(target) is not None:
        record = model.objects.filter(pk=parse_id(target)).first()
    if record is None:
        record = model.objects.filter(name=target).first()
    if record is None:
        raise ValidationError(_("找不到「%(name)s」,请确认名称") % {"name": target})
    return record


# --- Facts --------------------------------------------------------------------------------


class FactAcceptForm(forms.Form):
    park = forms.ModelChoiceField(label=gettext_lazy("园区"), queryset=Park.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=FactKind.choices)
    label = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = Park.objects.only("id", "name").order_by("name")


def _article_parks(fact: Fact) -> list[Park]:
    ids = (
        Mention.objects.filter(article_id=fact.article_id, park__isnull=False)
        .values_list("park_id", flat=True)
        .distinct()
    )
    return list(Park.objects.filter(pk__in=ids).only("id", "name").order_by("name"))


@operator_required
def fact_review(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        fact = selectors.fact_get(fact_id=pk)
    except Fact.DoesNotExist as exc:
        raise Http404 from exc
    if fact.status not in (ReviewStatus.PROPOSED, ReviewStatus.LINKED):
        messages.info(request, _("该事实已审核。"))
        return redirect("office:news-queue")
    article_parks = _article_parks(fact)
    default_park = fact.park or (article_parks[0] if len(article_parks) == 1 else None)
    action = request.POST.get("action")
    accept_form = FactAcceptForm(
        request.POST if action == "accept" else None,
        initial={
            "park": default_park.pk if default_park else None,
            "kind": review.fact_park_kind(fact.kind),
            "label": fact.subject,
        },
    )
    reject_form = RejectForm(request.POST if action == "reject" else None)
    park_for_merge = fact.park or default_park
    existing = (
        list(ParkFact.objects.filter(park=park_for_merge).order_by("kind", "as_of"))
        if park_for_merge
        else []
    )
    if request.method == "POST":
        try:
            if action == "accept" and accept_form.is_valid():
                review.fact_accept(
                    fact=fact,
                    actor=request.user,
                    park=accept_form.cleaned_data["park"],
                    kind=accept_form.cleaned_data["kind"],
                    label=accept_form.cleaned_data["label"],
                )
                messages.success(request, _("已采纳,事实已记入园区资料。"))
                return redirect("office:news-queue")
            if action == "merge":
                target = request.POST.get("park_fact", "")
                park_fact = (
                    ParkFact.objects.filter(pk=parse_id(target)).first()
                    if parse_id(target) is not None
                    else None
                )
                if park_fact is None:
                    raise ValidationError(_("请选择已有的园区事实"))
                review.fact_merge(fact=fact, actor=request.user, park_fact=park_fact)
                messages.success(request, _("已合并到已有事实。"))
                return redirect("office:news-queue")
            if action == "reject" and reject_form.is_valid():
                review.fact_reject(
                    fact=fact, actor=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("已驳回。"))
                return redirect("office:news-queue")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "office/news/fact.html",
        {
            "fact": fact,
            "context": selectors.sentence_context(
                article=fact.article, start=fact.start, end=fact.end
            ),
            "accept_form": accept_form,
            "reject_form": reject_form,
            "existing": existing,
            "article_parks": article_parks,
        },
    )


# --- Takedown requests and ingest runs -------------------------------------------------------


@operator_required
def takedowns(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show")
    handled = None if show == "all" else False
    page = Paginator(selectors.takedown_list(handled=handled), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "office/news/takedowns.html",
        {"page": page, "show": show, "can_handle": is_manager(request.user)},
    )


@require_POST
@manager_required
def takedown_handle(request: HttpRequest, pk: int) -> HttpResponse:
    takedown = get_object_or_404(TakedownRequest, pk=pk)
    take_down = request.POST.get("action") == "take_down"
    try:
        review.takedown_handle(takedown=takedown, actor=request.user, take_down=take_down)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("文章已下线。") if take_down else _("请求已关闭,文章保留。"))
    return redirect("office:news-takedowns")


@operator_required
def ingest_runs(request: HttpRequest) -> HttpResponse:
    return render(request, "office/news/runs.html", {"runs": selectors.ingest_run_list()})
