"""`parklink token_create USERNAME [--name NAME] [--days N]`: an API token for an operator.

The key is printed once and never stored (only its SHA-256 is)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parklink.core.roles import is_operator
from parklink.core.services import api_token_create


class Command(BaseCommand):
    help = "为招商人员创建接口令牌 / create an API token for an operator"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="a label for the token")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="validity in days (default PARKLINK_API_TOKEN_DAYS, 90)",
        )

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在 / no such user: {options['username']}")
        if not user.is_active or not is_operator(user):
            raise CommandError(
                "该用户不是在职的招商人员(管理员/招商经理/招商专员)/ "
                "the user is not an active operator"
            )
        try:
            token, key = api_token_create(
                user=user, name=options["name"][:100], days=options["days"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(key)
        self.stderr.write(
            f"令牌已创建(仅显示一次,{token.expires_at:%Y-%m-%d} 到期)/ token created, shown "
            f"once, expires {token.expires_at:%Y-%m-%d}: {token.name} {token.prefix}…"
        )
