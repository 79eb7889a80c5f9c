from django.contrib import admin

from parklink.core.models import ApiToken, AuditEntry, Team


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked",
    ]
    list_filter = ["revoked"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # created in the office or by `parklink token_create` (key shown once)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    """招商 teams: a manager in a team sees the leads of its members (docs/leads.md)."""

    list_display = ["name"]
    filter_horizontal = ["members"]
    search_fields = ["name"]
