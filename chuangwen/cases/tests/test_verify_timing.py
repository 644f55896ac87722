"""The verify step records whether it came within the verify stage's limit (the
assessment's 按时核实率 counts the flag)."""

import pytest

from chuangwen.cases import services
from chuangwen.cases.choices import Action, PhotoKind
from chuangwen.cases.models import Case, CaseEvent, CasePhoto
from chuangwen.core import clock
from chuangwen.testing.cases import MAOJIAN, at

pytestmark = pytest.mark.django_db


def handled_case(people, finished_at):
    """A B0102 case finished by the water company at ``finished_at`` (a Wednesday)."""
    with clock.at(at(2026, 11, 4, 9, 0)):
        case = services.case_report(
            category="B0102",
            description="井盖缺失",
            lat=MAOJIAN[0],
            lng=MAOJIAN[1],
            actor=people["collector"],
        ).case
        services.case_sign(case_id=case.pk, actor=people["water"])
    photo = CasePhoto.objects.create(
        kind=PhotoKind.AFTER,
        sha256="ab" * 32,
        uploaded_by=people["water"],
        image="cases/x.jpg",
        created_at=finished_at,
    )
    with clock.at(finished_at):
        services.case_finish(case_id=case.pk, actor=people["water"], photo_ids=[photo.pk])
    case.refresh_from_db()
    return case


def verify_event(case, action):
    return CaseEvent.objects.filter(case=case, action=action).latest("id")


def test_verification_within_the_stage_limit_is_on_time(people):
    case = handled_case(people, at(2026, 11, 4, 13, 0))
    assert case.stage_deadline == at(2026, 11, 4, 18, 0)  # 4 working hours from 14:00
    with clock.at(at(2026, 11, 4, 18, 0)):
        services.case_verify(case_id=case.pk, actor=people["collector"], ok=True)
    assert verify_event(case, Action.VERIFY_OK).data == {"on_time": True}


def test_late_verification_is_flagged_whichever_the_outcome(people):
    case = handled_case(people, at(2026, 11, 4, 13, 0))
    with clock.at(at(2026, 11, 5, 9, 0)):
        services.case_verify(case_id=case.pk, actor=people["collector"], ok=False, note="未修复")
    assert verify_event(case, Action.VERIFY_FAIL).data == {"rework": 1, "on_time": False}
    case.refresh_from_db()
    # The rework round opens the handling stage again: the next verify gets a new limit.
    photo = CasePhoto.objects.create(
        kind=PhotoKind.AFTER,
        sha256="cd" * 32,
        uploaded_by=people["water"],
        image="cases/y.jpg",
        created_at=at(2026, 11, 5, 10, 0),
    )
    with clock.at(at(2026, 11, 5, 10, 0)):
        services.case_finish(case_id=case.pk, actor=people["water"], photo_ids=[photo.pk])
    with clock.at(at(2026, 11, 5, 11, 0)):
        services.case_verify(case_id=case.pk, actor=people["collector"], ok=True)
    assert verify_event(case, Action.VERIFY_OK).data == {"on_time": True}


def test_a_verify_stage_without_a_limit_counts_as_on_time(people):
    case = handled_case(people, at(2026, 11, 4, 13, 0))
    # Written directly: every verify stage the services open has a limit; the model
    # allows none, and the step must then not count against the verifier.
    Case.objects.filter(pk=case.pk).update(stage_deadline=None)
    with clock.at(at(2026, 11, 20, 9, 0)):
        services.case_verify(case_id=case.pk, actor=people["collector"], ok=True)
    assert verify_event(case, Action.VERIFY_OK).data == {"on_time": True}
