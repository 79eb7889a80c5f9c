"""Admin of the news area. Review decisions belong in the back office (/office/news/),
which goes through parklink.news.review and leaves an audit trail; the admin is for
inspection and for correcting a stray record."""

from django.contrib import admin

from parklink.news.models import Article, Fact, IngestRun, Mention, Source, TakedownRequest


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "respect_robots", "min_interval_s", "created_at"]
    search_fields = ["name", "domain"]


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ["kind", "text", "start", "end", "park", "org", "status"]
    raw_id_fields = ["park", "org"]
    show_change_link = True


class FactInline(admin.TabularInline):
    model = Fact
    extra = 0
    fields = ["subject", "kind", "value", "value_text", "unit", "as_of", "park", "status"]
    raw_id_fields = ["park", "org"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category",
        "published",
        "source",
        "status",
        "views",
        "duplicate_of",
        "is_demo",
    ]
    list_filter = ["status", "category", "source", "is_demo", "language"]
    search_fields = ["title", "author", "source_ref", "url"]
    date_hierarchy = "published"
    list_select_related = ["source", "duplicate_of"]
    raw_id_fields = ["duplicate_of"]
    readonly_fields = ["content_hash", "fetched_at", "created_at", "updated_at", "views"]
    exclude = ["tokens"]
    inlines = [MentionInline, FactInline]


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "status", "article", "park", "org", "reviewed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article", "park", "org"]
    raw_id_fields = ["article", "park", "org", "reviewed_by"]


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "value", "unit", "as_of", "status", "article"]
    list_filter = ["status", "kind", "unit"]
    search_fields = ["subject", "text", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article", "park", "org", "reviewed_by"]


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "finished_at", "status", "inputs", "ok", "failed", "duplicates"]
    list_filter = ["status"]
    readonly_fields = ["started_at"]


@admin.register(TakedownRequest)
class TakedownRequestAdmin(admin.ModelAdmin):
    list_display = ["article", "name", "contact", "created_at", "handled"]
    list_filter = ["handled"]
    search_fields = ["name", "contact", "article__title"]
    raw_id_fields = ["article"]
