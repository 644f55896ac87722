"""Real HTTP clients against a running server: a plain urllib client posting forms and
reading both formats, and the third-party ``georeport`` client library."""

import json
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from django.conf import settings

from chuangwen.cases.models import Case
from chuangwen.catalog.models import Category
from chuangwen.open311.services import open311_key_create
from chuangwen.testing.cases import MAOJIAN, build_catalogue
from chuangwen.testing.city import build_mini_city

from .conftest import MANHOLE_FIELDS
from .schema import REQUEST, REQUEST_CREATED, SERVICE, check, check_list, read_xml

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def town(transactional_db):
    city = build_mini_city()
    build_catalogue(city)
    Category.objects.filter(code="B0102").update(extra_fields=MANHOLE_FIELDS)
    _, raw = open311_key_create(name="城市服务 App", unit_id=city.units["city"].pk, actor=None)
    return raw


def call(url: str, data: dict | None = None) -> tuple[int, str, bytes]:
    body = urlencode(data, doseq=True).encode() if data is not None else None
    request = Request(url, data=body, method="POST" if body else "GET")
    if body:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_plain_http_client_reports_and_follows(live_server, town):
    base = f"{live_server.url}/open311/v2"
    form = {
        "api_key": town,
        "jurisdiction_id": settings.OPEN311_JURISDICTION,
        "service_code": "B0102",
        "lat": MAOJIAN[0],
        "long": MAOJIAN[1],
        "description": "学校门口井盖缺失",
        "attribute[cover]": "rain",
        "attribute[hazards][]": ["学校"],
        "first_name": "小花",
        "last_name": "李",
        "phone": "13812345678",
    }
    status, content_type, body = call(f"{base}/requests.json", form)
    assert (status, content_type) == (200, "application/json; charset=utf-8"), body
    (created,) = json.loads(body)
    check(created, REQUEST_CREATED)
    status, content_type, body = call(f"{base}/requests.xml", {**form, "description": "又一个"})
    assert (status, content_type) == (200, "text/xml; charset=utf-8"), body
    root, (created_xml,) = read_xml(body)
    assert root == "service_requests"
    check(created_xml, REQUEST_CREATED, xml=True)
    assert Case.objects.count() == 2
    assert Case.objects.get(code=created["service_request_id"]).extra["hazards"] == ["学校"]

    status, _, body = call(f"{base}/requests/{created['service_request_id']}.json")
    (row,) = json.loads(body)
    check(row, REQUEST)
    assert (status, row["status"], row["service_code"]) == (200, "open", "B0102")
    status, _, body = call(f"{base}/tokens/{created['token']}.xml")
    assert status == 200
    assert read_xml(body)[1] == [
        {"service_request_id": created["service_request_id"], "token": created["token"]}
    ]
    status, _, body = call(f"{base}/requests.xml")
    root, rows = read_xml(body)
    check_list(rows, REQUEST, xml=True)
    assert len(rows) == 2
    for secret in ("李小花", "13812345678", created["token"]):
        assert secret not in body.decode()

    status, content_type, body = call(f"{base}/requests.xml", {**form, "api_key": "o311_nope"})
    assert (status, content_type) == (403, "text/xml; charset=utf-8")
    assert read_xml(body) == (
        "errors",
        [{"code": "403", "description": "api_key 无效:请核对密钥是否完整。"}],
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_library_reads_the_endpoint(live_server, town, fmt):
    georeport = pytest.importorskip("georeport")
    client = georeport.GeoReport(
        f"{live_server.url}/open311/v2/",
        jurisdiction=settings.OPEN311_JURISDICTION,
        output_format=fmt,
    )
    services = client.get_service_list()
    check_list(services, SERVICE, xml=fmt == "xml")
    assert [s["service_code"] for s in services] == ["B0102", "E0102", "E0502", "W0101"]
    definition = client.get_service_definition("B0102")
    assert definition["service_code"] == "B0102"
    attributes = definition["attributes"]
    # xmltodict reads repeated <attribute> elements as a list under their name.
    attributes = attributes["attribute"] if fmt == "xml" else attributes
    assert [a["code"] for a in attributes][:2] == ["cover", "hazards"]

    report = {"api_key": town, "service_code": "E0102", "lat": MAOJIAN[0], "long": MAOJIAN[1]}
    assert call(f"{live_server.url}/open311/v2/requests.json", report)[0] == 200
    case = Case.objects.get()
    found = client.get_service_requests(service_code="E0102", status="open")
    found = found if isinstance(found, list) else [found]
    assert [r["service_request_id"] for r in found] == [case.code]
    one = client.get_service_request(case.code)
    one = one[0] if isinstance(one, list) else one
    check(one, REQUEST, xml=fmt == "xml")
    assert (one["service_request_id"], one["status"], one["service_name"]) == (
        case.code,
        "open",
        "暴露垃圾",
    )
