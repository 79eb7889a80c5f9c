"""The three operator roles, as Django groups (names are what operators see)."""

from __future__ import annotations

from typing import Any

ROLE_ADMIN = "管理员"
ROLE_MANAGER = "招商经理"
ROLE_AGENT = "招商专员"
ALL_ROLES = (ROLE_ADMIN, ROLE_MANAGER, ROLE_AGENT)


def has_role(user: Any, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return bool(names.intersection(roles))


def is_manager(user: Any) -> bool:
    """Managers and admins see every lead of the team, unmasked."""
    return has_role(user, ROLE_ADMIN, ROLE_MANAGER)


def is_operator(user: Any) -> bool:
    """Anyone working in the back office."""
    return has_role(user, *ALL_ROLES)


def is_admin(user: Any) -> bool:
    """Superusers and 管理员: every lead of every team."""
    return has_role(user, ROLE_ADMIN)


def team_member_ids(user: Any) -> frozenset[int] | None:
    """The ids of everyone in the teams `user` belongs to (the user included), or None when
    the user is in no team. Cached on the user object for the request."""
    cached = getattr(user, "_team_member_ids", False)
    if cached is not False:
        return cached
    from parklink.core.models import Team

    teams = Team.objects.filter(members=user)
    ids = frozenset(
        Team.members.through.objects.filter(team__in=teams).values_list("user_id", flat=True)
    )
    result = (ids | {user.pk}) if ids else None
    user._team_member_ids = result
    return result
