"""What the public channels need from the case loop: tickets taken in once, duplicates
found and merged, the reporter's rating and reopen request, and the public views."""

from datetime import timedelta

import pytest

from chuangwen.cases import selectors, services
from chuangwen.cases.choices import Action, Channel, ReopenRequestStatus, Satisfaction, Status
from chuangwen.cases.duplicates import DuplicateIndex, distance_m, find_duplicates
from chuangwen.cases.models import Case, CaseEvent, CaseRating, ReopenRequest
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.notifications.models import Notification
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at
from chuangwen.testing.cases import close_case as close
from chuangwen.testing.city import ROLE_HOMES

pytestmark = pytest.mark.django_db

# About 30 m north-east of MAOJIAN: inside the default 50 m radius.
NEAR = (MAOJIAN[0] + 0.0002, MAOJIAN[1] + 0.0002)
# About 110 m north: outside it.
FAR = (MAOJIAN[0] + 0.001, MAOJIAN[1])


def report(actor, category="B0102", where=MAOJIAN, **kwargs):
    kwargs.setdefault("description", "人行道上井盖缺失,有行人跌落危险")
    return services.case_report(
        category=category, lat=where[0], lng=where[1], actor=actor, **kwargs
    ).case


def citizen_report(where=MAOJIAN, **kwargs):
    kwargs.setdefault("reporter_name", "李小花")
    kwargs.setdefault("reporter_phone", "13812345678")
    return report(None, where=where, channel=Channel.PORTAL, **kwargs)


# -- intake: tickets and third-party reporters -------------------------------------------
def test_a_ticket_of_a_source_is_taken_in_once(people):
    def ticket(source, external_id, category="B0102", where=MAOJIAN, **kwargs):
        return services.case_report(
            category=category,
            description="井盖缺失",
            lat=where[0],
            lng=where[1],
            actor=people["operator"],
            channel=Channel.HOTLINE if source == "12345" else Channel.SURVEY_FEEDBACK,
            source=source,
            external_id=external_id,
            **kwargs,
        )

    first = ticket("12345", "GD-001", reporter_name="王先生", reporter_phone="13900001111")
    again = ticket("12345", "GD-001", category="E0102", where=ZHANGWAN)
    assert first.created and not again.created and again.case.pk == first.case.pk
    other_source = ticket("国测", "GD-001")
    assert other_source.created
    case = first.case
    # On the citizen's behalf: the operator who typed it in is not the reporter.
    assert case.reporter is None and case.created_by == people["operator"]
    assert (case.reporter_name, case.reporter_phone) == ("王先生", "13900001111")
    assert case.status == Status.REPORTED  # the hotline is not a trusted channel
    assert len(case.public_token) == 12 and case.public_token != other_source.case.public_token


def test_an_overlong_ticket_number_is_refused(people):
    with pytest.raises(ServiceError) as refused:
        report(people["operator"], channel=Channel.HOTLINE, external_id="x" * 61)
    assert refused.value.field == "external_id"


# -- duplicates ------------------------------------------------------------------------------
def test_duplicates_are_open_cases_of_the_category_within_radius_and_window(people, catalogue):
    with clock.at(at(2026, 11, 2, 9, 0)):
        old = citizen_report(where=NEAR)
    with clock.at(at(2026, 11, 20, 9, 0)):
        near = citizen_report(where=NEAR)
        far = citizen_report(where=FAR)
        other_kind = citizen_report(where=NEAR, category="E0102")
        closed = citizen_report(where=MAOJIAN)
        services.case_reject(case_id=closed.pk, actor=people["operator"], note="重复")
        found = find_duplicates(
            category=catalogue.categories["B0102"], lat=MAOJIAN[0], lng=MAOJIAN[1]
        )
    assert [c.id for c in found] == [near.pk]
    assert 25 < found[0].distance_m < 35
    assert old.pk and far.pk and other_kind.pk  # each exists and is rightly left out
    assert 105 < distance_m(*MAOJIAN, *FAR) < 115


def test_the_memory_index_agrees_with_the_database(people, catalogue):
    with clock.at(at(2026, 11, 20, 9, 0)):
        near = citizen_report(where=NEAR)
        citizen_report(where=FAR)
        index = DuplicateIndex(catalogue.categories.values()).load()
        assert index.nearest(catalogue.categories["B0102"].pk, *MAOJIAN)[0] == near.pk
        assert index.nearest(catalogue.categories["E0102"].pk, *MAOJIAN) is None
        index.add(catalogue.categories["E0102"].pk, 999_999, *MAOJIAN, clock.now())
        assert index.nearest(catalogue.categories["E0102"].pk, *NEAR)[0] == 999_999


def test_candidates_for_a_form_that_is_not_complete_are_none(catalogue):
    assert selectors.duplicate_candidates(user=None, category="", lat="", lng="") == []
    assert selectors.duplicate_candidates(user=None, category="B0102", lat="abc", lng="1") == []
    assert selectors.duplicate_candidates(user=None, category="Z9999", lat=1, lng=1) == []


def test_a_reporter_who_follows_an_open_case_is_merged_into_it(people):
    original = citizen_report()
    follower = citizen_report(where=NEAR, reporter_phone="13700000000", follow_case_id=original.pk)
    assert follower.status == Status.MERGED and follower.duplicate_of == original
    assert [e.action for e in follower.events.all()] == [Action.REPORT, Action.MERGE]
    merge_on_original = original.events.get(action=Action.MERGE)
    assert merge_on_original.data["from"] == follower.code
    assert merge_on_original.from_status == merge_on_original.to_status == Status.REPORTED
    # The follower's tracking shows the original's steps.
    status = selectors.public_status(follower)
    assert status["case"] == original and not status["done"]


@pytest.mark.parametrize("follow", ["abc", -1])
def test_following_anything_but_an_offered_duplicate_is_refused(people, follow):
    far = citizen_report(where=FAR)
    target = far.pk if follow == -1 else follow
    with pytest.raises(ServiceError) as refused:
        citizen_report(follow_case_id=target)
    assert refused.value.field == "follow_case_id"
    assert Case.objects.count() == 1


def test_an_operator_merges_a_duplicate_into_the_case_that_goes_on(people):
    original = report(people["collector"])
    duplicate = citizen_report(where=NEAR)
    earlier_follower = citizen_report(where=NEAR, follow_case_id=duplicate.pk)
    merged = services.case_merge(
        case_id=duplicate.pk, into_id=original.pk, actor=people["district"], note="同一井盖"
    )
    assert merged.status == Status.MERGED and merged.duplicate_of == original
    assert merged.closed_at is not None and merged.version == duplicate.version + 1
    earlier_follower.refresh_from_db()
    assert earlier_follower.duplicate_of == original  # follows the original directly now
    original.refresh_from_db()
    assert original.status == Status.DISPATCHED and original.version == 2
    event = original.events.filter(action=Action.MERGE).get()
    assert event.data["from"] == duplicate.code and event.actor == people["district"]
    assert set(selectors.duplicates_of(user=people["operator"], case=original)) == {
        merged,
        earlier_follower,
    }


@pytest.mark.parametrize(
    "role", [Role.LEADER, Role.UNIT_HANDLER, Role.COLLECTOR, Role.OBSERVER, Role.VOLUNTEER]
)
def test_merging_is_refused_to_roles_that_do_not_operate_the_territory(city, people, role):
    original = report(people["collector"])
    duplicate = citizen_report(where=NEAR)
    with pytest.raises(ServiceError):  # 403, or 400 "不存在" outside the scope
        services.case_merge(
            case_id=duplicate.pk, into_id=original.pk, actor=city.user(role, ROLE_HOMES[role])
        )
    duplicate.refresh_from_db()
    assert duplicate.status == Status.REPORTED


def test_merging_across_districts_needs_both_in_scope(people):
    original = citizen_report(where=ZHANGWAN)
    duplicate = citizen_report()
    with pytest.raises(ServiceError):
        services.case_merge(case_id=duplicate.pk, into_id=original.pk, actor=people["district"])
    assert Case.objects.get(pk=duplicate.pk).status == Status.REPORTED


def test_merge_refuses_itself_a_closed_target_and_bad_input(people):
    original = report(people["collector"])
    duplicate = citizen_report(where=NEAR)
    operator = people["operator"]
    with pytest.raises(ServiceError, match="自己"):
        services.case_merge(case_id=duplicate.pk, into_id=duplicate.pk, actor=operator)
    with pytest.raises(ServiceError) as bad:
        services.case_merge(case_id=duplicate.pk, into_id="x", actor=operator)
    assert bad.value.field == "into_id"
    services.case_cancel(case_id=original.pk, actor=operator, note="误报")
    with pytest.raises(ConflictError, match="在办案件"):
        services.case_merge(case_id=duplicate.pk, into_id=original.pk, actor=operator)
    with pytest.raises(ConflictError):  # a stale page
        services.case_merge(case_id=duplicate.pk, into_id=original.pk, actor=operator, version=9)


# -- rating and reopening ----------------------------------------------------------------------
def test_the_reporter_rates_a_closed_case_once(people, catalogue):
    case = citizen_report()
    with pytest.raises(ConflictError, match="办结后"):
        services.case_rate(token=case.public_token, rating=Satisfaction.SATISFIED)
    close(case, people)
    row = services.case_rate(
        token=case.public_token.lower(), rating=Satisfaction.BASIC, comment="处理及时"
    )
    assert row.unit == catalogue.water and row.category.code == "B0102"
    assert row.territory_path == case.territory_path
    event = case.events.get(action=Action.RATE)
    assert event.data == {"rating": "basic"} and event.actor is None
    with pytest.raises(ConflictError, match="重复评价"):
        services.case_rate(token=case.public_token, rating=Satisfaction.SATISFIED)


@pytest.mark.parametrize(
    ("token", "rating", "field"),
    [("", "satisfied", "token"), ("NOSUCHTOKEN1", "satisfied", "token"), (None, "great", "rating")],
)
def test_rating_with_bad_input_is_refused(people, token, rating, field):
    case = citizen_report()
    close(case, people)
    with pytest.raises(ServiceError) as refused:
        services.case_rate(token=case.public_token if token is None else token, rating=rating)
    assert refused.value.field == field
    assert not CaseRating.objects.exists()


def test_a_merged_report_is_rated_for_the_original_and_its_unit(people, catalogue):
    original = report(people["collector"])
    follower = citizen_report(where=NEAR, follow_case_id=original.pk)
    close(original, people)
    row = services.case_rate(token=follower.public_token, rating=Satisfaction.SATISFIED)
    assert row.case == follower and row.handled_case == original and row.unit == catalogue.water


def test_a_dissatisfied_reporter_asks_to_reopen_and_an_operator_approves(people):
    case = citizen_report()
    with clock.at(at(2026, 11, 2, 9, 0)):
        close(case, people)
    with clock.at(at(2026, 11, 5, 9, 0)):
        with pytest.raises(ConflictError, match="不满意"):
            services.reopen_request_submit(token=case.public_token, reason="井盖又松了")
        services.case_rate(token=case.public_token, rating=Satisfaction.DISSATISFIED)
        request = services.reopen_request_submit(token=case.public_token, reason="井盖又松了")
        with pytest.raises(ConflictError, match="已经提交过"):
            services.reopen_request_submit(token=case.public_token, reason="再次申请")
    assert Notification.objects.filter(
        recipient=people["operator"], kind="case.reopen_request"
    ).exists()
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED  # a review, not a reopening
    status = selectors.public_status(Case.objects.get(pk=case.pk))
    assert status["reopen_request"] == request and not status["may_request_reopen"]
    # Approved after the window: the request came within it, so it stands.
    with clock.at(at(2026, 11, 20, 9, 0)):
        decided = services.reopen_request_decide(
            request_id=request.pk, approve=True, actor=people["district"]
        )
    assert (
        decided.status == ReopenRequestStatus.APPROVED and decided.decided_by == people["district"]
    )
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.reopen_count == 1 and case.unit is None
    assert "井盖又松了" in case.events.get(action=Action.REOPEN).note
    with pytest.raises(ConflictError, match="审核过"):
        services.reopen_request_decide(
            request_id=request.pk, approve=False, actor=people["district"], note="x"
        )


def test_a_reopen_request_after_the_window_is_refused(people):
    case = citizen_report()
    with clock.at(at(2026, 11, 2, 9, 0)):
        close(case, people)
    with clock.at(at(2026, 11, 12, 9, 0)):
        services.case_rate(token=case.public_token, rating=Satisfaction.DISSATISFIED)
        with pytest.raises(ConflictError, match="7 天"):
            services.reopen_request_submit(token=case.public_token, reason="没修好")
        with pytest.raises(ServiceError) as empty:
            services.reopen_request_submit(token=case.public_token, reason="  ")
    assert empty.value.field == "reason"
    assert not ReopenRequest.objects.exists()


def _pending_request(people):
    case = citizen_report()
    close(case, people)
    services.case_rate(token=case.public_token, rating=Satisfaction.DISSATISFIED)
    return services.reopen_request_submit(token=case.public_token, reason="没修好")


def test_a_refusal_needs_a_reason_which_the_reporter_sees(people):
    request = _pending_request(people)
    with pytest.raises(ServiceError) as empty:
        services.reopen_request_decide(
            request_id=request.pk, approve=False, actor=people["operator"]
        )
    assert empty.value.field == "note"
    services.reopen_request_decide(
        request_id=request.pk, approve=False, actor=people["operator"], note="现场核实已修复"
    )
    timeline = selectors.public_timeline(case=request.case)
    assert timeline[-1]["action"] == Action.REOPEN_REFUSE
    assert Case.objects.get(pk=request.case_id).status == Status.CLOSED


@pytest.mark.parametrize("who", ["zhangwan", "water", "collector", "leader"])
def test_reviewing_a_reopen_request_is_refused_outside_the_operators(people, who):
    request = _pending_request(people)
    with pytest.raises((ServiceError, PermissionDeniedError)):
        services.reopen_request_decide(request_id=request.pk, approve=True, actor=people[who])
    request.refresh_from_db()
    assert request.status == ReopenRequestStatus.PENDING


# -- the public views ------------------------------------------------------------------------
def test_the_public_timeline_names_no_one_and_shows_no_notes(people):
    case = citizen_report()
    services.case_accept(case_id=case.pk, actor=people["operator"], note="内部备注:联系李小花")
    services.case_dispatch(
        case_id=case.pk, actor=people["operator"], unit_id=case.suggested_unit_id
    )
    rows = selectors.public_timeline(case=case)
    assert [r["action"] for r in rows] == [Action.REPORT, Action.ACCEPT, Action.DISPATCH]
    assert rows[-1]["text"] == "已派遣至责任单位:市水务集团"
    flat = repr(rows)
    assert (
        "李小花" not in flat and "内部备注" not in flat and people["operator"].username not in flat
    )


def test_public_recent_carries_no_personal_data(people):
    case = citizen_report()
    rows = selectors.public_recent()
    assert [r["code"] for r in rows] == [case.code]
    assert set(rows[0]) == {
        "code",
        "lat",
        "lng",
        "status",
        "status_label",
        "reported_at",
        "closed_at",
        "category",
        "place",
    }
    assert "13812345678" not in repr(rows) and "李小花" not in repr(rows)


def test_public_report_count_counts_by_address_and_by_phone(people):
    citizen_report(client_hash="a" * 64)
    citizen_report(client_hash="b" * 64, reporter_phone="13812345678")
    since = clock.now() - timedelta(hours=1)
    assert selectors.public_report_count(since=since, client_hash="a" * 64) == 1
    assert selectors.public_report_count(since=since, phone="13812345678") == 2
    assert selectors.public_report_count(since=since) == 0


# -- satisfaction statistics -------------------------------------------------------------------
def test_satisfaction_and_reopen_statistics_per_unit_and_category(people, catalogue):
    ratings = [Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED]
    cases = [citizen_report(where=(MAOJIAN[0] + i * 0.01, MAOJIAN[1])) for i in range(3)]
    for case, rating in zip(cases, ratings, strict=True):
        close(case, people)
        services.case_rate(token=case.public_token, rating=rating)
    request = services.reopen_request_submit(token=cases[2].public_token, reason="没修好")
    services.reopen_request_decide(request_id=request.pk, approve=True, actor=people["operator"])
    (row,) = selectors.satisfaction_stats(user=people["operator"], by="unit")
    assert (row.name, row.rated, row.satisfied, row.basic, row.dissatisfied) == (
        "市水务集团",
        3,
        1,
        1,
        1,
    )
    assert row.rate == pytest.approx(2 / 3)
    assert (row.reopen_requests, row.reopened) == (1, 1)
    (by_category,) = selectors.satisfaction_stats(user=people["operator"], by="category")
    assert by_category.name == "污水井盖" and by_category.rated == 3
    # Out of scope: another district's operator sees none of it.
    assert selectors.satisfaction_stats(user=people["zhangwan"], by="unit") == []
    with pytest.raises(ValueError):
        selectors.satisfaction_stats(user=people["operator"], by="street")
    assert CaseEvent.objects.filter(action=Action.RATE).count() == 3


# -- the staff pages -----------------------------------------------------------------------
def test_the_case_page_offers_duplicates_and_merges_them(client, people):
    original = report(people["collector"])
    duplicate = citizen_report(where=NEAR)
    client.force_login(people["district"])
    text = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert "疑似重复" in text and f'<option value="{original.pk}"' in text
    response = client.post(
        f"/cases/{duplicate.pk}/act/",
        {"action": "merge", "version": duplicate.version, "into": original.pk, "note": "同一井盖"},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.duplicate_of == original
    text = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert 'id="merged-into"' in text and original.code in text
    text = client.get(f"/cases/{original.pk}/").content.decode()
    assert "已并入的重复上报" in text and duplicate.code in text


def test_merging_by_a_typed_code_and_refusing_an_unknown_one(client, people):
    original = report(people["collector"])
    duplicate = citizen_report(where=FAR)  # too far to be offered: the code is typed
    client.force_login(people["operator"])
    refused = client.post(
        f"/cases/{duplicate.pk}/act/",
        {"action": "merge", "version": duplicate.version, "into_code": "NOSUCH"},
    )
    assert refused.status_code == 400 and "未找到编号为 NOSUCH 的案件" in refused.content.decode()
    client.post(
        f"/cases/{duplicate.pk}/act/",
        {"action": "merge", "version": duplicate.version, "into_code": original.code.lower()},
    )
    assert Case.objects.get(pk=duplicate.pk).duplicate_of == original


def test_the_field_report_offers_nearby_cases_to_follow(client, people):
    original = report(people["collector"])
    client.force_login(people["collector"])
    fragment = client.get(
        "/cases/report/nearby/", {"category": "B0102-02", "lat": NEAR[0], "lng": NEAR[1]}
    ).content.decode()
    assert original.code in fragment and f'name="follow_case_id" value="{original.pk}"' in fragment
    assert client.get("/cases/report/nearby/", {"category": "B0102"}).content.decode().strip() == ""
    response = client.post(
        "/cases/report/",
        {
            "category": "B0102",
            "description": "井盖缺失",
            "lat": NEAR[0],
            "lng": NEAR[1],
            "follow_case_id": original.pk,
        },
    )
    follower = Case.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302 and response.url == f"/cases/{follower.pk}/"
    assert follower.duplicate_of == original and follower.status == Status.MERGED


def test_the_satisfaction_page_counts_and_reviews(client, people):
    case = citizen_report()
    close(case, people)
    services.case_rate(token=case.public_token, rating=Satisfaction.DISSATISFIED)
    request = services.reopen_request_submit(token=case.public_token, reason="井盖还是松的")
    client.force_login(people["operator"])
    text = client.get("/cases/satisfaction/").content.decode()
    assert "市水务集团" in text and "0%" in text and "井盖还是松的" in text
    by_category = client.get("/cases/satisfaction/", {"by": "category", "month": "2019-01"})
    assert "还没有市民评价" in by_category.content.decode()
    assert "月份格式不正确" in client.get("/cases/satisfaction/?month=13").content.decode()
    refused = client.post(f"/cases/reopen-requests/{request.pk}/decide/", {"decision": "refuse"})
    assert refused.status_code == 302
    assert ReopenRequest.objects.get().status == ReopenRequestStatus.PENDING
    client.post(f"/cases/reopen-requests/{request.pk}/decide/", {"decision": "approve"})
    assert ReopenRequest.objects.get().status == ReopenRequestStatus.APPROVED
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_the_satisfaction_page_shows_nothing_of_another_district(client, people):
    case = citizen_report()
    close(case, people)
    services.case_rate(token=case.public_token, rating=Satisfaction.DISSATISFIED)
    request = services.reopen_request_submit(token=case.public_token, reason="井盖还是松的")
    client.force_login(people["zhangwan"])
    text = client.get("/cases/satisfaction/").content.decode()
    assert "市水务集团" not in text and "井盖还是松的" not in text
    client.post(f"/cases/reopen-requests/{request.pk}/decide/", {"decision": "approve"})
    assert ReopenRequest.objects.get().status == ReopenRequestStatus.PENDING


# -- the API -------------------------------------------------------------------------------
def test_the_api_offers_duplicates_follows_and_merges(client, people, token_for):
    original = report(people["collector"])
    auth = token_for(people["collector"])
    found = client.get(
        "/api/v1/cases/duplicates",
        {"category": "B0102", "lat": NEAR[0], "lng": NEAR[1]},
        **auth,
    ).json()
    assert [d["code"] for d in found] == [original.code]
    assert found[0]["reported_at"].endswith("+08:00") and found[0]["status"] == "dispatched"
    bad = client.get("/api/v1/cases/duplicates", {"category": "B0102", "lat": "x"}, **auth)
    assert bad.status_code == 422
    followed = client.post(
        "/api/v1/cases",
        {
            "category": "B0102",
            "description": "井盖缺失",
            "lat": NEAR[0],
            "lng": NEAR[1],
            "follow_case_id": original.pk,
        },
        content_type="application/json",
        **auth,
    )
    assert followed.status_code == 201 and followed.json()["status"] == "merged"
    duplicate = citizen_report(where=NEAR)
    operator = token_for(people["operator"])
    merged = client.post(
        f"/api/v1/cases/{duplicate.pk}/transitions",
        {"action": "merge", "into": original.pk, "version": duplicate.version},
        content_type="application/json",
        **operator,
    )
    assert merged.status_code == 200 and merged.json()["status"] == "merged"
    refused = client.post(
        f"/api/v1/cases/{original.pk}/transitions",
        {"action": "merge", "into": original.pk},
        content_type="application/json",
        **operator,
    )
    assert refused.status_code == 400 and "自己" in refused.json()["detail"]


def test_the_api_reports_satisfaction_in_scope(client, people, token_for):
    case = citizen_report()
    close(case, people)
    services.case_rate(token=case.public_token, rating=Satisfaction.SATISFIED)
    rows = client.get("/api/v1/cases/satisfaction", **token_for(people["operator"])).json()
    assert rows == [
        {
            "key": Case.objects.get(pk=case.pk).unit_id,
            "name": "市水务集团",
            "rated": 1,
            "satisfied": 1,
            "basic": 0,
            "dissatisfied": 0,
            "rate": 1.0,
            "reopen_requests": 0,
            "reopened": 0,
        }
    ]
    assert client.get("/api/v1/cases/satisfaction", **token_for(people["zhangwan"])).json() == []
    wrong = client.get(
        "/api/v1/cases/satisfaction", {"by": "street"}, **token_for(people["operator"])
    )
    assert wrong.status_code == 400 and "unit 或 category" in wrong.json()["detail"]
