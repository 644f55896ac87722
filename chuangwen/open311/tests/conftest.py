from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from chuangwen.cases.tests.conftest import people  # noqa: F401  (the case tests' cast)
from chuangwen.catalog.models import Category
from chuangwen.open311.services import open311_key_create
from chuangwen.testing.cases import MAOJIAN

# B0102 污水井盖 asks these questions when it is reported.
MANHOLE_FIELDS = [
    {
        "code": "cover",
        "label": "井盖类型",
        "type": "choice",
        "required": True,
        "choices": [{"key": "rain", "label": "雨水井"}, {"key": "sewage", "label": "污水井"}],
        "order": 1,
    },
    {"code": "hazards", "label": "周边情况", "type": "multichoice", "choices": ["学校", "主干道"]},
    {"code": "depth", "label": "井深", "type": "number", "help": "单位:米"},
    {"code": "seen_at", "label": "发现时间", "type": "datetime"},
    {"code": "landmark", "label": "附近标志物", "type": "string", "order": 9},
    {"code": "details", "label": "补充说明", "type": "text", "order": 8},
]


@pytest.fixture
def manhole_fields(catalogue):
    Category.objects.filter(code="B0102").update(extra_fields=MANHOLE_FIELDS)
    return MANHOLE_FIELDS


@pytest.fixture
def app_key(city, catalogue):
    """A key of the city's service app (channel Open311)."""
    key, raw = open311_key_create(name="城市服务 App", unit_id=city.units["city"].pk, actor=None)
    return SimpleNamespace(key=key, raw=raw)


@pytest.fixture
def submit(client, app_key):
    """POST requests.<fmt> as a form, as clients do; a manhole report by default."""

    def post(fmt="json", **fields):
        data = {
            "api_key": app_key.raw,
            "service_code": "B0102",
            "lat": MAOJIAN[0],
            "long": MAOJIAN[1],
            "description": "人民北路人行道井盖缺失",
            **fields,
        }
        data = {name: value for name, value in data.items() if value is not None}
        return client.post(
            f"/open311/v2/requests.{fmt}",
            urlencode(data, doseq=True),
            content_type="application/x-www-form-urlencoded",
        )

    return post
