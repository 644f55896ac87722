from datetime import date

import pytest

from chuangwen.cases.services import photo_upload
from chuangwen.evaluation import services
from chuangwen.evaluation.models import RoundItem
from chuangwen.testing.cases import at
from chuangwen.testing.images import jpeg

STARTS, DUE = date(2026, 11, 2), date(2026, 11, 13)


@pytest.fixture
def admin(city):
    return city.user("city_admin", "city")


def photo_of(user) -> int:
    return photo_upload(upload=jpeg(name="evidence.jpg"), actor=user).pk


def plan(registry, admin, **overrides):
    """A round over every point of the mini city (explicit), shared by the two inspectors."""
    values = {
        "name": "2026年第6期双月测评",
        "kind": "bimonthly",
        "starts_on": STARTS,
        "due_on": DUE,
        "inspector_ids": [u.pk for u in registry.inspectors],
        "point_ids": [p.pk for p in registry.points.values()],
        "seed": 7,
        "actor": admin,
    }
    values.update(overrides)
    return services.round_create(**values)


@pytest.fixture
def open_round(registry, admin):
    from chuangwen.core import clock

    with clock.at(at(2026, 10, 30, 9, 0)):
        round_ = plan(registry, admin)
        return services.round_start(round_id=round_.pk, actor=admin)


def items_of(inspection) -> list[RoundItem]:
    return list(
        RoundItem.objects.filter(
            round_id=inspection.round_id, point_type_id=inspection.point.point_type_id
        ).order_by("position", "id")
    )


def answers(inspection, *, fail=(), na=(), occurrences=1, photos=None) -> list[dict]:
    """Every item passed except the positions in ``fail`` (with a photo each) and ``na``."""
    rows = []
    for position, item in enumerate(items_of(inspection)):
        if position in fail:
            ids = photos.pop(0) if photos else [photo_of(inspection.inspector)]
            rows.append(
                {
                    "item_id": item.pk,
                    "result": "fail",
                    "occurrences": occurrences,
                    "photo_ids": ids,
                }
            )
        elif position in na:
            rows.append({"item_id": item.pk, "result": "na"})
        else:
            rows.append({"item_id": item.pk, "result": "pass"})
    return rows


def on_site(inspection) -> dict:
    return {"lat": inspection.point.lat, "lng": inspection.point.lng}


def submit(inspection, results, *, key="k1", checkin=None, actor=None):
    return services.inspection_submit(
        inspection_id=inspection.pk,
        actor=actor or inspection.inspector,
        submission_key=key,
        results=results,
        checkin=checkin or on_site(inspection),
    )
