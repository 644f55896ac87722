"""More 测评员 for the demo's rounds."""

from __future__ import annotations

from django.db import transaction

from chuangwen.accounts.services import user_create
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Unit
from chuangwen.org.services import membership_grant

# -- inspectors --------------------------------------------------------------------------------
INSPECTORS = (
    ("inspector2", "钱丽娟"),
    ("inspector3", "冯志刚"),
    ("inspector4", "邓晓红"),
    ("inspector5", "曹文杰"),
    ("inspector6", "彭雪梅"),
    ("inspector7", "田国庆"),
    ("inspector8", "蒋红霞"),
)


def seed_inspectors(*, password: str) -> list:
    """Seven more 测评员 at the city office, beside the demo's ``inspector``."""
    office = Unit.objects.get(kind=UnitKind.CITY_OFFICE)
    users = []
    with transaction.atomic():
        for username, full_name in INSPECTORS:
            user = user_create(
                username=username, password=password, full_name=full_name, actor=None
            )
            membership_grant(
                user=user, unit=office, role=Role.INSPECTOR, title="测评员", actor=None
            )
            users.append(user)
    return users
