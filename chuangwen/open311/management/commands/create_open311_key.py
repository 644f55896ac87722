from django.core.management.base import BaseCommand, CommandError

from chuangwen.cases.choices import Channel
from chuangwen.core.errors import ServiceError
from chuangwen.open311.services import open311_key_create
from chuangwen.org.choices import UnitKind
from chuangwen.org.models import Unit


def find_unit(value: str | None) -> Unit:
    """A unit by name, by the code of the territory it governs, or by id; without a
    value, the city office."""
    if not value:
        unit = Unit.objects.filter(kind=UnitKind.CITY_OFFICE, is_active=True).order_by("pk")
        if not unit.exists():
            raise CommandError("no active city office unit: name one with --unit")
        return unit.first()
    value = value.strip()
    unit = Unit.objects.filter(name=value).first() or Unit.objects.filter(short_name=value).first()
    if unit is not None:
        return unit
    governing = list(Unit.objects.filter(territory__code=value).order_by("pk"))
    if len(governing) == 1:
        return governing[0]
    if len(governing) > 1:
        names = ", ".join(u.name for u in governing)
        raise CommandError(f"several units govern territory {value}: {names}; give a name")
    if value.isdigit():
        unit = Unit.objects.filter(pk=int(value)).first()
        if unit is not None:
            return unit
    raise CommandError(f"no unit named {value!r} or with that territory code or id")


class Command(BaseCommand):
    help = "Create an Open311 API key named NAME and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the system that will use the key")
        parser.add_argument(
            "--unit", help="the unit the client belongs to: name, territory code or id"
        )
        parser.add_argument(
            "--channel",
            default=Channel.OPEN311.value,
            help="channel of the cases it submits: open311 (default) or hotline for 12345",
        )

    def handle(self, *args, name, unit, channel, **options):
        try:
            _, raw = open311_key_create(
                name=name, unit_id=find_unit(unit).pk, channel=channel, actor=None
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
