from django.contrib import admin

from parklink.orgs.models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "industry", "park", "uscc"]
    list_filter = ["kind", "park"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["park"]
