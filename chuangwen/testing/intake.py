"""A database ready to take reports over the API, for tests that start their own server
(``manage.py shell -c "from chuangwen.testing.intake import seed; seed()"``)."""

from __future__ import annotations

import json

from django.db import transaction

from chuangwen.accounts.services import api_token_create
from chuangwen.org.choices import Role

from .cases import build_catalogue
from .city import build_mini_city


def seed() -> None:
    """The mini city, its catalogue (B0102 dispatched to the water company at once) and a
    collector; prints the collector's API token as JSON."""
    with transaction.atomic():
        city = build_mini_city()
        build_catalogue(city)
        collector = city.user(Role.COLLECTOR, "420302001")
        _, token = api_token_create(user=collector, name="restart test", actor=None)
    print(json.dumps({"token": token}))
