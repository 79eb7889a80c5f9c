from django.contrib import admin

from parklink.leases.models import ExpiryWarning, Lease


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ("ref", "space", "tenant", "start", "end", "terminated_on", "status", "area_m2")
    list_filter = ("status", "is_demo")
    search_fields = ("ref", "space__ref", "tenant__name")
    raw_id_fields = ("space", "tenant", "owner", "renewal_lead")
    readonly_fields = ("annual_rent_yuan", "status")

    def has_add_permission(self, request) -> bool:  # writes go through the services
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExpiryWarning)
class ExpiryWarningAdmin(admin.ModelAdmin):
    list_display = ("lease", "recipient", "lease_end", "window_days", "created_at", "read_at")
    raw_id_fields = ("lease", "recipient")
