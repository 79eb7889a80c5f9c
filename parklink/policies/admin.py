"""Admin of the policies area, for inspection and stray corrections: the office pages
(/office/policies/) are the everyday interface. Policy edits are validated like the service's
(policy_clean) and audited; proposals are decided in the office only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from parklink.core.admin_audit import AuditedAdminMixin
from parklink.policies.models import Policy, PolicyProposal
from parklink.policies.services import POLICY_FIELDS, policy_clean


class PolicyAdminForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = list(POLICY_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            clean = policy_clean(data)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return data
        data.update({k: v for k, v in clean.items() if k in self.fields})
        return data


@admin.register(Policy)
class PolicyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = PolicyAdminForm
    list_display = ("ref", "title", "region", "valid_from", "valid_to", "amount_wan_max", "is_demo")
    list_filter = ("region", "is_demo")
    search_fields = ("ref", "title", "issuer")


@admin.register(PolicyProposal)
class PolicyProposalAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("source_name", "status", "created_at", "policy")
    list_filter = ("status",)
    readonly_fields = ("digest", "status", "policy", "reviewed_by", "reviewed_at", "created_at")

    def has_add_permission(self, request: Any) -> bool:
        return False
