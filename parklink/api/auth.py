"""Operators' token authentication for endpoints that hold personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from parklink.core.roles import is_operator
from parklink.core.services import api_token_authenticate


class OperatorToken(HttpBearer):
    """`Authorization: Bearer <key>`; the user must hold an operator role."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = api_token_authenticate(token)
        if user is None or not is_operator(user):
            return None
        request.user = user
        return user


def optional_operator(request: HttpRequest) -> Any | None:
    """The operator behind a bearer token if one is sent and valid, else None (anonymous)."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    user = api_token_authenticate(header[7:].strip())
    return user if user is not None and is_operator(user) else None
