from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chuangwen.core.workcalendar import TimeType, get_calendar


class Command(BaseCommand):
    help = "Print the deadline (ISO 8601 with offset) for a start instant and a time limit."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="e.g. 2026-09-30T17:00 (local time)")
        parser.add_argument("--value", required=True, type=float)
        parser.add_argument("--type", required=True, choices=TimeType.values, dest="time_type")

    def handle(self, *args, start: str, value: float, time_type: str, **options):
        try:
            moment = datetime.fromisoformat(start)
        except ValueError as exc:
            raise CommandError(f"--start is not an ISO 8601 date-time: {start}") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        if value < 0:
            raise CommandError("--value cannot be negative")
        deadline = get_calendar().deadline(moment, value, time_type)
        self.stdout.write(deadline.isoformat(timespec="seconds"))
