import pytest

from chuangwen.org.choices import Role

# Who reports in these tests: every public page is checked not to show either.
NAME = "欧阳春花"
PHONE = "13912345678"


@pytest.fixture
def people(city, catalogue):
    return {
        "operator": city.user(Role.CITY_OPERATOR, "city"),
        "admin": city.user(Role.CITY_ADMIN, "city"),
        "collector": city.user(Role.COLLECTOR, "420302001"),
        "water": city.user(Role.UNIT_HANDLER, "water"),
    }
