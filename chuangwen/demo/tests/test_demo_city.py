"""The demo city as `make demo` loads it. Loading takes a few seconds, so one test
loads it and checks everything the issue promises about it."""

import io
from collections import defaultdict

import pytest
import shapely
from django.core.management import call_command
from shapely.geometry import shape

from chuangwen.demo import city as demo_city
from chuangwen.org.choices import Role, UnitKind
from chuangwen.org.models import Membership, Pairing, Unit
from chuangwen.territory.choices import Level, NodeKind
from chuangwen.territory.models import TerritoryNode

pytestmark = pytest.mark.django_db

ACCEPTANCE_POINTS = [((32.629, 110.798), "茅箭区"), ((32.400, 111.004), "丹江口市")]


def test_generated_children_partition_their_parents():
    specs, counts = demo_city.generate()
    assert counts["urban_grids"] >= 5000
    by_code = {s.code: s for s in specs}
    children = defaultdict(list)
    for spec in specs:
        if spec.parent_code:
            children[spec.parent_code].append(spec)
    for code, kids in children.items():
        parent = by_code[code]
        if parent.level in (Level.CITY, Level.DISTRICT):
            continue  # districts are the real outlines; the zone is carved out of 茅箭区
        union = shapely.union_all([k.geometry for k in kids])
        total = sum(k.geometry.area for k in kids)
        assert union.symmetric_difference(parent.geometry).area <= 1e-9 * parent.geometry.area, code
        assert total - union.area <= 1e-9 * parent.geometry.area, f"overlap under {code}"
    assert all(s.geometry.is_valid for s in specs)


def test_generation_is_deterministic():
    first, _ = demo_city.generate()
    second, _ = demo_city.generate()
    assert [(s.code, s.name, s.geometry.wkb) for s in first[:300]] == [
        (s.code, s.name, s.geometry.wkb) for s in second[:300]
    ]


def test_load_demo_builds_the_city(client, settings):
    settings.ROUTING_RECHECK_SECONDS = 0
    out = io.StringIO()
    call_command("load_demo", "--password", "Demo-Password-1", "--cases", "40", stdout=out)
    text = out.getvalue()
    assert "修复 6 个" in text
    assert "admin" in text and "Demo-Password-1" in text

    # Territory: 8 real districts plus the development zone, ≥5,000 urban grids.
    districts = TerritoryNode.objects.filter(level=Level.DISTRICT)
    assert districts.filter(kind=NodeKind.ADMINISTRATIVE).count() == 8
    zone = districts.get(kind=NodeKind.FUNCTIONAL_ZONE)
    assert zone.name == "十堰经济技术开发区"
    urban = [f"420300/{c}/" for c in demo_city.URBAN_DISTRICTS]
    grid_paths = TerritoryNode.objects.filter(level=Level.GRID).values_list("path", flat=True)
    assert sum(1 for p in grid_paths if any(p.startswith(u) for u in urban)) >= 5000
    assert TerritoryNode.objects.filter(level=Level.STREET, name="武当路街道").exists()

    # Grids of one community do not overlap and cover it.
    community = TerritoryNode.objects.get(code="420302001001")
    grids = [shape(g) for g in community.children.values_list("geometry", flat=True)]
    area = shape(community.geometry).area
    assert abs(shapely.union_all(grids).area - area) <= 1e-9 * area
    assert sum(g.area for g in grids) - area <= 1e-9 * area

    # Units and people.
    assert Unit.objects.filter(kind=UnitKind.MUNICIPAL_DEPARTMENT).count() >= 31
    assert Unit.objects.filter(kind=UnitKind.CITY_OFFICE).count() == 1
    assert Unit.objects.filter(kind=UnitKind.DISTRICT_GOVERNMENT).count() == 9
    assert (
        Unit.objects.filter(kind=UnitKind.STREET_OFFICE).count()
        == TerritoryNode.objects.filter(level=Level.STREET).count()
    )
    assert (
        Unit.objects.filter(kind=UnitKind.COMMUNITY_COMMITTEE).count()
        == TerritoryNode.objects.filter(level=Level.COMMUNITY).count()
    )
    for name in (
        "十堰市城市管理执法委员会",
        "十堰市水务集团有限公司",
        "十堰市燃气有限公司",
        "国网湖北省电力有限公司十堰供电公司",
    ):
        assert Unit.objects.filter(name=name).exists()
    assert Pairing.objects.filter(unit__kind=UnitKind.MUNICIPAL_DEPARTMENT).count() >= 31
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert TerritoryNode.objects.filter(level=Level.GRID, owner_unit__isnull=False).exists()

    # The acceptance points, through the API with a token.
    call_command("create_api_token", "operator", stdout=(token_out := io.StringIO()))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_out.getvalue().strip()}"}
    for (lat, lng), district in ACCEPTANCE_POINTS:
        body = client.get("/api/v1/territory/locate", {"lat": lat, "lng": lng}, **auth).json()
        assert body["district"]["name"] == district
        assert body["grid"] is not None and body["grid"]["code"].startswith(
            body["community"]["code"]
        )
    assert (
        client.get("/api/v1/territory/locate", {"lat": 39.9, "lng": 116.4}, **auth).status_code
        == 422
    )
    in_zone = client.get("/api/v1/territory/locate", {"lat": 32.60, "lng": 110.88}, **auth).json()
    assert in_zone["district"]["code"] == zone.code

    # Case history replayed through the services: every case has its report event, and
    # the catalogue and routing rules are there.
    from chuangwen.cases.models import Case, CaseEvent
    from chuangwen.catalog.models import CaseStandard, Category, RoutingRule

    assert Category.objects.filter(parent__isnull=False).count() >= 60
    assert (
        CaseStandard.objects.filter(category__code="B0102").first().time_type == "emergency_hours"
    )
    assert RoutingRule.objects.filter(territory__isnull=False).exists()
    assert Case.objects.filter(evaluation_result__isnull=True).count() == 40
    assert CaseEvent.objects.filter(action="report").count() == Case.objects.count()
    assert Case.objects.filter(status="closed").exists()
    # Citizens rated what was done for them, through the same services as the portal.
    from chuangwen.cases.models import CaseRating

    assert CaseRating.objects.filter(case__channel__in=("portal", "hotline", "survey_feedback"))
    assert (
        not CaseRating.objects.exclude(handled_case__status="closed")
        .exclude(handled_case__reopen_count__gt=0)
        .exists()
    )
    assert "案件历史" in text

    check_demo_rounds(text)
    check_demo_assessment(text)

    # The demo logins work.
    response = client.post(
        "/accounts/login/", {"username": "wudanglu", "password": "Demo-Password-1"}
    )
    assert response.status_code == 302

    # A second run changes nothing.
    def counts():
        from chuangwen.assessment.models import Appeal, Publication

        models = (TerritoryNode, Unit, Membership, Case, CaseEvent, Publication, Appeal)
        return tuple(m.objects.count() for m in models)

    before = counts()
    again = io.StringIO()
    call_command("load_demo", "--cases", "40", stdout=again)
    assert "演示城市已存在" in again.getvalue()
    assert counts() == before


def test_load_demo_refuses_a_weak_password_and_saves_nothing():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="演示城市未加载"):
        call_command("load_demo", "--password", "123456789012", stdout=io.StringIO())
    assert not TerritoryNode.objects.exists()


def check_demo_rounds(text: str) -> None:
    """The seeded evaluation rounds: results that anyone can recount from the item
    results, and one case for every failed item."""
    from chuangwen.evaluation import selectors
    from chuangwen.evaluation.choices import COUNTED_STATUSES, Result, RoundStatus
    from chuangwen.evaluation.models import ItemResult, Round
    from chuangwen.testing.evaluation import district_totals_by_sql

    assert "测评:2 轮双月测评" in text
    current = Round.objects.get(status=RoundStatus.OPEN)
    previous = Round.objects.get(status=RoundStatus.CLOSED)
    assert current.previous_id == previous.pk
    districts = selectors.round_results(round_=current, level="district", user=None)
    assert len(districts) == 4 and [d.rank for d in districts] == [1, 2, 3, 4]
    for district in districts:
        score, most = district_totals_by_sql(current.pk, district.code)
        assert (district.score, district.max_points) == (score, most)
        assert district.rate == pytest.approx(float((score - district.penalty) / most))
        assert district.previous_rate is not None
    failed = ItemResult.objects.filter(result=Result.FAIL, inspection__status__in=COUNTED_STATUSES)
    assert failed.exists() and not failed.filter(case__isnull=True).exists()
    assert failed.values("case").distinct().count() == failed.count()


def check_demo_assessment(text: str) -> None:
    """The seeded assessment: every ranked subject type published for the last complete
    quarter and month, scored by the default schemes, with one appeal decided (its
    trace on the result) and one waiting."""
    from chuangwen.assessment import periods
    from chuangwen.assessment.choices import RANKED_SUBJECTS, AppealStatus, PeriodKind
    from chuangwen.assessment.models import Appeal, Publication, Scheme
    from chuangwen.assessment.selectors import today

    assert "考评:5 套考评方案" in text
    assert Scheme.objects.filter(is_current=True).count() == 5
    month = periods.last_complete(today(), PeriodKind.MONTH)
    quarter = periods.last_complete(today(), PeriodKind.QUARTER)
    published = set(Publication.objects.values_list("period_key", "subject_type"))
    assert published == {(p.key, t) for p in (month, quarter) for t in RANKED_SUBJECTS}
    for publication in Publication.objects.all():
        results = publication.results.all()
        assert results.count() > 1
        assert min(r.rank for r in results) == 1
        assert all(0 <= r.total <= 100 for r in results)
    decided = Appeal.objects.get(status=AppealStatus.PARTIAL)
    assert decided.total_after == decided.total_before + decided.granted_points
    assert decided.result.final_total == decided.result.total + decided.granted_points
    assert Appeal.objects.filter(status=AppealStatus.PENDING).count() == 1
