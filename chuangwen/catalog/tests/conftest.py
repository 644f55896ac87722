import pytest

from chuangwen.org.choices import Role


@pytest.fixture
def people(city, catalogue):
    """The cast of the case tests, at their homes in the mini city."""
    return {
        "operator": city.user(Role.CITY_OPERATOR, "city"),
        "leader": city.user(Role.LEADER, "city"),
        "collector": city.user(Role.COLLECTOR, "420302001"),
        "water": city.user(Role.UNIT_HANDLER, "water"),
        "water2": city.user(Role.UNIT_HANDLER, "water"),
        "district": city.user(Role.DISTRICT_OPERATOR, "420302"),
        "zhangwan": city.user(Role.DISTRICT_OPERATOR, "420303"),
        "dept": city.user(Role.UNIT_HANDLER, "dept"),
    }
