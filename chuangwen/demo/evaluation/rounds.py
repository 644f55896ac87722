"""Two bimonthly rounds for the demo, played through the services with the clock set back:
the previous one finished (inspected, reviewed, its problem cases fixed and re-inspected),
the current one under way (most points inspected, some reviewed, two returned, the rest
still to visit). Districts differ in how tidy they are, so the rankings say something."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import PhotoKind, Status
from chuangwen.core import clock
from chuangwen.core.types import Actor
from chuangwen.core.workcalendar import get_calendar
from chuangwen.demo.history import demo_pictures
from chuangwen.evaluation import services
from chuangwen.evaluation.choices import InspectionStatus, Result, RoundKind, SubjectLevel
from chuangwen.evaluation.models import (
    Inspection,
    NegativeItem,
    PointType,
    Reinspection,
    Round,
    RoundItem,
)
from chuangwen.evaluation.permissions import INSPECTOR_ROLES

# How likely an item fails in each district (by code; others use the default).
FAIL_RATE = {"420302": 0.08, "420303": 0.12, "420304": 0.17}
DEFAULT_FAIL_RATE = 0.14
RETURN_NOTE = "照片未拍到问题全貌,请补拍后重新提交"


def _moment(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=get_calendar().tz) + timedelta(minutes=minutes)


class _Player:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pictures = demo_pictures(rng)
        self.items: dict[tuple[int, int], list[RoundItem]] = {}

    def photo(self, actor: Actor, kind=PhotoKind.BEFORE) -> int:
        content = self.rng.choice(self.pictures[kind])
        upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
        return case_services.photo_upload(upload=upload, actor=actor, kind=kind).pk

    def results(self, inspection: Inspection, district_code: str, *, better: float) -> list[dict]:
        key = (inspection.round_id, inspection.point.point_type_id)
        if key not in self.items:
            self.items[key] = list(
                RoundItem.objects.filter(round_id=key[0], point_type_id=key[1]).order_by(
                    "position", "id"
                )
            )
        rate = FAIL_RATE.get(district_code, DEFAULT_FAIL_RATE) * better
        answers = []
        for item in self.items[key]:
            draw = self.rng.random()
            if item.na_allowed and draw < 0.08:
                answers.append({"item_id": item.pk, "result": Result.NA})
            elif draw > 1 - rate:
                answers.append(
                    {
                        "item_id": item.pk,
                        "result": Result.FAIL,
                        "occurrences": self.rng.choice((1, 1, 1, 2, 3)),
                        "note": "现场发现,已拍照",
                        "photo_ids": [self.photo(inspection.inspector)]
                        if item.evidence_required
                        else [],
                    }
                )
            else:
                answers.append({"item_id": item.pk, "result": Result.PASS})
        return answers

    def inspect(self, inspection: Inspection, *, better: float = 1.0) -> Inspection:
        point = inspection.point
        when = _moment(inspection.planned_on, 25 * (inspection.route_order % 12))
        with clock.at(when):
            far = self.rng.random() < 0.04
            checkin = {
                "lat": point.lat + (0.004 if far else self.rng.uniform(-0.0002, 0.0002)),
                "lng": point.lng + self.rng.uniform(-0.0002, 0.0002),
                "at": (when - timedelta(minutes=15)).isoformat(),
                "exception": "点位门牌变更,实际位置在马路对面" if far else "",
            }
            district = point.district.code if point.district_id else ""
            return services.inspection_submit(
                inspection_id=inspection.pk,
                actor=inspection.inspector,
                submission_key=f"demo-{inspection.pk}-{inspection.version}",
                results=self.results(inspection, district, better=better),
                checkin=checkin,
            )


def _rules(share: int) -> list[dict]:
    return [
        {"point_type_id": pk, "percent": share, "per": SubjectLevel.DISTRICT, "minimum": 1}
        for pk in PointType.objects.filter(is_active=True).values_list("pk", flat=True)
    ]


def _penalise(round_: Round, rng: random.Random, count: int) -> None:
    negatives = list(
        NegativeItem.objects.filter(
            framework_id=round_.framework_id, subject_level=SubjectLevel.DISTRICT
        ).order_by("position")
    )
    districts = list(
        round_.inspections.values_list("point__district_id", flat=True).distinct().order_by()
    )
    for negative in negatives[:count]:
        services.penalty_record(
            round_id=round_.pk,
            negative_id=negative.pk,
            territory_id=rng.choice(sorted(districts)),
            note="市创文办暗访核实",
            actor=None,
        )


def _fix_cases(round_: Round, player: _Player, now: datetime) -> None:
    """The units fix most problems in time; re-inspection after the deadline checks them."""
    rng = player.rng
    for reinspection in (
        Reinspection.objects.filter(result__inspection__round=round_)
        .select_related("case")
        .order_by("pk")
    ):
        case = reinspection.case
        if case.status != Status.DISPATCHED or case.deadline is None:
            continue
        signed = case.dispatched_at + timedelta(minutes=rng.randint(20, 180))
        if signed >= now:
            continue
        with clock.at(signed):
            case_services.case_sign(case_id=case.pk, actor=None)
        done = signed + (case.deadline - signed) * rng.uniform(0.3, 1.3)
        if done >= now:
            continue
        with clock.at(done):
            case_services.case_finish(
                case_id=case.pk,
                actor=None,
                note="已整改",
                photo_ids=[player.photo(None, PhotoKind.AFTER)],
            )
        visit = max(_moment(reinspection.due_on, rng.randint(0, 400)), done + timedelta(hours=1))
        if visit >= now:
            continue
        with clock.at(visit):
            passed = rng.random() < 0.9
            services.reinspection_record(
                reinspection_id=reinspection.pk,
                actor=reinspection.inspector,
                passed=passed,
                note="" if passed else "问题仍然存在",
            )


def seed_rounds(*, stdout, seed: int = 2026) -> int:
    """The demo's rounds, once: nothing happens on a database that has rounds already."""
    if Round.objects.exists() or not PointType.objects.exists():
        return 0
    rng = random.Random(seed)
    player = _Player(rng)
    inspectors = list(
        get_user_model()
        .objects.filter(memberships__role__in=INSPECTOR_ROLES, is_active=True)
        .distinct()
        .order_by("username")
        .values_list("pk", flat=True)
    )
    if not inspectors:
        return 0
    now = clock.now()
    today = now.astimezone(get_calendar().tz).date()
    made = 0
    with transaction.atomic():
        start = today - timedelta(days=70)
        with clock.at(_moment(start - timedelta(days=3), 0)):
            earlier = services.round_create(
                name=f"{start.year}年第{(start.month + 1) // 2}期双月测评",
                kind=RoundKind.BIMONTHLY,
                starts_on=start,
                due_on=start + timedelta(days=11),
                inspector_ids=inspectors,
                rules=_rules(40),
                seed=seed,
                actor=None,
                note="演示数据:已结束的上一轮",
            )
            services.round_start(round_id=earlier.pk, actor=None)
        for inspection in _inspections(earlier):
            player.inspect(inspection, better=1.25)
        with clock.at(_moment(earlier.due_on, 480)):
            for inspection in earlier.inspections.filter(status=InspectionStatus.SUBMITTED):
                services.inspection_review(inspection_id=inspection.pk, actor=None, approve=True)
            _penalise(earlier, rng, 2)
        _fix_cases(earlier, player, now)
        with clock.at(_moment(earlier.due_on + timedelta(days=20), 0)):
            services.round_close(round_id=earlier.pk, actor=None)
        made += 1

        start = today - timedelta(days=12)
        with clock.at(_moment(start - timedelta(days=3), 0)):
            current = services.round_create(
                name=f"{start.year}年第{(start.month + 1) // 2}期双月测评",
                kind=RoundKind.BIMONTHLY,
                starts_on=start,
                due_on=today + timedelta(days=4),
                inspector_ids=inspectors,
                rules=_rules(40),
                seed=seed + 1,
                actor=None,
                note="演示数据:进行中的本轮",
            )
            services.round_start(round_id=current.pk, actor=None)
        visited = [i for i in _inspections(current) if i.planned_on < today]
        for inspection in visited:
            player.inspect(inspection)
        reviewed = _moment(today - timedelta(days=1), 420)
        with clock.at(reviewed):
            submitted = list(
                current.inspections.filter(status=InspectionStatus.SUBMITTED).order_by("pk")
            )
            for n, inspection in enumerate(submitted):
                if n % 2 == 0:
                    services.inspection_review(
                        inspection_id=inspection.pk, actor=None, approve=True
                    )
                elif n in (1, 3):
                    services.inspection_review(
                        inspection_id=inspection.pk, actor=None, approve=False, note=RETURN_NOTE
                    )
            _penalise(current, rng, 1)
        _fix_cases(current, player, now)
        made += 1
    stdout.write(
        f"测评:{made} 轮双月测评,{Inspection.objects.count()} 个点位测评,"
        f"{Reinspection.objects.count()} 个问题案件"
    )
    return made


def _inspections(round_: Round) -> list[Inspection]:
    return list(
        round_.inspections.select_related("point", "point__district", "inspector").order_by(
            "planned_on", "inspector_id", "route_order"
        )
    )
