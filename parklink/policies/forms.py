"""Forms of the policies area: shape only. Values are validated by the services
(policies.services.policy_clean, parks.services.park_rules_set, leads' lead_submit), whose
messages are mapped back onto these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parklink.core.exchange import split_list
from parklink.leads.forms import CONSENT_LABEL
from parklink.leads.validation import pick
from parklink.parks.rules import LIST_KEYS, NUMBER_KEYS
from parklink.policies.eligibility import OPS
from parklink.policies.facts import CONDITION_FIELDS, LABELS
from parklink.zh.places import BEIJING_DISTRICTS

YES_NO_UNKNOWN = [("", _("不确定")), ("是", _("是")), ("否", _("否"))]


class ListField(forms.CharField):
    """A list edited as one line, items separated by 、 or commas."""

    def prepare_value(self, value: Any) -> Any:
        return "、".join(str(v) for v in value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        return split_list(super().to_python(value) or "")


def _errors_onto(form: forms.Form, exc: Any) -> None:
    """A service's ValidationError (bilingual messages) onto the form's fields."""
    for name, messages in getattr(exc, "message_dict", {"": getattr(exc, "messages", [])}).items():
        target = name if name in form.fields else None
        for m in messages:
            form.add_error(target, pick(m))


class PolicyForm(forms.Form):
    ref = forms.CharField(label=_("编号"), max_length=64)
    title = forms.CharField(label=_("政策名称"), max_length=200)
    issuer = forms.CharField(label=_("发布机构"), max_length=100, required=False)
    region = forms.CharField(
        label=_("适用地区"),
        max_length=20,
        required=False,
        help_text=_("区县全称(如 昌平区)或 北京市"),
    )
    valid_from = forms.DateField(
        label=_("生效日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    industries = ListField(label=_("适用产业"), required=False, help_text=_("用、分隔"))
    amount_wan_max = forms.CharField(label=_("最高金额(万元)"), required=False)
    benefit = forms.CharField(
        label=_("支持内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("来源"), max_length=500, required=False)

    add_service_errors = _errors_onto


class ConditionForm(forms.Form):
    """One condition row; a row without a field is ignored."""

    field = forms.ChoiceField(
        label=_("条件字段"),
        required=False,
        choices=[("", "——"), *((f, LABELS[f][0]) for f in CONDITION_FIELDS)],
    )
    op = forms.ChoiceField(label=_("运算"), required=False, choices=[(o, o) for o in OPS])
    value = forms.CharField(
        label=_("取值"), required=False, help_text=_("in 的多个取值用、分隔;是/否")
    )

    @staticmethod
    def initial_for(condition: dict[str, Any]) -> dict[str, Any]:
        value = condition.get("value")
        shown = "、".join(_shown(v) for v in value) if isinstance(value, list) else _shown(value)
        return {"field": condition.get("field"), "op": condition.get("op"), "value": shown}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else str(value)


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, max_num=30)


def conditions_data(formset: Any) -> list[dict[str, Any]]:
    """The filled rows as condition mappings (values still text: the service parses)."""
    out = []
    for row in formset.cleaned_data:
        if not row or not row.get("field"):
            continue
        value: Any = row.get("value") or ""
        if row.get("op") == "in":
            value = split_list(value)
        out.append({"field": row["field"], "op": row.get("op") or "", "value": value})
    return out


class RulesForm(forms.Form):
    """A park's admission rules (准入条件) and their sources."""

    industries = ListField(
        label=_("准入产业"), required=False, help_text=_("留空表示不限;用、分隔")
    )
    banned_industries = ListField(label=_("禁止产业(一票否决)"), required=False)
    min_investment_wan_per_mu = forms.CharField(label=_("投资强度下限(万元/亩)"), required=False)
    min_tax_wan_per_mu = forms.CharField(label=_("亩均税收下限(万元/亩·年)"), required=False)
    min_output_wan_per_mu = forms.CharField(label=_("亩均产值下限(万元/亩·年)"), required=False)
    min_tax_yuan_per_m2 = forms.CharField(
        label=_("地均税收下限(元/平方米·年)"), required=False, help_text=_("适用于租赁载体")
    )
    veto_keywords = ListField(
        label=_("一票否决关键词"),
        required=False,
        help_text=_("如 电镀、危化品;在项目描述和行业中查找"),
    )
    rules_sources = ListField(
        label=_("来源"), required=False, help_text=_("文件名称或链接,用、分隔")
    )

    add_service_errors = _errors_onto

    def rules(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {k: data.get(k) or [] for k in LIST_KEYS}
        out.update({k: (data.get(k) or "").strip() or None for k in NUMBER_KEYS})
        return out


class ProposalUploadForm(forms.Form):
    """A policy document to read: a file (text or HTML) or pasted text."""

    file = forms.FileField(label=_("政策文件(文本或网页)"), required=False)
    text = forms.CharField(
        label=_("或粘贴政策原文"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴政策原文"))
        return data


class SelfCheckForm(forms.Form):
    """The portal's 政策自测: a few questions about the project, then the contact (the
    answers become a lead, with consent)."""

    industry = forms.CharField(
        label=_("所属行业"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("如:创新药、集成电路设计"), "list": "industry-list"}
        ),
    )
    district = forms.ChoiceField(
        label=_("意向区域"),
        required=False,
        choices=[("", _("不确定")), *((d, d) for d in BEIJING_DISTRICTS)],
    )
    total_investment_wan = forms.CharField(
        label=_("计划投资总额(万元)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    land_mu = forms.CharField(
        label=_("用地面积(亩)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    annual_tax_wan = forms.CharField(
        label=_("预计年纳税(万元)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    annual_output_wan = forms.CharField(
        label=_("预计年产值(万元)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    staff = forms.CharField(
        label=_("员工人数"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    founded_year = forms.CharField(
        label=_("成立年份"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    is_high_tech = forms.ChoiceField(
        label=_("是否高新技术企业"), required=False, choices=YES_NO_UNKNOWN
    )
    is_specialized = forms.ChoiceField(
        label=_("是否专精特新企业"), required=False, choices=YES_NO_UNKNOWN
    )
    company = forms.CharField(label=_("公司"), required=False)
    contact = forms.CharField(label=_("联系人"), required=False)
    mobile = forms.CharField(
        label=_("手机号"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(label=CONSENT_LABEL, required=False)
    website = forms.CharField(
        label=_("网站(请留空)"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    FACTS = (
        "industry",
        "total_investment_wan",
        "land_mu",
        "annual_tax_wan",
        "annual_output_wan",
        "staff",
        "founded_year",
        "is_high_tech",
        "is_specialized",
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def answers(self) -> dict[str, Any]:
        """The project facts answered (exchange-format keys; blanks left out)."""
        data = self.cleaned_data
        out: dict[str, Any] = {k: data[k] for k in self.FACTS if data.get(k) not in (None, "")}
        if data.get("district"):
            out["districts"] = [data["district"]]
        return out

    def submission(self, need: str) -> dict[str, Any]:
        """The lead `lead_submit` receives: the answers, the contact and the consent."""
        data = self.cleaned_data
        contact = {k: data[k] for k in ("company", "contact", "mobile") if data.get(k)}
        return {**self.answers(), **contact, "need": need, "consent": bool(data.get("consent"))}

    def add_service_errors(self, exc: Any) -> None:
        """Show the active language's half of each message on its field (or the form)."""
        for name, messages in exc.messages_by_field.items():
            target = "district" if name == "districts" else name
            if target not in self.fields:
                target = None
            for m in messages:
                self.add_error(target, m.text)
