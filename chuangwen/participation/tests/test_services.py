"""The portal's writes: a citizen's report with its checks and limits, and the groups."""

from datetime import timedelta

import pytest
from django.test import override_settings

from chuangwen.cases import selectors as case_selectors
from chuangwen.cases.choices import Channel, Status
from chuangwen.cases.models import Case, CasePhoto
from chuangwen.cases.services import OutsideCityError
from chuangwen.catalog import services as catalog_services
from chuangwen.catalog.models import PublicGroup
from chuangwen.core import clock
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.demo.public_groups import seed_public_groups
from chuangwen.org.choices import Role
from chuangwen.participation import services
from chuangwen.testing.cases import MAOJIAN, at
from chuangwen.testing.city import ROLE_HOMES
from chuangwen.testing.images import jpeg

from .conftest import NAME, PHONE

pytestmark = pytest.mark.django_db

NEAR = (MAOJIAN[0] + 0.0002, MAOJIAN[1] + 0.0002)
OUTSIDE = (31.5, 109.0)


def submit(where=MAOJIAN, photos=1, **kwargs):
    kwargs.setdefault("category", "B0102")
    kwargs.setdefault("description", "人行道上的污水井盖不见了")
    kwargs.setdefault("reporter_phone", PHONE)
    kwargs.setdefault("reporter_name", NAME)
    kwargs.setdefault("client_hash", "a" * 64)
    uploads = [jpeg(color) for color in ("#b45309", "#1d4ed8", "#15803d", "#7c3aed")[:photos]]
    return services.portal_report(lat=where[0], lng=where[1], uploads=uploads, **kwargs)


# -- a report ----------------------------------------------------------------------------------
def test_a_citizen_report_becomes_a_portal_case_with_its_photos(people):
    receipt = submit(photos=2, reporter_phone="139 1234-5678", address="人民北路 12 号")
    case = receipt.case
    assert receipt.created and receipt.token == case.public_token and len(receipt.token) == 12
    assert case.channel == Channel.PORTAL and case.status == Status.REPORTED
    assert case.reporter is None and case.created_by is None
    assert (case.reporter_name, case.reporter_phone) == (NAME, PHONE)  # the number cleaned
    assert case.client_hash == "a" * 64 and case.address == "人民北路 12 号"
    assert case.photos.count() == 2 and set(case.photos.values_list("kind", flat=True)) == {
        "before"
    }
    assert receipt.followed is None
    row = AuditEvent.objects.get(action="participation.portal_report")
    assert row.object_id == str(case.pk) and row.data == {"photos": 2, "followed": None}


def test_a_second_tap_with_the_same_form_finds_the_first_report(people):
    key = "0123456789abcdef0123456789abcdef"
    first = submit(form_key=key)
    again = submit(form_key=key, photos=2)
    assert again.case.pk == first.case.pk and not again.created
    assert Case.objects.count() == 1 and CasePhoto.objects.count() == 1


def test_a_malformed_form_key_only_loses_the_double_tap_protection(people):
    submit(form_key="not-a-key")
    submit(form_key="not-a-key")
    assert Case.objects.count() == 2
    assert not Case.objects.exclude(external_id="").exists()


def test_a_filled_honeypot_is_answered_like_a_report_and_nothing_is_kept(people):
    receipt = submit(website="http://spam.example", reporter_phone="123")
    assert receipt.case is None and not receipt.created
    assert len(receipt.token) == 12 and receipt.token.isalnum()
    assert not Case.objects.exists() and not CasePhoto.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="participation.").exists()


# -- limits --------------------------------------------------------------------------------------
@override_settings(PORTAL_REPORTS_PER_ADDRESS_HOUR=2, PORTAL_REPORTS_PER_PHONE_DAY=50)
def test_one_address_may_report_so_many_times_an_hour(people):
    with clock.at(at(2026, 11, 20, 9, 0)):
        submit(reporter_phone="13800000001")
    with clock.at(at(2026, 11, 20, 9, 20)):
        submit(reporter_phone="13800000002")
    with clock.at(at(2026, 11, 20, 9, 40)):
        with pytest.raises(services.TooManyReportsError) as limited:
            submit(reporter_phone="13800000003")
        # Another address is not held back.
        submit(reporter_phone="13800000004", client_hash="b" * 64)
    assert limited.value.status_code == 429 and limited.value.field == "form"
    message = limited.value.message
    assert "1 小时内最多可提交 2 条" in message and "10:01" in message and "12345" in message
    assert Case.objects.count() == 3 and CasePhoto.objects.count() == 3
    with clock.at(at(2026, 11, 20, 10, 1)):
        submit(reporter_phone="13800000005")  # the first report has left the hour


@override_settings(PORTAL_REPORTS_PER_ADDRESS_HOUR=100, PORTAL_REPORTS_PER_PHONE_DAY=2)
def test_one_phone_may_report_so_many_times_a_day(people):
    with clock.at(at(2026, 11, 20, 9, 0)):
        submit(client_hash="1" * 64)
        submit(client_hash="2" * 64)
    with clock.at(at(2026, 11, 20, 18, 0)):
        with pytest.raises(services.TooManyReportsError) as limited:
            submit(client_hash="3" * 64, reporter_phone="+86 139-1234-5678")
    message = limited.value.message
    assert "24 小时内最多可提交 2 条" in message and "11月21日 09:01" in message
    assert "12345" in message and Case.objects.count() == 2


@override_settings(PORTAL_REPORTS_PER_ADDRESS_HOUR=0, PORTAL_REPORTS_PER_PHONE_DAY=0)
def test_a_limit_of_zero_is_no_limit(people):
    for _ in range(3):
        submit()
    assert Case.objects.count() == 3


def test_the_per_address_count_is_the_cases_selector(people):
    submit()
    since = clock.now() - timedelta(hours=1)
    assert case_selectors.public_report_count(since=since, client_hash="a" * 64) == 1
    assert case_selectors.public_report_count(since=since, phone=PHONE) == 1


# -- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", ["", "1391234567", "139123456789", "23912345678", "1391234567x"])
def test_a_phone_that_is_not_a_mainland_mobile_is_refused(people, phone):
    with pytest.raises(ServiceError) as refused:
        submit(reporter_phone=phone)
    assert refused.value.field == "reporter_phone"
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


@pytest.mark.parametrize(
    "phone", ["13912345678", "139 1234 5678", "+8613912345678", "8613912345678"]
)
def test_a_mobile_number_is_kept_as_its_eleven_digits(phone):
    assert services.clean_mobile(phone) == "13912345678"


def test_a_point_outside_the_city_is_refused_before_any_photo_is_stored(people):
    with pytest.raises(OutsideCityError) as refused:
        submit(where=OUTSIDE, photos=3)
    assert refused.value.field == "lat" and refused.value.status_code == 422
    assert "十堰市" in refused.value.message
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": ""}, "category"),
        ({"category": "E05"}, "category"),  # a 大类
        ({"description": "  "}, "description"),
        ({"photos": 0}, "photos"),
        ({"photos": 4}, "photos"),
        ({"where": ("x", "y")}, "lat"),
        ({"reporter_name": "名" * 41}, "reporter_name"),
    ],
)
def test_an_incomplete_report_is_refused_at_its_field(people, change, field):
    with pytest.raises(ServiceError) as refused:
        submit(**change)
    assert refused.value.field == field
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_a_picture_that_is_not_an_image_is_named_by_its_place(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ServiceError) as refused:
        services.portal_report(
            category="B0102",
            description="井盖缺失",
            lat=MAOJIAN[0],
            lng=MAOJIAN[1],
            reporter_phone=PHONE,
            client_hash="",
            uploads=[jpeg(), bad],
        )
    assert refused.value.field == "photos" and refused.value.message.startswith("第 2 张照片")
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


# -- following a duplicate ---------------------------------------------------------------------------
def test_a_citizen_follows_the_open_case_nearby_with_a_code_of_their_own(people):
    original = submit(reporter_phone="13800000001").case
    receipt = submit(
        where=NEAR, photos=0, description="", follow_case_id=original.pk, reporter_phone=PHONE
    )
    case = receipt.case
    assert receipt.created and receipt.followed == original
    assert case.status == Status.MERGED and case.duplicate_of == original
    assert case.public_token != original.public_token and case.reporter_phone == PHONE
    assert case.description  # the form's empty description gets a plain default
    assert case_selectors.public_status(case)["case"] == original


def test_following_a_case_that_is_not_nearby_is_refused(people):
    far = submit(where=(MAOJIAN[0] + 0.01, MAOJIAN[1])).case
    with pytest.raises(ServiceError) as refused:
        submit(photos=0, follow_case_id=far.pk)
    assert refused.value.field == "follow_case_id"
    assert Case.objects.count() == 1


# -- groups ----------------------------------------------------------------------------------
def test_the_office_saves_a_group_of_the_form(people):
    group = catalog_services.public_group_save(
        actor=people["admin"], name="道路与井盖", hint="井盖缺失", category_codes=["B0102"]
    )
    assert [c.code for c in group.categories.all()] == ["B0102"]
    changed = catalog_services.public_group_save(
        actor=people["admin"],
        name="道路与井盖",
        hint="",
        position=5,
        category_codes=["B0102", "E0502"],
        group_id=group.pk,
    )
    assert changed.pk == group.pk and changed.position == 5
    assert sorted(c.code for c in changed.categories.all()) == ["B0102", "E0502"]
    assert AuditEvent.objects.filter(action="participation.public_group_save").count() == 2
    catalog_services.public_group_delete(actor=people["admin"], group_id=group.pk)
    assert not PublicGroup.objects.exists()
    assert AuditEvent.objects.filter(action="participation.public_group_delete").exists()


@pytest.mark.parametrize(
    "role", [Role.CITY_OPERATOR, Role.DISTRICT_OPERATOR, Role.UNIT_HANDLER, Role.VOLUNTEER]
)
def test_groups_are_refused_to_roles_that_do_not_configure(city, people, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        catalog_services.public_group_save(actor=user, name="环境卫生", category_codes=["E0102"])
    group = catalog_services.public_group_save(
        actor=None, name="环境卫生", category_codes=["E0102"]
    )
    with pytest.raises(PermissionDeniedError):
        catalog_services.public_group_delete(actor=user, group_id=group.pk)
    assert PublicGroup.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "名" * 31}, "name"),
        ({"hint": "字" * 101}, "hint"),
        ({"position": "first"}, "position"),
        ({"position": -1}, "position"),
        ({"category_codes": ["E05"]}, "categories"),  # a 大类
        ({"category_codes": ["Z9999"]}, "categories"),
        ({"name": "环境卫生"}, "name"),  # taken
    ],
)
def test_a_group_with_bad_input_is_refused(people, change, field):
    catalog_services.public_group_save(actor=None, name="环境卫生", category_codes=["E0102"])
    kwargs = {"actor": people["admin"], "name": "其他", "category_codes": ["W0101"], **change}
    with pytest.raises(ServiceError) as refused:
        catalog_services.public_group_save(**kwargs)
    assert refused.value.field == field
    assert PublicGroup.objects.count() == 1


def test_the_demo_groups_are_built_from_the_catalogue_names(people):
    assert seed_public_groups() is True
    groups = {g.name: sorted(c.code for c in g.categories.all()) for g in PublicGroup.objects.all()}
    # 污水井盖 → 道路与井盖; 暴露垃圾 → 环境卫生; 占道经营 (大类 街面秩序) → 占道与停车;
    # 乱扔垃圾 is both litter and uncivil behaviour.
    assert groups["道路与井盖"] == ["B0102"]
    assert groups["环境卫生"] == ["E0102", "W0101"]
    assert groups["占道与停车"] == ["E0502"]
    assert groups["不文明行为"] == ["W0101"]
    assert "其他" not in groups  # nothing was left over
    assert seed_public_groups() is False  # the office's edits are kept
