"""The demo's assessment, seeded on the mini city with the September cases of conftest.py
(the clock at 12 October 2026: the last complete month is September, the last complete
quarter the third)."""

import io
from decimal import Decimal

import pytest

from chuangwen.assessment import periods, selectors
from chuangwen.assessment.choices import RANKED_SUBJECTS, AppealStatus, SubjectType
from chuangwen.assessment.models import Appeal, EnteredFigure, Publication, Result, Scheme
from chuangwen.demo import assessment as demo
from chuangwen.org.choices import Role

from .conftest import september_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(city, catalogue, office):
    september_cases(city)
    city.user(Role.DISTRICT_OPERATOR, "420303", username="zhangwan")
    city.user(Role.STREET_OPERATOR, "420303001", username="chechenglu")
    out = io.StringIO()
    made = demo.seed_assessment(stdout=out, seed=7)
    return made, out.getvalue()


def test_default_schemes_are_valid_and_add_up_to_100(db):
    assert demo.seed_schemes() == len(SubjectType)
    for scheme in Scheme.objects.all():
        assert sum(c.max_points for c in scheme.components.all()) == Decimal(100), scheme
    assert demo.seed_schemes() == 0


def test_seed_publishes_the_last_quarter_and_month(seeded, office):
    made, text = seeded
    assert made == 8
    assert "发布2026年第三季度和2026年9月" in text
    keys = set(Publication.objects.values_list("period_key", "subject_type"))
    assert keys == {(p, t) for p in ("2026-Q3", "2026-09") for t in RANKED_SUBJECTS}
    assert set(Publication.objects.values_list("published_by", flat=True)) == {office.pk}
    # Every territory and unit of the mini city has its line; the survey was entered.
    september = selectors.results_for(user=office, period_key="2026-09", subject_type="street")
    assert september.is_published and september.subject_count == 3
    assert EnteredFigure.objects.filter(period_key="2026-09", kind="survey").count() == 2 + 3 + 6
    values = EnteredFigure.objects.values_list("value", flat=True)
    assert all(Decimal(70) <= v <= 100 for v in values)
    # Published after the period ended, from the figures as they stood then.
    for publication in Publication.objects.all():
        assert publication.computed_at >= periods.parse(publication.period_key).end


def test_seed_leaves_one_decided_and_one_pending_appeal(seeded):
    decided = Appeal.objects.get(status=AppealStatus.PARTIAL)
    assert decided.result.publication.period_key == "2026-09"
    assert decided.result.publication.subject_type == "district"
    assert decided.result.subject_code == "420303"  # 张湾区 lost points on its cases
    assert decided.granted_points == decided.requested_points / 2
    assert decided.total_after == decided.total_before + decided.granted_points
    assert decided.rank_before is not None and decided.rank_after is not None
    result = decided.result
    assert result.final_total == result.total + decided.granted_points
    pending = Appeal.objects.get(status=AppealStatus.PENDING)
    assert pending.result.publication.period_key == "2026-Q3"
    assert pending.result.subject_code == "420303001"
    assert pending.filed_by.username == "chechenglu"


def test_seed_runs_once(seeded):
    before = tuple(m.objects.count() for m in (Scheme, EnteredFigure, Publication, Result, Appeal))
    assert demo.seed_assessment(stdout=io.StringIO(), seed=7) == 0
    after = tuple(m.objects.count() for m in (Scheme, EnteredFigure, Publication, Result, Appeal))
    assert after == before
