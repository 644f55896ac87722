"""Holes found by trying the case loop as each role would: nearby cases of other
territories, following a case one cannot see, evidence photos without the right to the
step, channels a role does not speak for, and volunteers reading a whole street."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.cases import services
from chuangwen.cases.choices import Channel, PhotoKind, Status
from chuangwen.cases.models import Case, CasePhoto
from chuangwen.cases.permissions import ROLE_CHANNELS
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN
from chuangwen.testing.city import ROLE_HOMES
from chuangwen.testing.images import jpeg_bytes

from .test_api import post

pytestmark = pytest.mark.django_db

# Two points 20 m apart in 茅箭区 (street 420302001, community 001), and one just across
# the district border in 张湾区, 20 m from the second.
HERE = MAOJIAN
NEAR = (MAOJIAN[0] + 0.00018, MAOJIAN[1])
BORDER_MAOJIAN = (32.05, 110.19985)
BORDER_ZHANGWAN = (32.05, 110.20015)


def _report(actor, where, **kwargs):
    kwargs.setdefault("description", "占道经营,摊主王大明 13912345678")
    kwargs.setdefault("address", "人民北路25号3单元楼下")
    return services.case_report(
        category="E0502", lat=where[0], lng=where[1], actor=actor, **kwargs
    ).case


@pytest.fixture
def across(people):
    """A case on each side of the district border, 30 m apart."""
    ours = _report(people["operator"], BORDER_MAOJIAN)
    theirs = _report(people["operator"], BORDER_ZHANGWAN)
    return ours, theirs


# -- duplicates --------------------------------------------------------------------------------
def test_duplicates_api_lists_only_cases_in_the_callers_scope(client, people, token_for, across):
    ours, theirs = across
    params = {"category": "E0502", "lat": BORDER_MAOJIAN[0], "lng": BORDER_MAOJIAN[1]}
    seen = client.get("/api/v1/cases/duplicates", params, **token_for(people["district"]))
    assert seen.status_code == 200
    assert [row["code"] for row in seen.json()] == [ours.code]
    seen = client.get("/api/v1/cases/duplicates", params, **token_for(people["zhangwan"]))
    assert [row["code"] for row in seen.json()] == [theirs.code]
    seen = client.get("/api/v1/cases/duplicates", params, **token_for(people["operator"]))
    assert {row["code"] for row in seen.json()} == {ours.code, theirs.code}


def test_staff_pages_show_nearby_cases_of_the_scope_only(client, people, across):
    ours, theirs = across
    client.force_login(people["district"])
    params = {"category": "E0502", "lat": BORDER_MAOJIAN[0], "lng": BORDER_MAOJIAN[1]}
    fragment = client.get("/cases/report/nearby/", params).content.decode()
    assert ours.code in fragment and theirs.code not in fragment
    page = client.get(f"/cases/{ours.pk}/").content.decode()
    assert 'id="duplicates"' not in page  # the only neighbour is outside the district
    client.force_login(people["operator"])
    page = client.get(f"/cases/{ours.pk}/").content.decode()
    assert theirs.code in page


def test_the_portal_learns_distance_category_and_status_only(client, people, across):
    ours, theirs = across
    params = {"category": "E0502", "lat": BORDER_MAOJIAN[0], "lng": BORDER_MAOJIAN[1]}
    fragment = client.get("/public/report/nearby", params).content.decode()
    assert fragment.count('name="follow_case_id"') == 2
    for case in (ours, theirs):
        for secret in (case.code, "王大明", "13912345678", "人民北路", case.description):
            assert secret not in fragment
        assert f'value="{case.pk}"' in fragment
    assert "相距约" in fragment
    assert "<time" not in fragment  # no reporting time either


def test_following_a_case_out_of_scope_is_refused(people, across):
    ours, theirs = across
    with pytest.raises(ServiceError) as refused:
        _report(people["district"], BORDER_MAOJIAN, follow_case_id=theirs.pk)
    assert refused.value.field == "follow_case_id"
    assert Case.objects.count() == 2
    merged = _report(people["district"], BORDER_MAOJIAN, follow_case_id=ours.pk)
    assert merged.status == Status.MERGED and merged.duplicate_of_id == ours.pk


def test_the_api_refuses_following_a_case_out_of_scope(client, people, token_for, across):
    _ours, theirs = across
    body = {
        "category": "E0502",
        "description": "占道经营",
        "lat": BORDER_MAOJIAN[0],
        "lng": BORDER_MAOJIAN[1],
        "follow_case_id": theirs.pk,
    }
    answer = post(client, "/api/v1/cases", body, token_for(people["district"]))
    assert answer.status_code == 400
    assert answer.json()["field"] == "follow_case_id"


# -- photos ------------------------------------------------------------------------------------
def _photo(client, auth, case, kind):
    data = {
        "file": SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg"),
        "kind": kind,
        "case": case.pk,
    }
    return client.post("/api/v1/cases/photos", data=data, **auth)


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [
        ("water", PhotoKind.AFTER, 201),  # the unit the case is dispatched to
        ("collector", PhotoKind.AFTER, 403),  # a verifier cannot add the unit's evidence
        ("district", PhotoKind.AFTER, 403),
        ("collector", PhotoKind.VERIFY, 201),
        ("operator", PhotoKind.VERIFY, 201),
        ("water", PhotoKind.VERIFY, 403),  # a unit never verifies its own work
        ("collector", PhotoKind.BEFORE, 201),  # the reporter
        ("district", PhotoKind.BEFORE, 201),  # the territory's operator
        ("water", PhotoKind.BEFORE, 403),
        ("dept", PhotoKind.AFTER, 404),  # cannot see the case at all
    ],
)
def test_case_photos_need_the_right_to_the_step(client, people, token_for, who, kind, status):
    case = services.case_report(
        category="B0102",
        description="井盖缺失",
        lat=HERE[0],
        lng=HERE[1],
        actor=people["collector"],
    ).case
    assert case.status == Status.DISPATCHED
    answer = _photo(client, token_for(people[who]), case, kind)
    assert answer.status_code == status, answer.content
    assert CasePhoto.objects.filter(case=case).count() == (1 if status == 201 else 0)


# -- channels ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role", sorted(ROLE_HOMES))
def test_each_role_files_on_its_own_channels_only(city, catalogue, role):
    user = city.user(role, ROLE_HOMES[role])
    for channel in Channel.values:
        if channel in ROLE_CHANNELS[role]:
            assert _report(user, HERE, channel=channel).channel == channel
            continue
        with pytest.raises(PermissionDeniedError) as refused:
            _report(user, HERE, channel=channel)
        assert refused.value.field == "channel", channel
    filed = set(Case.objects.values_list("channel", flat=True))
    assert filed == set(ROLE_CHANNELS[role])
    assert not filed & {Channel.PORTAL, Channel.OPEN311}


def test_nobody_files_on_the_public_channels_with_an_account(client, people, token_for):
    body = {"category": "E0502", "description": "占道", "lat": HERE[0], "lng": HERE[1]}
    for channel in ("portal", "open311", "hotline"):
        answer = post(
            client, "/api/v1/cases", {**body, "channel": channel}, token_for(people["collector"])
        )
        assert answer.status_code == 403, channel
        assert answer.json()["field"] == "channel"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("role", "home", "status"),
    [
        (Role.VOLUNTEER, "volunteers", Status.REPORTED),
        (Role.PERSUADER, "420302001001", Status.REPORTED),
        (Role.OBSERVER, "420302001", Status.REPORTED),
        (Role.COLLECTOR, "420302001", Status.DISPATCHED),
        (Role.INSPECTOR, "420302001", Status.DISPATCHED),
    ],
)
def test_volunteers_persuaders_and_observers_report_to_acceptance(
    city, catalogue, role, home, status
):
    user = city.user(role, home)
    case = services.case_report(
        category="B0102", description="井盖缺失", lat=HERE[0], lng=HERE[1], actor=user
    ).case
    assert case.status == status
    if status == Status.REPORTED:
        assert case.registered_at is None and case.unit is None


def test_a_volunteer_reads_their_own_reports_only(client, city, catalogue, people, token_for):
    volunteer = city.user(Role.VOLUNTEER, "volunteers")
    own = _report(volunteer, HERE, description="志愿者看到的占道经营")
    other = _report(people["collector"], NEAR, description="网格员上报")
    auth = token_for(volunteer)
    listed = client.get("/api/v1/cases", **auth).json()["items"]
    assert [row["code"] for row in listed] == [own.code]
    assert client.get(f"/api/v1/cases/{own.pk}", **auth).status_code == 200
    assert client.get(f"/api/v1/cases/{other.pk}", **auth).status_code == 404
    client.force_login(volunteer)
    listing = client.get("/cases/").content.decode()
    assert own.code in listing and other.code not in listing
    # The same street's persuader still sees the street's cases (to verify on site).
    persuader = city.user(Role.PERSUADER, "420302001001")
    seen = client.get("/api/v1/cases", **token_for(persuader)).json()["items"]
    assert {row["code"] for row in seen} >= {own.code, other.code}


def test_a_volunteer_report_waits_and_stays_visible_to_them(city, catalogue, people):
    volunteer = city.user(Role.VOLUNTEER, "volunteers")
    case = _report(volunteer, HERE)
    accepted = services.case_accept(case_id=case.pk, actor=people["operator"])
    assert accepted.status == Status.REGISTERED
    assert Case.objects.scoped_for(volunteer).filter(pk=case.pk).exists()


def test_a_round_files_an_observers_failed_item_as_trusted(city, catalogue):
    """An observer checks points in a round the office planned: the evaluation service
    vouches for the 测评问题 it files. On their own the observer reports to acceptance,
    and cannot label a report as an inspection."""
    observer = city.user(Role.OBSERVER, "city")
    kwargs = {"category": "B0102", "description": "井盖缺失", "lat": HERE[0], "lng": HERE[1]}
    with pytest.raises(PermissionDeniedError):
        services.case_report(actor=observer, channel=Channel.INSPECTION, **kwargs)
    filed = services.case_report(
        actor=observer, channel=Channel.INSPECTION, vouched=True, **kwargs
    ).case
    assert (filed.channel, filed.status) == (Channel.INSPECTION, Status.DISPATCHED)
    own = services.case_report(actor=observer, **kwargs).case
    assert (own.channel, own.status) == (Channel.FIELD, Status.REPORTED)
