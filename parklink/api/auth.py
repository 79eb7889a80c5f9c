"""Operators' token authentication for endpoints that hold personal data.

A missing or unknown key, and a key of someone without an operator role, get the generic
401; an expired or revoked key gets a 401 saying so (bilingual), so its owner knows to make
a new one in the office (/office/account/tokens/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from parklink.core.roles import is_operator
from parklink.core.services import api_token_check

MESSAGES = {
    "expired": "接口令牌已过期,请在后台重新创建 / the API token has expired; create a new one",
    "revoked": "接口令牌已撤销 / the API token has been revoked",
}


class OperatorToken(HttpBearer):
    """`Authorization: Bearer <key>`; the user must hold an operator role."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        check = api_token_check(token.strip()[:200])
        if check.reason in MESSAGES:
            raise HttpError(401, MESSAGES[check.reason])
        user = check.user
        if user is None or not is_operator(user):
            return None
        request.user = user
        return user


def optional_operator(request: HttpRequest) -> Any | None:
    """The operator behind a bearer token if one is sent and valid, else None (anonymous)."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    user = api_token_check(header[7:].strip()[:200]).user
    return user if user is not None and is_operator(user) else None
