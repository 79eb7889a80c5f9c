"""Back-office URLs of the operator's account (included by office/urls.py)."""

from django.urls import path

from parklink.office.views import account

urlpatterns: list = [
    path("account/tokens/", account.token_list, name="account-tokens"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke, name="account-token-revoke"),
]
