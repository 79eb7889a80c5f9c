"""Back-office URLs of the policies area (included by office/urls.py)."""

from django.urls import path

from parklink.office.views import policies

urlpatterns: list = [
    path("policies/", policies.policy_list, name="policy-list"),
    path("policies/new/", policies.policy_edit, name="policy-create"),
    path("policies/<int:pk>/", policies.policy_edit, name="policy-edit"),
    path("policies/<int:pk>/delete/", policies.policy_delete, name="policy-delete"),
    path("policies/review/", policies.review_queue, name="policy-review-queue"),
    path("policies/review/<int:pk>/", policies.review_detail, name="policy-review"),
    path("policies/parks/", policies.park_rules_list, name="policy-parks"),
    path("policies/parks/<int:pk>/rules/", policies.park_rules_edit, name="policy-park-rules"),
    path("policies/leads/<int:pk>/report.pdf", policies.lead_report, name="policy-lead-report"),
]
