from django.apps import apps
from django.contrib import admin
from django.utils.translation import gettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

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


# --- django-tasks (database backend): labels in the UI language -----------------------------
# The backend ships English labels with no catalogue and an untranslatable app name; its
# field labels are translated by the office catalogues (English msgids, zh_Hans and en), the
# rest is named here. Nothing touches the model's Meta: no migration of a third-party app.
apps.get_app_config(DBTaskResult._meta.app_label).verbose_name = gettext_lazy("后台任务")


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "task_label",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=gettext_lazy("任务"), ordering="task_path")
    def task_label(self, obj: DBTaskResult) -> str:
        # The function's name from the stored path: resolving the task itself would import it
        # and check it against the configured backend, failing for a retired task.
        return obj.task_path.rsplit(".", 1)[-1]

    @admin.display(description=gettext_lazy("错误堆栈"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=gettext_lazy("计划执行时间"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
