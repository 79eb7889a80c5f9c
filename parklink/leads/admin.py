"""Admin of the leads area. Personal data (contact, mobile, raw submissions) is left out:
it is seen in the back office, where views are masked and audit-logged."""

from django.contrib import admin

from parklink.leads.models import AssignmentRule, FollowUp, Inquiry, Lead, LeadTrace, Tag


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["ref", "company", "stage", "grade", "owner", "channel", "is_demo"]
    list_filter = ["stage", "grade", "channel", "is_demo"]
    search_fields = ["ref", "company", "industry"]
    exclude = ["contact", "mobile"]
    readonly_fields = ["ref", "channel", "consent_basis", "consent_at", "last_inquiry_at"]
    raw_id_fields = ["owner"]

    def has_add_permission(self, request):
        return False  # leads come in through lead_submit (validation, merging, audit)

    def has_change_permission(self, request, obj=None):
        return False  # changes go through the back office so they are audit-logged

    def has_delete_permission(self, request, obj=None):
        return False  # erasure (PIPL) leaves a trace: use the back office


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["lead", "channel", "received_at", "merged", "consent"]
    list_filter = ["channel", "merged"]
    exclude = ["data", "ip_hash", "user_agent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["lead", "kind", "at", "author", "next_follow_up"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AssignmentRule)
class AssignmentRuleAdmin(admin.ModelAdmin):
    list_display = ["industry", "agent"]
    raw_id_fields = ["agent"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(LeadTrace)
class LeadTraceAdmin(admin.ModelAdmin):
    list_display = ["created_month", "erased_at", "channel", "stage", "industry"]
    list_filter = ["channel", "stage"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
