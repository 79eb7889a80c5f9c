"""Back-office URLs of the leads area (included by office/urls.py)."""

from django.urls import path

from parklink.office.views import lead_merge, leads

urlpatterns: list = [
    path("leads/", leads.lead_list, name="lead-list"),
    path("leads/board/", leads.lead_board, name="lead-board"),
    path("leads/pool/", leads.lead_pool, name="lead-pool"),
    path("leads/new/", leads.lead_create, name="lead-create"),
    path("leads/export.xlsx", leads.lead_export, name="lead-export"),
    path("leads/<int:pk>/", leads.lead_detail, name="lead-detail"),
    path("leads/<int:pk>/edit/", leads.lead_edit, name="lead-edit"),
    path("leads/<int:pk>/reveal/", leads.lead_reveal, name="lead-reveal"),
    path("leads/<int:pk>/follow-up/", leads.lead_follow_up, name="lead-follow-up"),
    path("leads/<int:pk>/stage/", leads.lead_stage, name="lead-stage"),
    path("leads/<int:pk>/assign/", leads.lead_assign, name="lead-assign"),
    path("leads/<int:pk>/claim/", leads.lead_claim, name="lead-claim"),
    path("leads/<int:pk>/release/", leads.lead_release, name="lead-release"),
    path("leads/<int:pk>/tags/", leads.lead_tags, name="lead-tags"),
    path("leads/<int:pk>/erase/", leads.lead_erase, name="lead-erase"),
    path("leads/<int:pk>/merge/", lead_merge.lead_merge, name="lead-merge"),
    path("leads/<int:pk>/split/", lead_merge.lead_split, name="lead-split"),
]
