"""Inspectors' photos follow the same retention as case photos: one kept only by an
inspection result or a re-inspection is in use; one never submitted is deleted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangwen.cases.models import CasePhoto
from chuangwen.cases.services.retention import photos_prune_unattached
from chuangwen.core import clock
from chuangwen.evaluation import services
from chuangwen.evaluation.models import ItemResult
from chuangwen.testing.cases import at

from .conftest import answers, photo_of, submit

pytestmark = pytest.mark.django_db
LATER = timedelta(days=30)


@pytest.fixture(autouse=True)
def _days(settings):
    settings.PHOTO_UNATTACHED_DAYS = 7


def inspection_at(round_, code):
    return round_.inspections.select_related("point", "round", "inspector").get(point__code=code)


def test_a_photo_kept_on_a_passed_item_stays_and_a_forgotten_one_goes(open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    inspector = inspection.inspector
    on_item = photo_of(inspector)
    forgotten = photo_of(inspector)  # taken in the field app, never submitted
    results = answers(inspection)
    results[0]["photo_ids"] = [on_item]
    submit(inspection, results)
    kept = ItemResult.objects.get(inspection=inspection, item_id=results[0]["item_id"])
    assert [p.pk for p in kept.photos.all()] == [on_item]
    assert CasePhoto.objects.get(pk=on_item).case_id is None

    assert photos_prune_unattached(now=timezone.now() + LATER) == 1
    assert CasePhoto.objects.filter(pk=on_item).exists()
    assert not CasePhoto.objects.filter(pk=forgotten).exists()


def test_a_reinspection_photo_of_a_case_still_in_hand_stays(open_round):
    inspection = inspection_at(open_round, "ROAD-420302001001")
    with clock.at(at(2026, 11, 2, 10, 0)):
        submit(inspection, answers(inspection, fail=(0,)))
    task = ItemResult.objects.get(inspection=inspection, result="fail").reinspection
    mine = photo_of(task.inspector)
    services.reinspection_record(
        reinspection_id=task.pk,
        actor=task.inspector,
        passed=False,
        note="尚未整改",
        photo_ids=[mine],
    )
    assert CasePhoto.objects.get(pk=mine).case_id is None  # held by the re-inspection only
    assert photos_prune_unattached(now=timezone.now() + LATER) == 0
    assert CasePhoto.objects.filter(pk=mine).exists()
