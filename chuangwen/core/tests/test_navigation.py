"""The main navigation, as each demo login sees it: every app registers its own entries,
and the menu keeps its order and its visibility per role."""

import re

import pytest

from chuangwen.core.navigation import registered
from chuangwen.demo.people import DEMO_USERS

# Where each demo login's post sits in the mini city (the demo's unit keys).
HOMES = {
    "city": "city",
    "district:420302": "420302",
    "street:420302001": "420302001",
    "street:420303001": "420303001",
    "community:420302001001": "420302001001",
    "community:420302002001": "420302002001",
    "dept:十堰市城市管理执法委员会": "dept",
    "volunteer:420302001": "volunteers",
}

EVERYONE_HEAD = ["/", "/cases/inbox/", "/cases/", "/cases/map/"]
EVERYONE_TAIL = ["/territory/", "/org/units/", "/catalog/"]
REPORT, SATISFACTION, IMPORTS = "/cases/report/", "/cases/satisfaction/", "/imports/"
ROUNDS, FIELD = "/evaluation/", "/evaluation/field/"
RANKINGS, DASHBOARD = "/assessment/", "/assessment/dashboard/"
OFFICE = [REPORT, SATISFACTION, IMPORTS, ROUNDS, RANKINGS, DASHBOARD]
STREET = [REPORT, SATISFACTION, ROUNDS, RANKINGS, DASHBOARD]

MENUS = {
    "admin": [*EVERYONE_HEAD, *OFFICE, *EVERYONE_TAIL, "/api/v1/docs", "/admin/"],
    "operator": [*EVERYONE_HEAD, *OFFICE, *EVERYONE_TAIL],
    "leader": [*EVERYONE_HEAD, SATISFACTION, ROUNDS, RANKINGS, DASHBOARD, *EVERYONE_TAIL],
    "maojian": [*EVERYONE_HEAD, *OFFICE, *EVERYONE_TAIL],
    "wudanglu": [*EVERYONE_HEAD, *STREET, *EVERYONE_TAIL],
    "chechenglu": [*EVERYONE_HEAD, *STREET, *EVERYONE_TAIL],
    "shequ": [*EVERYONE_HEAD, REPORT, ROUNDS, RANKINGS, *EVERYONE_TAIL],
    "chengguan": [*EVERYONE_HEAD, ROUNDS, RANKINGS, *EVERYONE_TAIL],
    "inspector": [*EVERYONE_HEAD, REPORT, FIELD, *EVERYONE_TAIL],
    "observer": [*EVERYONE_HEAD, REPORT, FIELD, *EVERYONE_TAIL],
    "collector": [*EVERYONE_HEAD, REPORT, *EVERYONE_TAIL],
    "persuader": [*EVERYONE_HEAD, REPORT, *EVERYONE_TAIL],
    "volunteer": [*EVERYONE_HEAD, *EVERYONE_TAIL],
}


def test_every_demo_login_has_its_menu_pinned():
    assert set(MENUS) == {username for username, *_ in DEMO_USERS}


def test_each_url_name_is_registered_once_in_order():
    orders = [item.order for item in registered()]
    assert orders == sorted(set(orders))


@pytest.mark.parametrize("username", list(MENUS))
def test_the_menu_of_each_demo_login(client, city, username):
    _, _, role, where, _ = next(u for u in DEMO_USERS if u[0] == username)
    # The demo's administrator is also the Django superuser, with the staff flag.
    extra = {"is_superuser": True, "is_staff": True} if username == "admin" else {}
    client.force_login(city.user(role, HOMES[where], **extra))
    page = client.get("/").content.decode()
    nav = re.search(r'<nav id="mainnav".*?</nav>', page, re.S).group(0)
    links = [href for href in re.findall(r'href="([^"]*)"', nav) if href != "/accounts/password/"]
    assert links == MENUS[username]


def test_a_superuser_without_a_post_sees_the_office_menu_but_no_work_list(client, city):
    from chuangwen.testing.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    nav = re.search(r'<nav id="mainnav".*?</nav>', client.get("/").content.decode(), re.S).group(0)
    links = [href for href in re.findall(r'href="([^"]*)"', nav) if href != "/accounts/password/"]
    assert links == [*EVERYONE_HEAD, *OFFICE, *EVERYONE_TAIL, "/api/v1/docs"]
