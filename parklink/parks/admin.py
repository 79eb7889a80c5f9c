from django.contrib import admin

from parklink.parks.models import Building, Industry, Park, ParkFact, Space, SpaceChange


class ParkFactInline(admin.TabularInline):
    model = ParkFact
    extra = 0
    fields = ["kind", "label", "value", "value_text", "unit", "as_of", "source_url", "uncertain"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "operator", "founded", "is_demo"]
    list_filter = ["district", "industries"]
    search_fields = ["name", "english_name"]
    filter_horizontal = ["industries"]
    inlines = [ParkFactInline]


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
        "is_demo",
    ]
    list_filter = ["status", "kind", "deal", "park__district", "gmp", "is_demo"]
    search_fields = ["ref", "title", "park__name"]
    list_select_related = ["park"]
    raw_id_fields = ["park", "building"]


admin.site.register(Industry)
admin.site.register(Building)
admin.site.register(SpaceChange)
