"""Forms of the leads area: shape only. Values are validated by the services
(validation.clean_submission), whose messages are mapped back onto these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.leads.choices import (
    Channel,
    FollowUpKind,
    LostReason,
    ProjectType,
    Qualification,
    Stage,
)
from parklink.leads.validation import LeadDataError, pick
from parklink.parks.choices import Deal, SpaceKind

CONSENT_LABEL = _(
    "我同意平台为对接园区载体资源之目的处理我填写的联系人、手机号等个人信息"
    "(仅用于招商对接,可随时要求删除)"
)


class MultilineField(forms.CharField):
    """Text from a textarea. Browsers send its line breaks as CRLF (HTML form submission),
    so a text stored with LF came back "changed" on every save; line breaks are stored as
    LF whatever the browser sends."""

    def __init__(self, *, rows: int = 3, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "——"), *choices]


class LeadForm(forms.Form):
    """The portal's lead form (block and page): the six fields of the seed page plus the
    structured need. A honeypot field `website` stays empty for humans (hidden by CSS)."""

    need = MultilineField(
        label=_("需求"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("如:昌平 1000-2000 平米 GMP 厂房,做生物制剂生产")}
        ),
    )
    kind = forms.ChoiceField(label=_("载体类型"), required=False, choices=_blank(SpaceKind.choices))
    deal = forms.ChoiceField(label=_("租/买"), required=False, choices=_blank(Deal.choices))
    area_m2 = forms.CharField(
        label=_("面积(平方米)"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "1000-2000", "inputmode": "decimal"}),
    )
    use = forms.CharField(label=_("用途"), required=False)
    annual_tax_wan = forms.CharField(
        label=_("预计年纳税(万元)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    company = forms.CharField(label=_("公司"), required=False)
    contact = forms.CharField(label=_("联系人"), required=False)
    mobile = forms.CharField(
        label=_("手机号"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    uscc = forms.CharField(label=_("统一社会信用代码(选填)"), required=False)
    industry = forms.CharField(label=_("行业"), required=False)
    districts = forms.CharField(
        label=_("意向区域"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("昌平、大兴")}),
    )
    space = forms.CharField(required=False, widget=forms.HiddenInput)
    park = forms.CharField(required=False, widget=forms.HiddenInput)
    # The article the form was sent from (its id): kept on the Inquiry for "articles that
    # brought leads". Anything but an id is dropped, never an error (leads are never lost).
    article = forms.CharField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)
    website = forms.CharField(
        label=_("网站(请留空)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def submission(self) -> dict[str, object]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "website"}
        return {k: v for k, v in data.items() if v not in ("", None)} | {
            "consent": bool(self.cleaned_data.get("consent"))
        }

    def clean_article(self) -> int | None:
        value = str(self.cleaned_data.get("article") or "").strip()
        return int(value) if value.isdecimal() and 0 < int(value) < 2**31 else None

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def add_service_errors(self, exc: LeadDataError) -> None:
        """Show the active language's half of each message on its field (or the form)."""
        mapping = {"area_min_m2": "area_m2", "area_max_m2": "area_m2"}
        for name, messages in exc.messages_by_field.items():
            target = mapping.get(name, name)
            if target not in self.fields:
                target = None
            for m in messages:
                self.add_error(target, m.text)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=FollowUpKind.choices)
    note = MultilineField(label=_("内容"), max_length=2000)
    next_follow_up = forms.DateField(
        label=_("下次跟进"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices)
    lost_reason = forms.ChoiceField(
        label=_("流失原因"), required=False, choices=_blank(LostReason.choices)
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class LeadEditForm(forms.Form):
    """The 招商 record an agent keeps on a lead."""

    company = forms.CharField(label=_("公司"), required=False)
    contact = forms.CharField(label=_("联系人"))
    mobile = forms.CharField(label=_("手机号"))
    uscc = forms.CharField(label=_("统一社会信用代码"), required=False)
    industry = forms.CharField(label=_("行业"), required=False)
    registered_capital_wan = forms.CharField(label=_("注册资本(万元)"), required=False)
    founded_year = forms.CharField(label=_("成立年份"), required=False)
    staff = forms.CharField(label=_("员工人数"), required=False)
    qualifications = forms.MultipleChoiceField(
        label=_("资质"),
        required=False,
        choices=Qualification.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    project_type = forms.ChoiceField(
        label=_("项目类型"), required=False, choices=_blank(ProjectType.choices)
    )
    total_investment_wan = forms.CharField(label=_("投资总额(万元)"), required=False)
    last_year_tax_wan = forms.CharField(label=_("上年度纳税额(万元)"), required=False)
    annual_tax_wan = forms.CharField(label=_("预计入驻后年纳税(万元)"), required=False)
    last_year_sales_wan = forms.CharField(label=_("上年度开票销售额(万元)"), required=False)
    expected_sales_wan = forms.CharField(label=_("预计入驻后年开票(万元)"), required=False)
    need = MultilineField(label=_("需求"), required=False)
    use = forms.CharField(label=_("用途"), required=False)
    kind = forms.ChoiceField(label=_("载体类型"), required=False, choices=_blank(SpaceKind.choices))
    deal = forms.ChoiceField(label=_("租售"), required=False, choices=_blank(Deal.choices))
    area_min_m2 = forms.CharField(label=_("最小面积(平方米)"), required=False)
    area_max_m2 = forms.CharField(label=_("最大面积(平方米)"), required=False)
    districts = forms.CharField(label=_("意向区域"), required=False)
    score_intent = forms.ChoiceField(
        label=_("意向度"), required=False, choices=_blank([(str(i), str(i)) for i in range(1, 6)])
    )
    score_funds = forms.ChoiceField(
        label=_("资金实力"), required=False, choices=_blank([(str(i), str(i)) for i in range(1, 6)])
    )
    score_fit = forms.ChoiceField(
        label=_("区域匹配度"),
        required=False,
        choices=_blank([(str(i), str(i)) for i in range(1, 6)]),
    )
    next_follow_up = forms.DateField(
        label=_("下次跟进"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    land_mu = forms.CharField(label=_("用地面积(亩)"), required=False)
    annual_output_wan = forms.CharField(label=_("预计年产值(万元)"), required=False)
    is_high_tech = forms.NullBooleanField(label=_("高新技术企业"), required=False)
    is_specialized = forms.NullBooleanField(label=_("专精特新企业"), required=False)

    @classmethod
    def initial_for(cls, lead: Any) -> dict[str, Any]:
        """The lead's values exactly as the form renders and posts them back (numbers as
        plain text, "1500" not "1500.00"), so that saving the form unchanged is seen as
        unchanged (`has_changed()`) and every value round-trips."""
        initial: dict[str, Any] = {}
        for name in cls.base_fields:
            value = getattr(lead, name)
            if isinstance(value, Decimal):
                value = format(value.normalize(), "f")
            elif isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            initial[name] = value
        initial["districts"] = "、".join(lead.districts)
        return initial

    def add_service_errors(self, exc) -> None:
        for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            target = name if name in self.fields else None
            for m in messages:
                self.add_error(target, pick(m))


class OfficeLeadForm(LeadForm):
    """A lead entered by an operator (phone call, event…): consent basis is oral."""

    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=[
            (c, label)
            for c, label in Channel.choices
            if c not in (Channel.WEB, Channel.API, Channel.IMPORT)
        ],
    )


class EraseForm(forms.Form):
    reason = forms.CharField(label=_("删除原因(如:本人来电要求删除)"), max_length=200)
    confirm = forms.BooleanField(label=_("我确认删除该线索的全部个人信息,此操作不可撤销"))
