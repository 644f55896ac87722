"""The world the scope matrix walks: the mini city with, in 张湾区 (420303), one object of
every kind a route can name, made by people of 张湾区 through the services.

Every role of the matrix sits in 茅箭区 (chuangwen.testing.city.ROLE_HOMES), so each of
these objects is outside the scope of every role that is not city-wide; objects that
belong to a person (a notice, a saved filter, an import) belong to someone else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from chuangwen.assessment import services as assessment
from chuangwen.assessment.selectors import current_scheme
from chuangwen.cases import services as cases
from chuangwen.cases.choices import Channel, PhotoKind, SupervisionKind
from chuangwen.core import clock
from chuangwen.evaluation import services as evaluation
from chuangwen.evaluation.models import ChecklistItem, Framework, Inspection, PointType
from chuangwen.imports.services import column_mapping_save, import_job_create
from chuangwen.imports.tests.files import hotline_row, xlsx_upload
from chuangwen.notifications.models import Notification
from chuangwen.notifications.services import notify
from chuangwen.org.choices import Role
from chuangwen.testing.cases import ZHANGWAN, after_photo, at, build_catalogue
from chuangwen.testing.city import ROLE_HOMES, build_mini_city
from chuangwen.testing.evaluation import build_registry

HOME = "420303"  # 张湾区: nobody of the matrix lives here


@dataclass
class World:
    city: object
    people: dict = field(default_factory=dict)  # role → a user of 茅箭区 (or the city)
    ids: dict = field(default_factory=dict)  # what the routes name, by key
    texts: dict = field(default_factory=dict)  # what no list may show an outsider


def _jpeg():
    from chuangwen.testing.images import jpeg

    return jpeg()


def build_world() -> World:
    city = build_mini_city()
    catalogue = build_catalogue(city)
    world = World(city=city)
    for role, home in ROLE_HOMES.items():
        world.people[role] = city.user(role, home, username=f"m-{role}")
    office = city.user(Role.CITY_OPERATOR, "city", username="office")
    admin = city.user(Role.CITY_ADMIN, "city", username="office-admin")
    leader = city.user(Role.LEADER, "city", username="office-leader")
    collector = city.user(Role.COLLECTOR, "420303001", username="z-collector")
    district = city.user(Role.DISTRICT_OPERATOR, HOME, username="z-district")
    water = city.user(Role.UNIT_HANDLER, "water", username="z-water")
    ids, texts = world.ids, world.texts

    # Territory and units.
    ids["node"] = "420303001"
    ids["grid"] = "420303001001001"
    ids["unit"] = city.units["420303001"].pk
    texts["unit"] = city.units["420303001"].name

    with clock.at(at(2026, 11, 2, 9, 0)):
        # A case of 张湾区, dispatched to the water company, with its evidence.
        photo = cases.photo_upload(upload=_jpeg(), actor=collector, kind=PhotoKind.BEFORE)
        case = cases.case_report(
            category="B0102",
            description="张湾井盖缺失,外人不可见",
            address="车城路99号",
            lat=ZHANGWAN[0],
            lng=ZHANGWAN[1],
            actor=collector,
            photo_ids=[photo.pk],
        ).case
        ids["case"], ids["photo"] = case.pk, photo.pk
        texts["case"] = case.code
        order = cases.supervision_issue(
            case_id=case.pk, kind=SupervisionKind.LEADER, note="请尽快", actor=leader
        )
        ids["supervision"] = order.pk
        cases.accountability_record(
            case_id=case.pk, kind="interview", reason="外人不可见的问责", actor=office
        )
        texts["accountability"] = "外人不可见的问责"
        # A citizen's case of 张湾区, closed, rated 不满意, with a reopen request.
        public = cases.case_report(
            category="B0102",
            description="张湾市民上报",
            lat=ZHANGWAN[0] + 0.001,
            lng=ZHANGWAN[1],
            actor=None,
            channel=Channel.PORTAL,
            reporter_phone="13912345678",
        ).case
        cases.case_accept(case_id=public.pk, actor=office)
        cases.case_dispatch(case_id=public.pk, actor=office, unit_id=catalogue.water.pk)
        cases.case_sign(case_id=public.pk, actor=water)
        cases.case_finish(case_id=public.pk, actor=water, photo_ids=[after_photo(water).pk])
        cases.case_verify(case_id=public.pk, actor=collector, ok=True)
        public.refresh_from_db()
        cases.case_rate(token=public.public_token, rating="dissatisfied")
        ids["reopen_request"] = cases.reopen_request_submit(
            token=public.public_token, reason="还是坏的"
        ).pk
        ids["token"] = public.public_token

    # Things that belong to a person of 张湾区.
    ids["saved_view"] = cases.saved_view_save(
        user=collector, name="我的筛选", query="status=open"
    ).pk
    with transaction.atomic():
        notify(users=[collector], title="张湾通知", body="外人不可见", url="/cases/", kind="test")
    ids["notification"] = Notification.objects.get(recipient=collector).pk
    upload = xlsx_upload([hotline_row("Z-1", lng="110.25", lat="32.02")])
    ids["import_job"] = import_job_create(source="12345", upload=upload, actor=district).pk
    ids["mapping"] = column_mapping_save(
        source="12345", name="张湾的对应关系", mapping={"description": "诉求内容"}, actor=district
    ).pk

    # Evaluation: the registry's points, a round over the 张湾区 ones, a failed item.
    registry = build_registry(city, catalogue)
    ids["point_type"] = PointType.objects.order_by("pk").first().pk
    ids["point_type_item"] = ChecklistItem.objects.order_by("pk").first().pk
    foreign_points = [p for code, p in registry.points.items() if code.endswith("420303001001")]
    ids["point"] = foreign_points[0].pk
    with clock.at(at(2026, 10, 30, 9, 0)):
        round_ = evaluation.round_create(
            name="张湾专项测评",
            kind="bimonthly",
            starts_on=date(2026, 11, 2),
            due_on=date(2026, 11, 13),
            inspector_ids=[u.pk for u in registry.inspectors],
            point_ids=[p.pk for p in foreign_points],
            seed=3,
            actor=admin,
        )
        evaluation.round_start(round_id=round_.pk, actor=admin)
    ids["round"] = round_.pk
    inspection = Inspection.objects.filter(round=round_).order_by("pk").first()
    ids["inspection"] = inspection.pk
    # A framework edition (city-wide, as every edition is).
    framework = Framework.objects.create(
        kind="model_city", name="典范城市测评体系", cycle_start=2024, cycle_end=2026
    )
    ids["framework"] = framework.pk

    # Assessment: the district ranking of November, published, with an appeal of 张湾区.
    assessment.scheme_save(
        subject_type="district",
        name="区县考评方案",
        components=[
            {
                "kind": "case_indicator",
                "indicator": "on_time_rate",
                "label": "按期结案率",
                "max_points": "100",
                "rule": "threshold",
                "target": "90",
                "step": "1",
            }
        ],
        actor=admin,
    )
    ids["scheme"] = current_scheme("district").pk
    with clock.at(at(2026, 12, 7, 9, 0)):
        publication = assessment.publication_publish(
            period_key="2026-11", subject_type="district", actor=office
        )
    ids["publication"] = publication.pk
    zhangwan = city.node(HOME)
    result = publication.results.get(subject_id=zhangwan.pk)
    ids["result"] = result.pk
    ids["district_node_id"] = zhangwan.pk
    # The open case of 张湾区 was due in November and is late: 张湾区 lost the points and
    # appeals.
    ids["appeal"] = assessment.appeal_file(
        result_id=result.pk,
        component_position=1,
        requested_points="10",
        reason="外人不可见的申诉",
        actor=district,
    ).pk
    return world
