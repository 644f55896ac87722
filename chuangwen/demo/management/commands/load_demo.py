import os

from django.core.management.base import BaseCommand, CommandError

from chuangwen.core.errors import ServiceError
from chuangwen.demo.load import load, logins_table

DEFAULT_PASSWORD = "Shiyan-Demo-2026"


class Command(BaseCommand):
    help = (
        "Load the 十堰 demo city (territory, units, pairings, one user per role, case "
        "catalogue and six months of case history); idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD))
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")
        parser.add_argument(
            "--cases", type=int, default=3000, help="cases of history to replay (0: none)"
        )

    def handle(self, *args, password: str, quiet: bool = False, cases: int = 3000, **options):
        if cases < 0:
            raise CommandError("--cases 不能为负数。")
        try:
            created, logins = load(password=password, stdout=self.stdout, cases=cases)
        except ServiceError as exc:
            raise CommandError(f"演示城市未加载:{exc.message}") from exc
        if not created:
            self.stdout.write("演示城市已存在,未作改动。")
        if not quiet and logins:
            self.stdout.write("\n演示账号(登录 http://127.0.0.1:8000/):")
            self.stdout.write(
                logins_table(logins, password if created else "(首次加载时设置的密码)")
            )
