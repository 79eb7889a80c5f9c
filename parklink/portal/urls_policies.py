"""Portal URLs of the policies area (included by portal/urls.py)."""

from django.urls import path

from parklink.portal.views import policies

urlpatterns: list = [
    path("policies/", policies.policy_index, name="policy-index"),
    path("policies/check/", policies.self_check, name="policy-check"),
    path("policies/check/result/", policies.self_check_result, name="policy-check-result"),
    path("policies/<str:ref>/", policies.policy_detail, name="policy-detail"),
    path("parks/<int:pk>/policies/", policies.park_policies, name="park-policies"),
]
