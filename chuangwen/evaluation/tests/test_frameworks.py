"""测评体系: the import with its checks, export and template, the current edition, and
the pages."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.core.xlsx import XLSX_CONTENT_TYPE, Sheet, write_workbook
from chuangwen.evaluation.choices import EntryLevel, FrameworkKind, Method, SubjectLevel
from chuangwen.evaluation.models import Framework, FrameworkEntry, NegativeItem, Round
from chuangwen.evaluation.selectors import frameworks
from chuangwen.evaluation.services import (
    ENTRY_HEADERS,
    NEGATIVE_HEADERS,
    framework_export,
    framework_import,
    framework_set_current,
    framework_template,
)
from chuangwen.org.choices import Role
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db
NON_ADMIN_ROLES = sorted(set(Role.values) - {Role.CITY_ADMIN})
MODEL_CITY = FrameworkKind.MODEL_CITY

ENTRIES = [
    ("测评项目", "1", None, "理想信念坚定", None, None),
    ("测评内容", "1.1", "1", "学习宣传贯彻党的创新理论", None, 10),
    ("测评指标", "1.1.1", "1.1", "理论宣讲深入基层", "实地考察", 6),
    ("测评标准", "1.1.1.1", "1.1.1", "新时代文明实践站定期开展理论宣讲", "实地考察", 4),
    ("测评标准", "1.1.1.2", "1.1.1", "组建百姓宣讲团开展分众化宣讲", "材料审核", 2),
    ("测评指标", "1.1.2", "1.1", "群众知晓认同", "问卷调查", 4),
    ("测评项目", "2", None, "生态文明良好", None, None),
    ("测评内容", "2.1", "2", "城市环境卫生", None, None),
    ("测评指标", "2.1.1", "2.1", "市容环境整洁", "实地考察", 5.5),
]
NEGATIVES = [
    ("FM01", "发生重大环境污染事件", 5, "区县"),
    ("FM02", "测评期间弄虚作假", 10, None),
    ("FM03", "国测反馈问题逾期未整改", 2, "社区"),
]


def upload(entries=ENTRIES, negatives=NEGATIVES, *, name="测评体系.xlsx", sheets=None):
    sheets = sheets or [
        Sheet("测评体系", ENTRY_HEADERS, entries),
        Sheet("负面清单", NEGATIVE_HEADERS, negatives),
    ]
    return SimpleUploadedFile(name, write_workbook(sheets), content_type=XLSX_CONTENT_TYPE)


def load(actor=None, **overrides):
    fields = {
        "upload": upload(),
        "actor": actor,
        "kind": MODEL_CITY,
        "name": "典范城市测评体系",
        "cycle_start": 2024,
    }
    fields.update(overrides)
    return framework_import(**fields)


def shape_of(framework):
    """Everything an edition says, in page order, without database ids."""
    tree = [
        (
            node.entry.level,
            node.entry.code,
            node.parent_code,
            node.entry.name,
            node.entry.method,
            node.entry.points,
        )
        for node in frameworks._walk(frameworks.framework_tree(framework))
    ]
    negatives = list(
        framework.negatives.order_by("position").values_list(
            "code", "text", "penalty", "subject_level"
        )
    )
    return tree, negatives


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


# -- import ------------------------------------------------------------------------------------
def test_admin_imports_an_edition(admin):
    report = load(actor=admin, note="2024 年版", cycle_start="2024")
    assert report.applied and (report.total, report.ok, report.bad) == (12, 12, 0)
    assert report.created == len(ENTRIES) + len(NEGATIVES)
    framework = Framework.objects.get()
    assert (framework.kind, framework.cycle_start, framework.cycle_end) == (MODEL_CITY, 2024, 2026)
    assert (framework.name, framework.note, framework.is_current) == (
        "典范城市测评体系",
        "2024 年版",
        True,
    )
    tree = frameworks.framework_tree(framework)
    assert [d.entry.name for d in tree] == ["理想信念坚定", "生态文明良好"]
    indicator = tree[0].children[0].children[0]
    assert (indicator.entry.level, indicator.entry.method) == (EntryLevel.INDICATOR, Method.FIELD)
    assert [s.entry.code for s in indicator.children] == ["1.1.1.1", "1.1.1.2"]
    assert tree[1].children[0].children[0].entry.points == Decimal("5.50")
    # Points roll up where a level states none; a stated 10 matches its children's 6 + 4.
    assert (tree[0].total, tree[1].total, tree[0].children[0].mismatch) == (
        10,
        Decimal("5.5"),
        False,
    )
    subjects = dict(framework.negatives.values_list("code", "subject_level"))
    assert subjects == {
        "FM01": SubjectLevel.DISTRICT,
        "FM02": SubjectLevel.DISTRICT,
        "FM03": SubjectLevel.COMMUNITY,
    }
    event = AuditEvent.objects.get(action="evaluation.framework_import")
    assert (event.actor, event.object_id) == (admin, str(framework.pk))
    assert event.data["negatives"] == 3 and event.data["entries"]["standard"] == 2


def test_export_imports_again_as_the_same_tree(admin):
    load(actor=admin)
    first = Framework.objects.get()
    content = framework_export(first)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["测评体系", "负面清单", "填写说明"]
    assert [c.value for c in book["测评体系"][1]] == list(ENTRY_HEADERS)
    again = SimpleUploadedFile("导出.xlsx", content)
    report = load(actor=admin, upload=again, cycle_start=2027, name="再导入")
    assert report.applied and report.bad == 0
    second = Framework.objects.get(cycle_start=2027)
    assert shape_of(second) == shape_of(first)
    assert len(shape_of(first)[0]) == len(ENTRIES)


def test_template_has_both_sheets_and_the_rules_and_imports_as_empty(admin):
    book = load_workbook(io.BytesIO(framework_template()))
    assert book.sheetnames == ["测评体系", "负面清单", "填写说明"]
    assert [c.value for c in book["负面清单"][1]] == list(NEGATIVE_HEADERS)
    assert book["测评体系"].max_row == 1
    assert any("上级编号" in (row[0].value or "") for row in book["填写说明"].iter_rows(min_row=2))
    with pytest.raises(ServiceError, match="“测评体系”工作表中没有数据行"):
        load(actor=admin, upload=SimpleUploadedFile("模板.xlsx", framework_template()))
    assert not Framework.objects.exists()


BAD_ENTRIES = [
    ("测评项目", "1", None, "理想信念坚定", None, None),  # 2
    ("测评层", "X1", "1", "层级写错", None, None),  # 3
    ("测评内容", "1.1", "9", "上级不存在", None, None),  # 4
    ("测评指标", "1.2.1", "1", "挂错层级", "实地考察", 2),  # 5
    ("测评内容", "1", "1", "编号重复", None, None),  # 6
    ("测评内容", "1.3", "1", "方法写错", "现场看", None),  # 7
    ("测评内容", "1.4", "1", "分值不是数", None, "五分"),  # 8
    ("测评内容", "1.5", "1", "负分", None, -1),  # 9
    ("测评内容", "1.6", "1", "好的测评内容", None, 3),  # 10
    ("测评指标", "1.6.1", "1.6", "好的指标", "数据分析", 3),  # 11
    ("测评标准", "1.6.1.1", "1.6.1", "好的标准", "数据分析", 3),  # 12
    ("测评项目", "2", "1", "一级却有上级", None, None),  # 13
    ("测评内容", "2.1", None, "缺上级", None, None),  # 14
    ("测评指标", "1.5.1", "1.5", "上级行有错", None, 1),  # 15
    ("测评内容", "1.7", "1", "分值小数过多", None, "1.234"),  # 16
]
BAD_NEGATIVES = [
    ("FM01", "发生重大环境污染事件", 5, "区县"),  # 2
    ("FM02", "扣分为零", 0, None),  # 3
    ("FM01", "编号重复", 2, None),  # 4
    ("FM04", "对象写错", 2, "市级"),  # 5
]
EXPECTED_BAD = [
    (3, "“测评体系”表第 3 行“层级”:“测评层”不是有效值"),
    (4, "“测评体系”表第 4 行“上级编号”:上级编号“9”在本表中不存在。"),
    (5, "“测评体系”表第 5 行“上级编号”:上级编号“1”是测评项目;测评指标应挂在测评内容下。"),
    (6, "“测评体系”表第 6 行“编号”:与第 2 行重复。"),
    (7, "“测评体系”表第 7 行“测评方法”:“现场看”不是有效值"),
    (8, "“测评体系”表第 8 行“分值”:分值应为数字。"),
    (9, "“测评体系”表第 9 行“分值”:分值不能为负数。"),
    (13, "“测评体系”表第 13 行“上级编号”:测评项目是第一级,不填上级编号。"),
    (14, "“测评体系”表第 14 行“上级编号”:测评内容须填写上级编号"),
    (15, "“测评体系”表第 15 行“上级编号”:上级编号“1.5”所在的第 9 行有错误。"),
    (16, "“测评体系”表第 16 行“分值”:分值最多保留 2 位小数。"),
    (3, "“负面清单”表第 3 行“扣分”:扣分必须大于 0。"),
    (4, "“负面清单”表第 4 行“编号”:与第 2 行重复。"),
    (5, "“负面清单”表第 5 行“扣分对象”:“市级”不是有效值"),
]


def test_exactly_the_bad_rows_are_reported_and_nothing_is_saved(admin):
    report = load(actor=admin, upload=upload(BAD_ENTRIES, BAD_NEGATIVES))
    assert not report.applied
    assert (report.total, report.ok, report.bad) == (19, 5, 14)
    found = [(bad.number, bad.messages) for bad in report.bad_rows]
    assert [n for n, _ in found] == [n for n, _ in EXPECTED_BAD]
    for (number, messages), (_, expected) in zip(found, EXPECTED_BAD, strict=True):
        assert len(messages) == 1 and messages[0].startswith(expected), (number, messages)
    assert not Framework.objects.exists()
    assert not AuditEvent.objects.filter(action="evaluation.framework_import").exists()


def test_skipping_bad_rows_saves_the_good_branches(admin):
    report = load(actor=admin, upload=upload(BAD_ENTRIES, BAD_NEGATIVES), skip_bad_rows=True)
    assert report.applied and report.created == 5
    framework = Framework.objects.get()
    assert list(framework.entries.order_by("position").values_list("code", flat=True)) == [
        "1",
        "1.6",
        "1.6.1",
        "1.6.1.1",
    ]
    assert list(framework.negatives.values_list("code", flat=True)) == ["FM01"]
    event = AuditEvent.objects.get(action="evaluation.framework_import")
    assert event.data["skipped_rows"] == [3, 4, 5, 6, 7, 8, 9, 13, 14, 15, 16, 3, 4, 5]


def test_a_file_whose_entries_are_all_bad_saves_nothing_even_when_skipping(admin):
    entries = [("测评内容", "1.1", "9", "上级不存在", None, None)]
    report = load(actor=admin, upload=upload(entries, NEGATIVES), skip_bad_rows=True)
    assert not report.applied and report.bad == 1
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "provincial"}, "kind", "请选择测评体系类型"),
        ({"name": "  "}, "name", "请填写测评体系名称"),
        ({"name": "长" * 121}, "name", "不能超过 120 个字"),
        ({"note": "长" * 501}, "note", "不能超过 500 个字"),
        ({"cycle_start": "24"}, "cycle_start", "四位年份"),
        ({"cycle_start": "二〇二四"}, "cycle_start", "四位年份"),
        ({"cycle_start": 1999}, "cycle_start", "2000–2099"),
        ({"upload": SimpleUploadedFile("体系.pdf", b"%PDF-1.4")}, "file", "无法读取文件"),
        (
            {"upload": upload(sheets=[Sheet("测评体系", ENTRY_HEADERS, ENTRIES)])},
            "file",
            "找不到“负面清单”工作表",
        ),
        (
            {"upload": upload(sheets=[Sheet("测评体系", ENTRY_HEADERS[1:], [])])},
            "file",
            "缺少表头 “层级”",
        ),
        (
            {
                "upload": SimpleUploadedFile(
                    "体系.csv", "层级,编号,内容\n测评项目,1,理想信念坚定\n".encode()
                )
            },
            "file",
            "找不到“负面清单”工作表",
        ),
    ],
)
def test_import_refuses_bad_input(admin, overrides, field, message):
    with pytest.raises(ServiceError, match=message) as caught:
        load(actor=admin, **overrides)
    assert caught.value.field == field
    assert not Framework.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="evaluation.").exists()


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_only_city_admins_import_or_choose_the_current_edition(city, admin, role):
    load(actor=admin)
    load(actor=admin, cycle_start=2027, name="新版")
    older, newer = Framework.objects.order_by("cycle_start")
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        load(actor=user, cycle_start=2030)
    with pytest.raises(PermissionDeniedError):
        load(actor=user, replace=True)
    with pytest.raises(PermissionDeniedError):
        framework_set_current(framework_id=newer.pk, actor=user)
    assert Framework.objects.count() == 2
    assert list(Framework.objects.filter(is_current=True)) == [older]
    assert AuditEvent.objects.filter(actor=user).count() == 0


# -- one edition per kind and cycle ------------------------------------------------------------
def test_importing_onto_an_existing_edition_needs_replace(admin):
    load(actor=admin)
    with pytest.raises(ConflictError, match="已存在") as caught:
        load(actor=admin, upload=upload(ENTRIES[:1], []), name="改")
    assert caught.value.field == "cycle_start"
    framework = Framework.objects.get()
    assert (framework.name, framework.entries.count()) == ("典范城市测评体系", len(ENTRIES))
    # The other kind has a cycle of its own.
    load(actor=admin, kind=FrameworkKind.CIVILIZED_CITY, name="全国文明城市测评体系")
    assert Framework.objects.count() == 2


def test_replace_keeps_the_edition_and_the_checklist_links_that_still_exist(admin, registry):
    load(actor=admin)
    framework = Framework.objects.get()
    kept, dropped = (
        FrameworkEntry.objects.get(framework=framework, code=c) for c in ("1.1.1", "2.1.1")
    )
    market, road = (
        registry.types["MARKET"].items.all()[:1].get(),
        registry.types["ROAD"].items.first(),
    )
    market.indicator, road.indicator = kept, dropped
    market.save()
    road.save()
    entries = [*ENTRIES[:6], ("测评指标", "1.1.3", "1.1", "新增指标", "数据分析", 1)]
    report = load(actor=admin, upload=upload(entries, NEGATIVES[:1]), replace=True, name="修订版")
    assert report.applied
    framework.refresh_from_db()
    assert (framework.name, framework.is_current, Framework.objects.count()) == ("修订版", True, 1)
    assert set(framework.entries.values_list("code", flat=True)) == {e[1] for e in entries}
    assert NegativeItem.objects.filter(framework=framework).count() == 1
    market.refresh_from_db()
    road.refresh_from_db()
    assert (market.indicator.code, market.indicator.framework_id) == ("1.1.1", framework.pk)
    assert market.indicator_id != kept.pk
    assert road.indicator_id is None
    event = AuditEvent.objects.filter(action="evaluation.framework_import").latest("id")
    assert (event.data["replaced"], event.data["checklist_relinked"]) == (True, 1)
    assert event.data["checklist_unlinked"] == 1


def test_replace_is_refused_while_a_round_uses_the_edition(admin):
    load(actor=admin)
    framework = Framework.objects.get()
    Round.objects.create(
        name="2026年第一次双月测评",
        kind="bimonthly",
        framework=framework,
        starts_on=date(2026, 2, 1),
        due_on=date(2026, 2, 28),
        checkin_radius_m=200,
    )
    with pytest.raises(ConflictError, match="2026年第一次双月测评") as caught:
        load(actor=admin, upload=upload(ENTRIES[:1], []), replace=True)
    assert caught.value.field == "replace"
    assert framework.entries.count() == len(ENTRIES)


# -- current edition ---------------------------------------------------------------------------
def test_set_current_leaves_exactly_one_current_edition_per_kind(admin):
    load(actor=admin, cycle_start=2021, name="2021 版")
    load(actor=admin, cycle_start=2024, name="2024 版")
    load(actor=admin, kind=FrameworkKind.CIVILIZED_CITY, cycle_start=2021, name="文明城市版")
    old, new = Framework.objects.filter(kind=MODEL_CITY).order_by("cycle_start")
    other = Framework.objects.get(kind=FrameworkKind.CIVILIZED_CITY)
    assert (old.is_current, new.is_current, other.is_current) == (True, False, True)
    framework_set_current(framework_id=new.pk, actor=admin)
    for f in (old, new, other):
        f.refresh_from_db()
    assert (old.is_current, new.is_current, other.is_current) == (False, True, True)
    event = AuditEvent.objects.get(action="evaluation.framework_set_current")
    assert (event.actor, event.object_id, event.data["previous"]) == (admin, str(new.pk), [old.pk])
    # Choosing the current one again changes and records nothing.
    framework_set_current(framework_id=new.pk, actor=admin)
    assert AuditEvent.objects.filter(action="evaluation.framework_set_current").count() == 1


def test_set_current_refuses_an_unknown_edition(admin):
    with pytest.raises(ServiceError, match="测评体系不存在") as caught:
        framework_set_current(framework_id=4040, actor=admin)
    assert caught.value.field == "framework_id"


# -- pages -------------------------------------------------------------------------------------
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", Role.values)
def test_every_signed_in_user_reads_the_list_and_the_tree(client, city, admin, role):
    load(actor=admin)
    framework = Framework.objects.get()
    user = admin if role == Role.CITY_ADMIN else city.user(role, ROLE_HOMES[role])
    signed_in(client, user)
    listing = client.get(reverse("evaluation:framework_list"))
    assert listing.status_code == 200
    assert "典范城市测评体系" in listing.content.decode()
    import_url = reverse("evaluation:framework_import")
    assert (import_url in listing.content.decode()) == (role == Role.CITY_ADMIN)
    page = client.get(reverse("evaluation:framework_detail", args=[framework.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "理想信念坚定",
        "新时代文明实践站定期开展理论宣讲",
        "市容环境整洁",
        "测评期间弄虚作假",
    ):
        assert text in html
    export = client.get(reverse("evaluation:framework_export", args=[framework.pk]))
    assert export.status_code == 200 and export["Content-Type"] == XLSX_CONTENT_TYPE


def test_the_tree_page_shows_totals_methods_and_a_points_mismatch(client, admin):
    entries = [*ENTRIES, ("测评内容", "2.2", "2", "生态环境质量", None, 8)]
    entries.append(("测评指标", "2.2.1", "2.2", "空气质量", "数据分析", 3))
    load(actor=admin, upload=upload(entries, NEGATIVES))
    framework = Framework.objects.get()
    load(actor=admin, cycle_start=2027, name="未来版")
    signed_in(client, admin)
    html = client.get(reverse("evaluation:framework_detail", args=[framework.pk])).content.decode()
    assert "13.5 分" in html  # 生态文明良好: 5.5 + 8
    assert "fw-method-survey" in html and "问卷调查" in html
    assert html.count("与本项分值不一致") == 1  # 2.2 states 8, its indicator adds up to 3
    assert "现行版本" in html
    later = Framework.objects.get(cycle_start=2027)
    html = client.get(reverse("evaluation:framework_detail", args=[later.pk])).content.decode()
    assert reverse("evaluation:framework_set_current", args=[later.pk]) in html
    assert client.get(reverse("evaluation:framework_detail", args=[9999])).status_code == 404


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_import_and_set_current_pages_refuse_other_roles(client, city, admin, role):
    load(actor=admin)
    load(actor=admin, cycle_start=2027, name="新版")
    newer = Framework.objects.get(cycle_start=2027)
    signed_in(client, city.user(role, ROLE_HOMES[role]))
    assert client.get(reverse("evaluation:framework_import")).status_code == 403
    assert client.get(reverse("evaluation:framework_template")).status_code == 403
    response = client.post(
        reverse("evaluation:framework_import"),
        {"kind": MODEL_CITY, "name": "偷偷导入", "cycle_start": "2030", "file": upload()},
    )
    assert response.status_code == 403
    response = client.post(reverse("evaluation:framework_set_current", args=[newer.pk]))
    assert response.status_code == 403
    assert not Framework.objects.filter(cycle_start=2030).exists()
    newer.refresh_from_db()
    assert not newer.is_current
    html = client.get(reverse("evaluation:framework_list")).content.decode()
    assert reverse("evaluation:framework_set_current", args=[newer.pk]) not in html


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("framework_list", "framework_import", "framework_template"):
        response = client.get(reverse(f"evaluation:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_admin_imports_through_the_page(client, admin):
    signed_in(client, admin)
    form = client.get(reverse("evaluation:framework_import"))
    assert form.status_code == 200
    assert reverse("evaluation:framework_template") in form.content.decode()
    template = client.get(reverse("evaluation:framework_template"))
    assert template.status_code == 200 and template["Content-Type"] == XLSX_CONTENT_TYPE
    response = client.post(
        reverse("evaluation:framework_import"),
        {"kind": MODEL_CITY, "name": "典范城市测评体系", "cycle_start": "2024", "file": upload()},
    )
    assert response.status_code == 200
    framework = Framework.objects.get()
    html = response.content.decode()
    assert "已全部导入" in html
    assert reverse("evaluation:framework_detail", args=[framework.pk]) in html
    # The same edition again without "replace": refused beside the form, nothing changed.
    response = client.post(
        reverse("evaluation:framework_import"),
        {"kind": MODEL_CITY, "name": "改名", "cycle_start": "2024", "file": upload()},
    )
    assert response.status_code == 409
    assert "替换现有版本" in response.content.decode()
    assert Framework.objects.get().name == "典范城市测评体系"


def test_page_reports_bad_rows_and_offers_the_error_report(client, admin):
    signed_in(client, admin)
    assert client.get(reverse("evaluation:framework_import_errors")).status_code == 404
    response = client.post(
        reverse("evaluation:framework_import"),
        {
            "kind": MODEL_CITY,
            "name": "典范城市测评体系",
            "cycle_start": "2024",
            "file": upload(BAD_ENTRIES, BAD_NEGATIVES),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "未导入任何数据" in html and "上级编号“9”在本表中不存在" in html
    report = client.get(reverse("evaluation:framework_import_errors"))
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "错误信息")
    assert [r[0] for r in rows[1:]] == [n for n, _ in EXPECTED_BAD]
    assert not Framework.objects.exists()


def test_page_without_a_file_asks_for_one(client, admin):
    signed_in(client, admin)
    response = client.post(
        reverse("evaluation:framework_import"),
        {"kind": MODEL_CITY, "name": "典范城市测评体系", "cycle_start": "2024"},
    )
    assert response.status_code == 400
    assert "请选择要导入的文件" in response.content.decode()


def test_admin_chooses_the_current_edition_on_the_list(client, admin):
    load(actor=admin)
    load(actor=admin, cycle_start=2027, name="新版")
    newer = Framework.objects.get(cycle_start=2027)
    signed_in(client, admin)
    response = client.post(reverse("evaluation:framework_set_current", args=[newer.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:framework_list")
    newer.refresh_from_db()
    assert newer.is_current
    assert Framework.objects.filter(is_current=True).count() == 1
    assert client.post(reverse("evaluation:framework_set_current", args=[9999])).status_code == 404
    assert (
        client.get(reverse("evaluation:framework_set_current", args=[newer.pk])).status_code == 405
    )
