"""Portal pages of the news area: the list, category pages, the article page, takedown."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from parklink.core.cache import public_page
from parklink.core.site import site_name
from parklink.news import review, selectors
from parklink.news.choices import ArticleStatus, ReviewStatus
from parklink.news.models import Article
from parklink.news.templatetags.news_tags import org_url, url_of
from parklink.parks.choices import FactKind

HOT_LIMIT = 10
RELATED_LIMIT = 6
UNIT_LABELS = {"m2": "㎡", "kg/m2": "kg/㎡", "kva": "kVA", "yuan": "元", "count": ""}


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@public_page
def article_list(request: HttpRequest, category: str | None = None) -> HttpResponse:
    page = selectors.article_page(category=category, page=request.GET.get("page"))
    if category and page.paginator.count == 0:
        raise Http404(_("没有这个栏目"))
    return render(
        request,
        "portal/news/list.html",
        {
            "page": page,
            "articles": page.object_list,
            "category": category,
            "categories": selectors.article_category_list(),
            "hot": selectors.article_hot_list(limit=HOT_LIMIT, category=category),
        },
    )


def _is_prefetch(request: HttpRequest) -> bool:
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower()


def _count_cached_view(request: HttpRequest, pk: int) -> None:
    """A view served from the page cache still counts (the shown number lags by the
    cache's seconds)."""
    if request.method == "GET" and not _is_prefetch(request):
        review.article_view_count(article_id=pk, user_agent=request.headers.get("User-Agent", ""))


@public_page(on_hit=_count_cached_view)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = selectors.article_get(article_id=pk)
    except Article.DoesNotExist as exc:
        raise Http404(_("资讯不存在或已下线")) from exc
    if article.duplicate_of_id:
        # A repost: one article, one address (and none when the canonical is withdrawn).
        if article.duplicate_of.status != ArticleStatus.PUBLISHED:
            raise Http404(_("资讯不存在或已下线"))
        return redirect(article.duplicate_of, permanent=True)
    counted = False
    if request.method == "GET" and not _is_prefetch(request):
        counted = review.article_view_count(
            article_id=article.pk, user_agent=request.headers.get("User-Agent", "")
        )
    views = article.views + (1 if counted else 0)
    entities = _entities(article)
    outlet = article_outlet(article)
    return render(
        request,
        "portal/news/detail.html",
        {
            "article": article,
            "views": views,
            "entities": entities,
            "facts": _facts(article),
            "related": selectors.article_related_list(article=article, limit=RELATED_LIMIT),
            "hot": selectors.article_hot_list(limit=HOT_LIMIT, exclude_id=article.pk),
            "outlet": outlet,
            "author": article_author(article),
            "copyright_line": copyright_text(article, outlet),
            "original_notice": _original_notice(article),
            "share_url": request.build_absolute_uri(article.get_absolute_url()),
        },
    )


# A CMS account is not an author ("admin6个月前" on the seed page).
GENERIC_AUTHORS = {"admin", "administrator", "editor", "管理员", "小编", "编辑", "网站编辑", "佚名"}
_PUBLISHED_BY = re.compile(r"本文由\s*(?P<name>[^\s,,。;;]{2,30}?)\s*(?:发布|整理|原创)")


def article_outlet(article: Article) -> str:
    """The original outlet: ``Article.outlet`` where ingestion found it, else the source's
    name, else the outlet a copyright line names ("本文由北京厂房网发布")."""
    outlet = (getattr(article, "outlet", "") or "").strip()
    if not outlet and article.source_id and article.source:
        outlet = article.source.name.strip()
    if not outlet:
        for line in (
            article.copyright_line,
            article.source.copyright_line if article.source else "",
        ):
            m = _PUBLISHED_BY.search(line or "")
            if m:
                outlet = m.group("name")
                break
    return outlet


def article_author(article: Article) -> str:
    author = (article.author or "").strip()
    return "" if author.lower() in GENERIC_AUTHORS else author


def copyright_text(article: Article, outlet: str) -> str:
    """The copyright line, true to where the article comes from: a reprint names its outlet
    and author as the rights holders; only our own articles say we published them."""
    author = article_author(article)
    if outlet and author:
        return _(
            "本文转载自%(outlet)s,作者%(author)s,版权归原作者及%(outlet)s所有;"
            "如涉及版权问题,请联系我们删除。"
        ) % {"outlet": outlet, "author": author}
    if outlet:
        return _(
            "本文转载自%(outlet)s,版权归原作者及%(outlet)s所有;如涉及版权问题,请联系我们删除。"
        ) % {"outlet": outlet}
    if article.url or article.source_ref:
        return _("本文来自公开报道,版权归原作者所有;如涉及版权问题,请联系我们删除。")
    return _("本文由%(site)s编辑发布。") % {"site": site_name()}


def _original_notice(article: Article) -> str:
    """The original page's own copyright notice, quoted as it was."""
    return (
        article.copyright_line or (article.source.copyright_line if article.source else "")
    ).strip()


def _entities(article: Article) -> list[dict[str, str]]:
    """The recognised parks and organisations of an article, each once, in body order."""
    seen: dict[tuple[str, int], dict[str, str]] = {}
    for m in article.mentions.all():
        if m.status not in selectors.RESOLVED_STATUSES:
            continue
        target = m.park or m.org
        if target is None:
            continue
        key = ("park" if m.park_id else "org", target.pk)
        url = url_of(target) if key[0] == "park" else org_url(target)
        seen.setdefault(key, {"name": target.name, "kind": key[0], "url": url})
    return list(seen.values())


def _facts(article: Article) -> list[dict[str, str]]:
    """The article's facts as shown under it (rejected ones are not shown)."""
    kinds = dict(FactKind.choices)
    rows = []
    for f in article.facts.all():
        if f.status == ReviewStatus.REJECTED:
            continue
        value = f.value_text or (
            f"{f.value.normalize():f} {UNIT_LABELS.get(f.unit, f.unit)}"
            if f.value is not None
            else ""
        )
        rows.append(
            {
                "subject": f.park.name if f.park else f.subject,
                "park_url": url_of(f.park) if f.park else "",
                "kind": kinds.get(f.kind, f.kind),
                "value": value,
                "as_of": f.as_of,
            }
        )
    return rows


class TakedownForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("权利人"), max_length=100)
    contact = forms.CharField(
        label=gettext_lazy("联系方式"),
        max_length=100,
        help_text=gettext_lazy("电话或电子邮箱,仅用于处理本请求"),
    )
    reason = forms.CharField(
        label=gettext_lazy("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("请说明您的权利依据,如原文链接、著作权证明"),
    )
    # Bots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1"}))


@require_http_methods(["GET", "POST"])
def article_takedown(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        article = selectors.article_get(article_id=pk)
    except Article.DoesNotExist as exc:
        raise Http404(_("资讯不存在或已下线")) from exc
    form = TakedownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect(article)  # a bot: pretend all is well, store nothing
        try:
            review.takedown_request_submit(
                article=article,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                reason=form.cleaned_data["reason"],
                ip=_client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已收到您的删除请求,我们会尽快核实处理。"))
            return redirect(article)
    return render(request, "portal/news/takedown.html", {"article": article, "form": form})
