from django.contrib import admin

from parklink.core.admin_audit import AuditedAdminMixin
from parklink.orgs.models import Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "industry", "park", "uscc"]
    list_filter = ["kind", "park"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["park"]
