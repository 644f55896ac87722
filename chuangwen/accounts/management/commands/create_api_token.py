from django.core.management.base import BaseCommand, CommandError

from chuangwen.accounts.models import User
from chuangwen.accounts.services import api_token_create
from chuangwen.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create an API bearer token for USERNAME and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建", help="what the token is for")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        try:
            _, raw = api_token_create(user=user, name=name, actor=None)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
