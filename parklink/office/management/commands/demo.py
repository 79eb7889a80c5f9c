"""`parklink demo`: migrate and load the demo data set. Running it twice changes nothing."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from parklink import demo


class Command(BaseCommand):
    help = "创建/迁移数据库并载入演示数据 / migrate and load the demo data set"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-migrate", action="store_true", help="skip `migrate` (already done)"
        )
        parser.add_argument(
            "--quiet-credentials", action="store_true", help="do not print the demo logins"
        )

    def handle(self, *args, **options) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        credentials = demo.run(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data ready"))
        if not options["quiet_credentials"]:
            self.stdout.write("演示账号 / demo logins (后台 /office/ ,管理 /admin/):")
            for username, _display, role in demo.DEMO_USERS:
                self.stdout.write(
                    f"  {role:<6} {username:<8} 密码 password: {credentials[username]}"
                )
