from django.contrib import admin

from parklink.core.admin_audit import AuditedAdminMixin
from parklink.parks import services
from parklink.parks.models import Building, Industry, Park, ParkFact, Space, SpaceChange


class ParkFactInline(admin.TabularInline):
    model = ParkFact
    extra = 0
    fields = ["kind", "label", "value", "value_text", "unit", "as_of", "source_url", "uncertain"]


@admin.register(Park)
class ParkAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "district", "operator", "founded", "is_demo"]
    list_filter = ["district", "industries"]
    search_fields = ["name", "english_name"]
    filter_horizontal = ["industries"]
    inlines = [ParkFactInline]


class SpaceChangeInline(admin.TabularInline):
    """The price/status history, read-only (written by the services)."""

    model = SpaceChange
    extra = 0
    can_delete = False
    fields = ["at", "field", "old", "new", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = [
        "ref",
        "park",
        "kind",
        "deal",
        "area_m2",
        "price",
        "price_unit",
        "status",
        "updated_at",
        "confirmed_at",
        "is_demo",
    ]
    list_filter = ["status", "kind", "deal", "park__district", "gmp", "is_demo"]
    search_fields = ["ref", "title", "park__name"]
    list_select_related = ["park"]
    raw_id_fields = ["park", "building"]
    readonly_fields = ["unit_price", "confirmed_at", "updated_at"]
    inlines = [SpaceChangeInline]
    actions = ["reconfirm"]

    def save_model(self, request, obj, form, change) -> None:
        # Through the services: validation, history, audit and the space_changed signal.
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
        }
        if change:
            original = Space.objects.get(pk=obj.pk)
            services.space_update(space=original, data=data, actor=request.user)
            obj.refresh_from_db()
        else:
            data = {
                name: form.cleaned_data[name]
                for name in services.SPACE_FIELDS
                if name in form.cleaned_data
            }
            data["building"] = form.cleaned_data.get("building")
            created = services.space_create(data=data, actor=request.user)
            obj.pk = created.pk
            obj.refresh_from_db()

    @admin.action(description="确认房源仍然有效 / reconfirm")
    def reconfirm(self, request, queryset) -> None:
        for space in queryset:
            services.space_reconfirm(space=space, actor=request.user)


@admin.register(SpaceChange)
class SpaceChangeAdmin(admin.ModelAdmin):
    list_display = ["space", "field", "old", "new", "at", "actor"]
    list_select_related = ["space", "actor"]
    raw_id_fields = ["space"]


admin.site.register(Industry)
admin.site.register(Building)
