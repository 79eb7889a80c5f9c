"""The operator's own account in the back office: API tokens (create with an expiry, the
key shown once; list; revoke). Thin: parse input, call one service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from parklink.core.models import ApiToken
from parklink.core.roles import is_admin
from parklink.core.services import DEFAULT_TOKEN_DAYS, api_token_create, api_token_revoke
from parklink.leads.validation import pick
from parklink.office.access import operator_required


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    days = forms.IntegerField(
        label=gettext_lazy("有效期(天)"), min_value=1, max_value=3650, initial=DEFAULT_TOKEN_DAYS
    )


def _tokens(request: HttpRequest):
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    return qs if is_admin(request.user) else qs.filter(user=request.user)


@operator_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(pick(m) for m in exc.messages))
        else:
            form = TokenForm()
    return render(
        request,
        "office/account/tokens.html",
        {
            "form": form,
            "key": key,  # shown once, in this response only
            "tokens": list(_tokens(request)[:200]),
            "show_owner": is_admin(request.user),
        },
        status=422 if form.errors else 200,
    )


@operator_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = _tokens(request).filter(pk=pk).first()
    if token is None:
        raise Http404  # another user's token looks exactly like a missing one
    api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("令牌 %(name)s 已撤销") % {"name": token.name})
    return redirect("office:account-tokens")
