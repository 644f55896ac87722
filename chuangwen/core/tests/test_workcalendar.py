import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from chuangwen.core import workcalendar
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent, CalendarDay
from chuangwen.core.services import calendar_day_clear, calendar_day_set
from chuangwen.core.workcalendar import TimeType, WorkCalendar, parse_periods
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

TZ = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar(periods=parse_periods("08:00-12:00,14:00-18:00"))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


# The State Council's schedules: holidays and the swapped working weekends.
@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-01-26", True),  # Sunday, worked for the Spring Festival
        ("2025-01-28", False),
        ("2025-02-04", False),
        ("2025-02-08", True),  # Saturday, worked
        ("2025-09-28", True),  # Sunday, worked for National Day
        ("2025-10-01", False),
        ("2025-10-08", False),
        ("2025-10-11", True),  # Saturday, worked
        ("2026-02-14", True),  # Saturday, worked for the Spring Festival
        ("2026-02-15", False),
        ("2026-02-23", False),
        ("2026-02-28", True),
        ("2026-09-20", True),  # Sunday, worked for National Day
        ("2026-10-01", False),
        ("2026-10-07", False),
        ("2026-10-10", True),  # Saturday, worked
    ],
)
def test_official_days(day, working):
    assert CAL.is_workday(date.fromisoformat(day)) is working


@pytest.mark.parametrize(
    ("start", "value", "time_type", "expected"),
    [
        ("2026-09-30T17:00", 4, "work_hours", "2026-10-08T11:00"),  # one hour, then the holiday
        ("2026-09-30T17:00", 1, "work_days", "2026-10-08T17:00"),
        ("2026-09-30T17:00", 2, "emergency_hours", "2026-09-30T19:00"),
        ("2026-09-30T17:00", 3, "natural_days", "2026-10-03T17:00"),
        ("2026-02-13T16:00", 1, "work_days", "2026-02-14T16:00"),  # the swapped Saturday counts
        ("2026-10-09T17:00", 2, "work_hours", "2026-10-10T09:00"),
        ("2025-09-30T10:00", 4, "work_hours", "2025-09-30T16:00"),  # lunch does not count
        ("2026-11-25T08:00", 4, "work_hours", "2026-11-25T12:00"),  # ends at the period's end
        ("2026-11-25T12:30", 0.5, "work_hours", "2026-11-25T14:30"),  # starts after lunch
        ("2026-11-28T10:00", 1, "work_hours", "2026-11-30T09:00"),  # a Saturday start waits
        ("2026-11-25T09:00", 0, "work_hours", "2026-11-25T09:00"),
    ],
)
def test_deadlines(start, value, time_type, expected):
    assert CAL.deadline(at(start), value, time_type) == at(expected)


def test_elapsed_minutes():
    assert CAL.elapsed_minutes(at("2026-09-30T17:00"), at("2026-10-08T11:00"), "work_hours") == 240
    assert (
        CAL.elapsed_minutes(at("2026-09-30T17:00"), at("2026-10-08T11:00"), "emergency_hours")
        == 7 * 24 * 60 + 18 * 60
    )
    assert CAL.elapsed_minutes(at("2026-10-08T11:00"), at("2026-09-30T17:00"), "work_hours") == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        (
            {"start": datetime(2026, 1, 1, 8), "value": 1, "time_type": "work_hours"},
            ValueError,
        ),  # naive
        ({"start": at("2026-01-05T08:00"), "value": -1, "time_type": "work_hours"}, ValueError),
        ({"start": at("2026-01-05T08:00"), "value": 1, "time_type": "fortnights"}, ValueError),
        ({"start": at("1999-12-01T08:00"), "value": 1, "time_type": "work_hours"}, ValueError),
    ],
)
def test_bad_input(kwargs, error):
    with pytest.raises(error):
        CAL.deadline(**kwargs)


@pytest.mark.parametrize(
    "text", ["", "8-12", "08:00-12:00,11:00-13:00", "14:00-08:00", "08:00-25:00"]
)
def test_bad_work_periods(text):
    with pytest.raises(ValueError):
        parse_periods(text)


def test_years_beyond_the_package_keep_working():
    # Weekends off, fixed-date statutory holidays off, other weekdays on; never an exception.
    assert CAL.is_workday(date(2031, 1, 1)) is False  # 元旦, a Wednesday
    assert CAL.is_workday(date(2031, 5, 2)) is False
    assert CAL.is_workday(date(2031, 10, 3)) is False
    assert CAL.is_workday(date(2031, 1, 4)) is False  # Saturday
    assert CAL.is_workday(date(2031, 1, 6)) is True
    assert CAL.deadline(at("2030-12-31T17:00"), 2, "work_hours") == at("2031-01-02T09:00")


def test_administrator_entries_win():
    cal = WorkCalendar(
        periods=parse_periods("08:00-12:00,14:00-18:00"),
        overrides={date(2027, 2, 6): False, date(2027, 2, 20): True},
    )
    assert cal.is_workday(date(2027, 2, 6)) is False
    assert cal.is_workday(date(2027, 2, 20)) is True  # a Saturday entered as worked
    assert cal.deadline(at("2027-02-19T17:00"), 2, "work_hours") == at("2027-02-20T09:00")


aware = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(TZ)
)
work_types = st.sampled_from([TimeType.WORK_HOURS, TimeType.WORK_DAYS])
any_type = st.sampled_from(list(TimeType))
limits = st.floats(min_value=0, max_value=30, allow_nan=False).map(lambda v: round(v, 2))


@hsettings(max_examples=300, deadline=None)
@given(start=aware, value=limits, time_type=any_type)
def test_elapsed_time_to_the_deadline_is_the_limit(start, value, time_type):
    end = CAL.deadline(start, value, time_type)
    assert end >= start
    assert CAL.elapsed_minutes(start, end, time_type) == pytest.approx(
        CAL.limit_minutes(value, time_type), abs=1e-6
    )


@hsettings(max_examples=300, deadline=None)
@given(start=aware, value=limits.filter(lambda v: v > 0), time_type=work_types)
def test_work_deadlines_fall_inside_work_time(start, value, time_type):
    end = CAL.deadline(start, value, time_type)
    assert CAL.is_workday(end.date())
    minute = end.hour * 60 + end.minute + end.second / 60
    assert any(s < minute <= e + 1e-6 for s, e in CAL.periods)


@hsettings(max_examples=200, deadline=None)
@given(start=aware, a=limits, b=limits, time_type=any_type)
def test_deadlines_grow_with_the_limit(start, a, b, time_type):
    low, high = sorted((a, b))
    assert CAL.deadline(start, low, time_type) <= CAL.deadline(start, high, time_type)


@pytest.mark.django_db
def test_deadline_command_agrees_with_the_2026_calendar():
    out = io.StringIO()
    call_command(
        "deadline",
        "--start",
        "2026-09-30T17:00",
        "--value",
        "4",
        "--type",
        "work_hours",
        stdout=out,
    )
    assert out.getvalue().strip() == "2026-10-08T11:00:00+08:00"


@pytest.mark.django_db
def test_deadline_command_rejects_bad_input():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("deadline", "--start", "yesterday", "--value", "4", "--type", "work_hours")
    with pytest.raises(CommandError):
        call_command(
            "deadline", "--start", "2026-09-30T17:00", "--value", "-4", "--type", "work_hours"
        )


@pytest.mark.django_db
def test_calendar_entries_feed_the_process_calendar(city, settings):
    settings.CALENDAR_RECHECK_SECONDS = 0
    admin = city.user(Role.CITY_ADMIN, "city")
    assert workcalendar.years_missing_schedule(date(2026, 11, 25)) == [2027]
    monday = date(2027, 2, 8)
    assert workcalendar.get_calendar().is_workday(monday) is True  # by rule
    day = calendar_day_set(day=monday, is_workday=False, name="春节", actor=admin)
    assert workcalendar.get_calendar().is_workday(monday) is False
    assert workcalendar.years_missing_schedule(date(2026, 11, 25)) == []
    assert (
        AuditEvent.objects.get(action="core.calendar_day_set", object_id=str(day.pk)).actor == admin
    )
    calendar_day_set(day=date(2027, 2, 6), is_workday=True, name="调休上班", actor=admin)
    assert workcalendar.get_calendar().is_workday(date(2027, 2, 6)) is True  # a Saturday
    assert CalendarDay.objects.count() == 2
    calendar_day_clear(day=monday, actor=admin)
    assert workcalendar.get_calendar().is_workday(monday) is True  # back to the rule
    with pytest.raises(ServiceError, match="没有调整记录"):
        calendar_day_clear(day=monday, actor=admin)


@pytest.mark.django_db
@pytest.mark.parametrize("day", [None, "2027-02-06", date(1999, 1, 1)])
def test_calendar_day_set_rejects_bad_dates(day):
    with pytest.raises(ServiceError):
        calendar_day_set(day=day, is_workday=True, actor=None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.CITY_ADMIN}))
def test_only_city_admins_edit_the_calendar(city, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        calendar_day_set(day=date(2027, 2, 6), is_workday=True, actor=user)


@pytest.mark.django_db
def test_admins_see_a_warning_for_a_year_without_schedule(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "city", is_staff=True))
    page = client.get("/").content.decode()
    assert "年的法定节假日和调休安排尚未录入" in page
    client.force_login(city.user(Role.STREET_OPERATOR, "420302001"))
    assert "尚未录入" not in client.get("/").content.decode()
