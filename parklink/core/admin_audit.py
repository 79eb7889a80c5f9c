"""Audit for admin edits of records that have no single write service for every admin
form (parks with inline facts and industries, organisations): each save and delete made in
/admin/ writes an audit entry naming the fields changed."""

from __future__ import annotations

from typing import Any

from parklink.core.services import audit_record


class AuditedAdminMixin:
    """For a ModelAdmin: audit `<label>.admin_create|admin_update|admin_delete`."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        action = "admin_update" if change else "admin_create"
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{action}",
            target=obj,
            detail={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: Any, obj: Any) -> None:
        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_delete",
            target=obj,
            detail={"name": str(obj)},
        )
        super().delete_model(request, obj)  # type: ignore[misc]
