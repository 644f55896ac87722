"""The catalogue services, reads, API, page, admin and the demo catalogue."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangwen.cases.selectors import route_for
from chuangwen.cases.services import resolve_standard
from chuangwen.catalog import selectors as catalog
from chuangwen.catalog.choices import CategoryKind
from chuangwen.catalog.models import CaseStandard, Category, RoutingRule
from chuangwen.catalog.selectors import category_tree
from chuangwen.catalog.services import (
    category_create,
    category_update,
    routing_rule_create,
    routing_rule_deactivate,
    standard_create,
    standard_update,
)
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.core.workcalendar import TimeType
from chuangwen.demo import catalogue as demo
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.services import unit_create, unit_update
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


def make_standard(category, code, **overrides):
    fields = {
        "condition": "井盖缺失",
        "time_type": TimeType.EMERGENCY_HOURS,
        "time_value": 2,
        "close_condition": "已补装",
        "unit_kind": UnitKind.ENTERPRISE,
        "actor": None,
    }
    fields.update(overrides)
    return standard_create(category=category, code=code, **fields)


# -- categories --------------------------------------------------------------------------
def test_city_admin_builds_a_major_and_a_minor(admin):
    major = category_create(kind=CategoryKind.COMPONENT, code=" b01 ", name="公用设施", actor=admin)
    minor = category_create(
        kind=CategoryKind.COMPONENT,
        code="B0101",
        name=" 上水井盖 ",
        parent=major,
        duplicate_radius_m=30,
        actor=admin,
    )
    assert (major.code, major.parent_id) == ("B01", None)
    assert (minor.code, minor.name, minor.parent_id) == ("B0101", "上水井盖", major.pk)
    assert (minor.duplicate_radius_m, minor.duplicate_window_days) == (30, 7)
    event = AuditEvent.objects.get(action="cases.category_create", object_id=str(minor.pk))
    assert event.actor == admin
    assert "B0101" in event.summary


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_change_the_catalogue(city, catalogue, role):
    user = city.user(role, ROLE_HOMES[role])
    b01, b0102 = catalogue.categories["B01"], catalogue.categories["B0102"]
    standard = catalogue.standards["B0102-01"]
    rule = RoutingRule.objects.get(category=b0102)
    attempts = [
        lambda: category_create(kind="B", code="B02", name="道路交通", actor=user),
        lambda: category_update(category=b01, name="改名", actor=user),
        lambda: make_standard(b0102, "B0102-03", actor=user),
        lambda: standard_update(standard=standard, time_value=8, actor=user),
        lambda: routing_rule_create(category=b01, unit=city.units["dept"], actor=user),
        lambda: routing_rule_deactivate(rule=rule, actor=user),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError):
            attempt()
    assert not Category.objects.filter(code="B02").exists()
    b01.refresh_from_db()
    standard.refresh_from_db()
    rule.refresh_from_db()
    assert (b01.name, standard.time_value, rule.is_active) == ("公用设施", Decimal("2.0"), True)
    assert not AuditEvent.objects.filter(action__startswith="cases.").exists()


@pytest.mark.parametrize(
    ("kwargs", "parent", "message"),
    [
        ({"kind": "B", "code": "B1"}, None, "大类编码“B1”格式不正确"),
        ({"kind": "B", "code": "B0101"}, None, "大类编码“B0101”格式不正确"),
        ({"kind": "B", "code": "E09"}, None, "必须以字母 B 开头"),
        ({"kind": "X", "code": "X01"}, None, "未知的类别"),
        ({"kind": "B", "code": "B0201"}, "B01", "必须以其大类编码 B01 开头"),
        ({"kind": "B", "code": "B011"}, "B01", "小类编码“B011”格式不正确"),
        ({"kind": "E", "code": "E0109"}, "B01", "同一类别"),
        ({"kind": "B", "code": "B010201"}, "B0102", "是小类,不能再有下级"),
        ({"kind": "B", "code": "B0102"}, "B01", "已存在"),
        ({"kind": "B", "code": "B0109", "name": "  "}, "B01", "请填写类别名称"),
        ({"kind": "B", "code": "B0109", "name": "长" * 61}, "B01", "不能超过 60 个字"),
        ({"kind": "B", "code": "B0109", "duplicate_radius_m": 0}, "B01", "重复判定半径"),
        ({"kind": "B", "code": "B0109", "duplicate_window_days": 1000}, "B01", "时间窗"),
        ({"kind": "B", "code": "B0109", "duplicate_radius_m": "五十"}, "B01", "必须是整数"),
    ],
)
def test_category_create_refuses_bad_input(catalogue, kwargs, parent, message):
    before = Category.objects.count()
    kwargs.setdefault("name", "新类别")
    with pytest.raises(ServiceError, match=message):
        category_create(
            parent=catalogue.categories[parent] if parent else None, actor=None, **kwargs
        )
    assert Category.objects.count() == before


def test_category_update_changes_allowed_fields_and_audits(catalogue, admin):
    minor = catalogue.categories["E0102"]
    category_update(category=minor, name="暴露垃圾(含积存)", duplicate_radius_m=80, actor=admin)
    minor.refresh_from_db()
    assert (minor.name, minor.duplicate_radius_m) == ("暴露垃圾(含积存)", 80)
    event = AuditEvent.objects.get(action="cases.category_update", object_id=str(minor.pk))
    assert event.data["before"]["name"] == "暴露垃圾"
    assert event.data["after"]["duplicate_radius_m"] == 80


def test_category_update_refuses_identity_fields_and_bad_values(catalogue):
    minor = catalogue.categories["E0102"]
    with pytest.raises(ServiceError, match="不能修改字段:code"):
        category_update(category=minor, code="E0199", actor=None)
    with pytest.raises(ServiceError, match="请填写类别名称"):
        category_update(category=minor, name=" ", actor=None)
    with pytest.raises(ServiceError, match="重复判定半径"):
        category_update(category=minor, duplicate_radius_m=-5, actor=None)
    minor.refresh_from_db()
    assert (minor.name, minor.duplicate_radius_m) == ("暴露垃圾", 50)


# -- standards ---------------------------------------------------------------------------
def test_standard_create_takes_its_position_from_the_code(catalogue, admin):
    minor = catalogue.categories["B0102"]
    standard = make_standard(
        minor,
        "b0102-03",
        condition="井盖周边路面沉陷",
        time_type=TimeType.WORK_DAYS,
        time_value="1.5",
        actor=admin,
    )
    assert (standard.code, standard.position, standard.time_value) == (
        "B0102-03",
        3,
        Decimal("1.5"),
    )
    # The default (first) standard of the 小类 is still -01.
    assert resolve_standard("B0102").code == "B0102-01"
    assert AuditEvent.objects.filter(
        action="cases.standard_create", object_id=str(standard.pk), actor=admin
    ).exists()


def test_a_lower_position_makes_a_new_default(catalogue):
    make_standard(catalogue.categories["E0102"], "E0102-05", time_value=1, position=0)
    assert resolve_standard("E0102").code == "E0102-01"
    make_standard(catalogue.categories["W0101"], "W0101-02", time_value=1)
    standard_update(standard=CaseStandard.objects.get(code="W0101-01"), position=9, actor=None)
    assert resolve_standard("W0101").code == "W0101-02"


@pytest.mark.parametrize(
    ("category", "code", "overrides", "message"),
    [
        ("B01", "B01-01", {}, "是大类"),
        ("B0102", "B0102-1", {}, "标准编码“B0102-1”格式不正确"),
        ("B0102", "E0102-03", {}, "格式不正确"),
        ("B0102", "B0102-01", {}, "已存在"),
        ("B0102", "B0102-03", {"time_value": 0}, "必须大于 0"),
        ("B0102", "B0102-03", {"time_value": -2}, "必须大于 0"),
        ("B0102", "B0102-03", {"time_value": "两小时"}, "必须是数字"),
        ("B0102", "B0102-03", {"time_value": "NaN"}, "必须是数字"),
        ("B0102", "B0102-03", {"time_value": "1.25"}, "1 位小数"),
        ("B0102", "B0102-03", {"time_value": 721}, "最多 720"),
        ("B0102", "B0102-03", {"time_type": "work_days", "time_value": 181}, "最多 180"),
        ("B0102", "B0102-03", {"time_type": "weeks"}, "未知的时限类型"),
        ("B0102", "B0102-03", {"unit_kind": "ministry"}, "未知的责任单位类型"),
        ("B0102", "B0102-03", {"condition": ""}, "请填写立案条件"),
        ("B0102", "B0102-03", {"close_condition": " "}, "请填写结案条件"),
    ],
)
def test_standard_create_refuses_bad_input(catalogue, category, code, overrides, message):
    before = CaseStandard.objects.count()
    with pytest.raises(ServiceError, match=message):
        make_standard(catalogue.categories[category], code, **overrides)
    assert CaseStandard.objects.count() == before


def test_standard_update_changes_the_limit_and_audits(catalogue, admin):
    standard = catalogue.standards["B0102-02"]
    standard_update(standard=standard, time_type="work_days", time_value=1, actor=admin)
    standard.refresh_from_db()
    assert (standard.time_type, standard.time_value) == ("work_days", Decimal("1.0"))
    event = AuditEvent.objects.get(action="cases.standard_update", object_id=str(standard.pk))
    assert event.data["before"] == {"time_type": "work_hours", "time_value": "4.0"}
    assert event.data["after"] == {"time_type": "work_days", "time_value": "1.0"}


def test_standard_update_checks_the_limit_against_the_new_type(catalogue):
    standard = catalogue.standards["B0102-01"]  # 2 emergency hours
    standard_update(standard=standard, time_value=200, actor=None)
    with pytest.raises(ServiceError, match="最多 180"):
        standard_update(standard=standard, time_type="work_days", actor=None)
    with pytest.raises(ServiceError, match="不能修改字段:category"):
        standard_update(standard=standard, category=catalogue.categories["E0102"], actor=None)
    with pytest.raises(ServiceError, match="未知的责任单位类型"):
        standard_update(standard=standard, unit_kind="army", actor=None)
    standard.refresh_from_db()
    assert (standard.time_type, standard.time_value) == ("emergency_hours", Decimal("200.0"))


# -- routing rules -----------------------------------------------------------------------
def test_routing_rules_most_specific_wins_and_only_one_active_per_scope(city, catalogue, admin):
    minor = catalogue.categories["B0102"]
    maojian, grid = city.node("420302"), city.node("420302001001001")
    assert route_for(minor, grid)[0] == catalogue.water
    rule = routing_rule_create(
        category=minor,
        territory=maojian,
        unit=city.units["420302"],
        auto_dispatch=False,
        note="  区管井盖 ",
        actor=admin,
    )
    assert (rule.note, rule.auto_dispatch) == ("区管井盖", False)
    assert route_for(minor, grid) == (city.units["420302"], rule)
    assert route_for(minor, city.node("420303001001001"))[0] == catalogue.water
    with pytest.raises(ServiceError, match="已有有效的派遣规则"):
        routing_rule_create(category=minor, territory=maojian, unit=city.units["dept"], actor=None)
    routing_rule_deactivate(rule=rule, actor=admin)
    assert route_for(minor, grid)[0] == catalogue.water
    replacement = routing_rule_create(
        category=minor, territory=maojian, unit=city.units["dept"], actor=None
    )
    assert route_for(minor, grid) == (city.units["dept"], replacement)
    actions = list(
        AuditEvent.objects.filter(action__startswith="cases.routing_rule").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "cases.routing_rule_create",
        "cases.routing_rule_deactivate",
        "cases.routing_rule_create",
    ]


def test_routing_rule_create_refuses_bad_input(city, catalogue):
    minor = catalogue.categories["B0102"]
    with pytest.raises(ServiceError, match="至少要指定案件类别或属地"):
        routing_rule_create(unit=city.units["dept"], actor=None)
    with pytest.raises(ServiceError, match=r"已有有效的派遣规则\(→ 市水务集团\)"):
        routing_rule_create(category=minor, unit=city.units["dept"], actor=None)
    unit_update(unit=city.units["dept"], is_active=False, actor=None)
    with pytest.raises(ServiceError, match="已停用"):
        routing_rule_create(
            category=catalogue.categories["W0101"], unit=city.units["dept"], actor=None
        )
    territory_rule = routing_rule_create(
        territory=city.node("420303"), unit=city.units["420303"], actor=None
    )
    with pytest.raises(ServiceError, match="全部类别 @ 张湾区"):
        routing_rule_create(territory=city.node("420303"), unit=city.units["city"], actor=None)
    routing_rule_deactivate(rule=territory_rule, actor=None)
    with pytest.raises(ServiceError, match="已停用"):
        routing_rule_deactivate(rule=territory_rule, actor=None)
    assert RoutingRule.objects.filter(is_active=True).count() == 3


# -- reads -------------------------------------------------------------------------------
def test_category_tree_groups_minors_and_searches(catalogue):
    tree = category_tree()
    assert [n.category.code for n in tree] == ["B01", "E01", "E05", "W01"]
    b01 = tree[0]
    assert [m.code for m in b01.minors] == ["B0102"]
    assert [s.code for s in b01.minors[0].active_standards] == ["B0102-01", "B0102-02"]
    assert [n.category.code for n in category_tree(kind="E")] == ["E01", "E05"]
    found = category_tree(search="破损")  # a standard's condition
    assert [(n.category.code, [m.code for m in n.minors]) for n in found] == [("B01", ["B0102"])]
    found = category_tree(search="街面秩序")  # a 大类 name keeps all its 小类
    assert [(n.category.code, [m.code for m in n.minors]) for n in found] == [("E05", ["E0502"])]
    assert category_tree(search="e0102")[0].minors[0].code == "E0102"
    assert category_tree(search="没有这个") == []


def test_inactive_entries_leave_the_reads(catalogue):
    standard_update(standard=catalogue.standards["B0102-02"], is_active=False, actor=None)
    category_update(category=catalogue.categories["E05"], is_active=False, actor=None)
    tree = category_tree()
    assert [n.category.code for n in tree] == ["B01", "E01", "W01"]
    assert [s.code for s in tree[0].minors[0].active_standards] == ["B0102-01"]
    codes = [c.code for c in catalog.category_list_for_api()]
    assert codes == ["B01", "B0102", "E01", "E0102", "W01", "W0101"]


# -- API ---------------------------------------------------------------------------------
def test_api_lists_categories_with_their_standards(client, city, catalogue, token_for):
    auth = token_for(city.user(Role.COLLECTOR, "420302001"))
    response = client.get("/api/v1/categories", **auth)
    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()}
    assert list(items) == ["B01", "B0102", "E01", "E0102", "E05", "E0502", "W01", "W0101"]
    assert items["B01"] == {
        "code": "B01",
        "name": "公用设施",
        "kind": "B",
        "parent": None,
        "standard": None,
        "standards": [],
    }
    manhole = items["B0102"]
    assert (manhole["parent"], manhole["kind"], manhole["name"]) == ("B01", "B", "污水井盖")
    assert manhole["standard"] == {
        "code": "B0102-01",
        "condition": "井盖缺失、移位",
        "time_type": "emergency_hours",
        "time_value": 2.0,
        "close_condition": "恢复原状",
        "unit_kind": "",
    }
    assert [s["code"] for s in manhole["standards"]] == ["B0102-01", "B0102-02"]
    assert manhole["standards"][1]["time_value"] == 4
    assert items["W0101"]["standard"]["time_type"] == "work_days"


def test_api_filters(client, city, catalogue, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))

    def codes(**params):
        response = client.get("/api/v1/categories", params, **auth)
        assert response.status_code == 200, response.content
        return [item["code"] for item in response.json()]

    assert codes(kind="E") == ["E01", "E0102", "E05", "E0502"]
    assert codes(parent="E05") == ["E0502"]
    assert codes(parent="e01", kind="E") == ["E0102"]
    assert codes(q="垃圾") == ["E0102", "W0101"]
    assert codes(kind="W", q="垃圾") == ["W0101"]
    assert codes(parent="B99") == []
    assert client.get("/api/v1/categories", {"kind": "Z"}, **auth).status_code == 422


def test_api_needs_a_user(client, city, catalogue):
    response = client.get("/api/v1/categories")
    assert response.status_code == 401
    assert "未认证" in response.json()["detail"]
    client.force_login(city.user(Role.VOLUNTEER, "volunteers"))
    assert client.get("/api/v1/categories").status_code == 200


def test_api_runs_a_fixed_number_of_queries(client, city, catalogue, token_for):
    auth = token_for(city.user(Role.CITY_OPERATOR, "city"))
    client.get("/api/v1/categories", **auth)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as small:
        assert len(client.get("/api/v1/categories", **auth).json()) == 8
    major = catalogue.categories["E01"]
    for i in range(3, 13):
        minor = category_create(
            kind="E", code=f"E01{i:02d}", name=f"事件{i}", parent=major, actor=None
        )
        make_standard(minor, f"{minor.code}-01")
        make_standard(minor, f"{minor.code}-02")
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/v1/categories", **auth).json()) == 18
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) <= 4


# -- catalogue page ----------------------------------------------------------------------
def test_catalogue_page_for_a_street_operator_reads_but_cannot_import(client, city, catalogue):
    client.force_login(city.user(Role.STREET_OPERATOR, "420302001"))
    response = client.get(reverse("catalog:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "B0102" in page and "井盖缺失、移位" in page
    assert "4 个大类" in page and "4 个小类" in page and "5 条立结案标准" in page
    assert "跳过有错误的行" not in page and reverse("catalog:export") not in page
    assert 'href="/catalog/"' in page  # the navigation item
    upload = io.BytesIO("类别\n".encode())
    upload.name = "x.csv"
    response = client.post(reverse("catalog:import"), {"file": upload})
    assert response.status_code == 403
    for name in ("export", "template", "import_errors"):
        assert client.get(reverse(f"catalog:{name}")).status_code == 403
    assert not AuditEvent.objects.filter(action="cases.catalog_import").exists()


def test_catalogue_page_filters_and_answers_htmx(client, city, catalogue):
    client.force_login(city.user(Role.CITY_ADMIN, "city"))
    page = client.get(reverse("catalog:index")).content.decode()
    assert "跳过有错误的行" in page and reverse("catalog:export") in page
    page = client.get(reverse("catalog:index"), {"q": "占道"}).content.decode()
    assert "E0502" in page and "B0102" not in page
    page = client.get(reverse("catalog:index"), {"kind": "W"}).content.decode()
    assert "W0101" in page and "E0102" not in page
    response = client.get(reverse("catalog:index"), {"kind": "bogus"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "B0102" in body and "W0101" in body


def test_catalogue_page_needs_login(client, catalogue):
    response = client.get(reverse("catalog:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# -- admin -------------------------------------------------------------------------------
@pytest.fixture
def admin_client(client, city):
    client.force_login(city.user(Role.CITY_ADMIN, "city", is_staff=True, is_superuser=True))
    return client


def test_admin_pages_render_and_write_through_the_services(admin_client, city, catalogue):
    for model in ("category", "casestandard", "routingrule"):
        assert admin_client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200
    standard = catalogue.standards["B0102-02"]
    url = reverse("admin:catalog_casestandard_change", args=[standard.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "condition": "井盖破损",
        "time_type": "work_hours",
        "time_value": "6",
        "close_condition": "恢复原状",
        "unit_kind": "",
        "position": "2",
        "is_active": "on",
    }
    response = admin_client.post(url, {**form, "time_value": "9999"})
    assert response.status_code == 200 and "最多 480" in response.content.decode()
    assert admin_client.post(url, form).status_code == 302
    standard.refresh_from_db()
    assert standard.time_value == Decimal("6.0")
    assert AuditEvent.objects.filter(
        action="cases.standard_update", object_id=str(standard.pk)
    ).exists()

    response = admin_client.post(
        reverse("admin:catalog_category_add"),
        {
            "kind": "E",
            "code": "E0599",
            "name": "户外烧烤",
            "parent": catalogue.categories["B01"].pk,
            "description": "",
            "duplicate_radius_m": "50",
            "duplicate_window_days": "7",
            "position": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 200 and "同一类别" in response.content.decode()
    assert not Category.objects.filter(code="E0599").exists()

    rule = RoutingRule.objects.get(category=catalogue.categories["B0102"])
    response = admin_client.post(
        reverse("admin:catalog_routingrule_changelist"),
        {"action": "deactivate", "_selected_action": [rule.pk]},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.is_active
    assert AuditEvent.objects.filter(
        action="cases.routing_rule_deactivate", object_id=str(rule.pk)
    ).exists()


# -- demo catalogue ----------------------------------------------------------------------
def test_demo_catalogue_and_rules(city):
    out = io.StringIO()
    assert demo.load_catalogue(stdout=out) is True
    counts = demo.counts()
    assert counts["minors"] >= 60
    assert counts["majors"] == 15
    assert counts["standards"] > counts["minors"]
    assert "个小类" in out.getvalue()
    for kind, prefixes in (
        ("B", ["B01", "B02", "B03", "B04", "B05", "B06"]),
        ("E", ["E01", "E02", "E03", "E04", "E05"]),
        ("W", ["W01", "W02", "W03", "W04"]),
    ):
        majors = Category.objects.filter(kind=kind, parent__isnull=True)
        assert sorted(majors.values_list("code", flat=True)) == prefixes
    # The limits the design names.
    expected = {
        "B0101-01": ("emergency_hours", 2),
        "B0101-02": ("work_hours", 4),
        "E0102-01": ("work_hours", 4),
        "E0502-01": ("emergency_hours", 2),
        "E0201-01": ("work_days", 1),
    }
    for code, (time_type, value) in expected.items():
        standard = CaseStandard.objects.get(code=code)
        assert (standard.time_type, standard.time_value) == (time_type, Decimal(value)), code
    lids = Category.objects.filter(parent__code="B01", name__endswith="井盖")
    assert lids.count() >= 5
    for lid in lids:
        default = resolve_standard(lid.code)
        assert "缺失" in default.condition
        assert (default.time_type, default.time_value) == ("emergency_hours", Decimal(2))
    assert not CaseStandard.objects.filter(unit_kind="").exists()
    assert CaseStandard.objects.values("category").distinct().count() == counts["minors"]
    # Loading again changes nothing.
    assert demo.load_catalogue(stdout=io.StringIO()) is False
    assert demo.counts() == counts

    # Rules need the demo's units; the mini city has the 茅箭区 government.
    for name in sorted({rule[2] for rule in demo.RULES} - {demo.MAOJIAN}):
        unit_create(
            name=name,
            kind=UnitKind.ENTERPRISE if "公司" in name else UnitKind.MUNICIPAL_DEPARTMENT,
            territory=city.node("420300"),
            actor=None,
        )
    assert demo.load_routing_rules(stdout=out) is True
    assert RoutingRule.objects.count() == len(demo.RULES)
    assert RoutingRule.objects.filter(auto_dispatch=False).exists()
    assert demo.load_routing_rules(stdout=io.StringIO()) is False
    garbage = Category.objects.get(code="E0102")
    unit, rule = route_for(garbage, city.node("420302001001001"))
    assert (unit, rule.auto_dispatch) == (city.units["420302"], True)
    unit, rule = route_for(garbage, city.node("420303001001001"))
    assert unit.name == "十堰市城市管理综合服务中心" and rule.territory_id is None
    unit, _ = route_for(Category.objects.get(code="B0104"), city.node("420303001001001"))
    assert unit.name == "国网湖北省电力有限公司十堰供电公司"
    unit, rule = route_for(Category.objects.get(code="B0403"), city.node("420303001001001"))
    assert unit.name == "十堰市园林局" and rule.category.code == "B04"  # the 大类 rule
