"""The assessment story on the mini city, September 2026 (times local; the clock stands at
12 October 2026 unless a test moves it):

    M1  茅箭区 (community 420302001001), B0102 井盖 reported 09-01 09:00 → due 11:00,
        finished 09:40, verified 10:00: closed on time
    M2  茅箭区, reported 09-28 09:00 → due 11:00, finished 09:30, not yet verified
    Z1  张湾区 (community 420303001001), reported 09-01 09:00 → due 11:00, left open

Every case goes to 市水务集团. District figures for September:

    茅箭区 due 2, on time 1 → 按期结案率 50 %;  返工率 0 %;  survey entered 85 %
    张湾区 due 1, on time 0 → 按期结案率 0 %;   返工率 0 %;  survey entered 95 %

District scheme (``DISTRICT_SCHEME``), 100 points:

    1 按期结案率  40  threshold ≥ 90 %, −0.5 per point below
    2 返工率      10  lower-better ≤ 10 %, −0.5 per point above
    3 群众满意度  20  threshold ≥ 90 %, −1 per point below
    4 测评得分率  20  proportional (no inspection anywhere: full points)
    5 负面清单    10  deduction

    茅箭区 20 + 10 + 15 + 20 + 10 = 75 → rank 1
    张湾区  0 + 10 + 20 + 20 + 10 = 60 → rank 2   (40 × 0.5 = 45 lost, 扣完为止)

Street scheme: 按期结案率 100 points, threshold ≥ 90 %, −1 per point below:

    420302001 (M1, M2) 50 % → 60;  420302002 nothing due → 100;  420303001 (Z1) 0 % → 10
    ranks: 420302002 1, 420302001 2, 420303001 3
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from chuangwen.assessment import services
from chuangwen.cases import services as case_services
from chuangwen.cases.choices import PhotoKind
from chuangwen.cases.models import Case, CasePhoto
from chuangwen.core import clock
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN, ZHANGWAN, at

SEPTEMBER = "2026-09"
NOW = at(2026, 10, 12, 9, 0)

DISTRICT_SCHEME = [
    {
        "kind": "case_indicator",
        "indicator": "on_time_rate",
        "label": "按期结案率",
        "max_points": "40",
        "rule": "threshold",
        "target": "90",
        "step": "0.5",
    },
    {
        "kind": "case_indicator",
        "indicator": "rework_rate",
        "label": "返工率",
        "max_points": "10",
        "rule": "lower_better",
        "target": "10",
        "step": "0.5",
    },
    {
        "kind": "survey",
        "label": "群众满意度",
        "max_points": "20",
        "rule": "threshold",
        "target": "90",
        "step": "1",
    },
    {"kind": "inspection", "label": "测评得分率", "max_points": "20", "rule": "proportional"},
    {"kind": "penalty", "label": "负面清单与问责扣分", "max_points": "10", "rule": "deduction"},
]
STREET_SCHEME = [
    {
        "kind": "case_indicator",
        "indicator": "on_time_rate",
        "label": "按期结案率",
        "max_points": "100",
        "rule": "threshold",
        "target": "90",
        "step": "1",
    }
]


@pytest.fixture(autouse=True)
def pinned_clock():
    with clock.at(NOW):
        yield


@pytest.fixture
def admin(city):
    return city.user(Role.CITY_ADMIN, "city")


@pytest.fixture
def office(city):
    return city.user(Role.CITY_OPERATOR, "city")


@dataclass
class Story:
    city: object
    admin: object
    office: object
    collector: object
    water: object
    cases: dict[str, Case]

    def node(self, code: str):
        return self.city.node(code)

    @property
    def maojian(self) -> int:
        return self.city.node("420302").pk

    @property
    def zhangwan(self) -> int:
        return self.city.node("420303").pk


def _report(collector, where, moment) -> Case:
    with clock.at(moment):
        return case_services.case_report(
            category="B0102",
            description="人行道上井盖缺失,有行人跌落危险",
            lat=where[0],
            lng=where[1],
            actor=collector,
        ).case


def _handle(case: Case, water, *, signed, finished) -> Case:
    with clock.at(signed):
        case_services.case_sign(case_id=case.pk, actor=water)
    with clock.at(finished):
        photo = CasePhoto.objects.create(
            kind=PhotoKind.AFTER,
            sha256="ab" * 32,
            uploaded_by=water,
            image="cases/x.jpg",
            created_at=clock.now(),
        )
        return case_services.case_finish(case_id=case.pk, actor=water, photo_ids=[photo.pk])


def enter_surveys(story: Story, period_key: str = SEPTEMBER, maojian="85", zhangwan="95"):
    services.figures_enter(
        period_key=period_key,
        subject_type="district",
        kind="survey",
        values={story.maojian: maojian, story.zhangwan: zhangwan},
        note="第三方调查机构报告",
        actor=story.office,
    )


def september_cases(city) -> tuple[object, object, dict[str, Case]]:
    """The three cases of the story, without any scheme: (collector, water, cases)."""
    collector = city.user(Role.COLLECTOR, "420302001")
    collector_z = city.user(Role.COLLECTOR, "420303001")
    water = city.user(Role.UNIT_HANDLER, "water")
    cases = {
        "M1": _report(collector, MAOJIAN, at(2026, 9, 1, 9, 0)),
        "M2": _report(collector, MAOJIAN, at(2026, 9, 28, 9, 0)),
        "Z1": _report(collector_z, ZHANGWAN, at(2026, 9, 1, 9, 0)),
    }
    _handle(cases["M1"], water, signed=at(2026, 9, 1, 9, 10), finished=at(2026, 9, 1, 9, 40))
    with clock.at(at(2026, 9, 1, 10, 0)):
        case_services.case_verify(case_id=cases["M1"].pk, actor=collector, ok=True)
    _handle(cases["M2"], water, signed=at(2026, 9, 28, 9, 5), finished=at(2026, 9, 28, 9, 30))
    for case in cases.values():
        case.refresh_from_db()
    return collector, water, cases


@pytest.fixture
def story(city, catalogue, admin, office) -> Story:
    collector, water, cases = september_cases(city)
    services.scheme_save(
        subject_type="district",
        name="区县月度考评方案",
        components=DISTRICT_SCHEME,
        actor=admin,
    )
    services.scheme_save(
        subject_type="street", name="街道考评方案", components=STREET_SCHEME, actor=admin
    )
    story = Story(
        city=city, admin=admin, office=office, collector=collector, water=water, cases=cases
    )
    enter_surveys(story)
    return story


def component(result_or_line, position: int):
    return next(c for c in result_or_line.components if c.position == position)


def points(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))
