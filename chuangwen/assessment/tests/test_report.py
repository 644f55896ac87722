"""The 讲评 report on the September story of conftest.py, with what a review needs on top:

    M2  茅箭区, handled in time but not verified: a 领导督办 on 09-29, a before photo
    Z1  张湾区, left open: the overdue sweep of 09-02 lights it yellow and red, a before
        photo; 问责 约谈 市水务集团 on 09-20 with 1.5 points
    M1  茅箭区, closed on time: marked as found by an inspection, a before photo
    问责 通报批评 on M2 on 09-25, no points

September, city-wide: reported 3, registered 3, due 3, closed 1 (结案率 33.33 %),
on time 1 (按期结案率 33.33 %), overdue 2 (M2 and Z1); 茅箭区 alone: 2, 2, 1 (50 %), 50 %,
overdue 1 (M2). August has nothing, so every change equals September's figure.

Districts (scheme of conftest): 茅箭区 75 (rank 1), 张湾区 60 − 1.5 penalty = 58.5 (rank 2)."""

from __future__ import annotations

import io
import logging
from decimal import Decimal
from pathlib import Path

import pytest
import reportlab
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from chuangwen.assessment import report, services
from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Channel, PhotoKind, SupervisionKind
from chuangwen.cases.models import Case, CasePhoto
from chuangwen.core import clock
from chuangwen.core.errors import PermissionDeniedError, ServiceError
from chuangwen.org.choices import Role
from chuangwen.testing.cases import at
from chuangwen.testing.city import ROLE_HOMES
from chuangwen.testing.images import jpeg

from .conftest import SEPTEMBER

pytestmark = pytest.mark.django_db

HEADINGS = ("总体情况", "考评排名", "典型问题", "超时案件", "问责情况")
REFUSED_ROLES = (
    Role.STREET_OPERATOR,
    Role.COMMUNITY_OPERATOR,
    Role.UNIT_HANDLER,
    Role.INSPECTOR,
    Role.OBSERVER,
    Role.COLLECTOR,
    Role.PERSUADER,
    Role.VOLUNTEER,
)
READER_ROLES = (Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.LEADER, Role.DISTRICT_OPERATOR)


def before_photo(case: Case, colour: str, *, when) -> CasePhoto:
    with clock.at(when):
        photo = case_services.photo_upload(
            upload=jpeg(colour, "problem.jpg"), actor=None, kind=PhotoKind.BEFORE
        )
    # Attached directly: the service refuses photos on a closed case such as M1.
    photo.case = case
    photo.save(update_fields=["case"])
    return photo


@pytest.fixture
def leader(story):
    return story.city.user(Role.LEADER, "city")


@pytest.fixture
def review(story, leader):
    """The story with its orders, photos and accountability records (see the docstring)."""
    m1, m2, z1 = (story.cases[k] for k in ("M1", "M2", "Z1"))
    case_services.supervise_overdue(now=at(2026, 9, 2, 9, 0))
    with clock.at(at(2026, 9, 29, 9, 0)):
        case_services.supervision_issue(
            case_id=m2.pk, kind=SupervisionKind.LEADER, note="请尽快核查结案", actor=leader
        )
    before_photo(m2, "red", when=at(2026, 9, 28, 9, 1))
    before_photo(z1, "blue", when=at(2026, 9, 1, 9, 1))
    before_photo(m1, "green", when=at(2026, 9, 1, 9, 1))
    Case.objects.filter(pk=m1.pk).update(channel=Channel.INSPECTION)
    with clock.at(at(2026, 9, 20, 10, 0)):
        case_services.accountability_record(
            kind="interview",
            reason="井盖缺失超时未处置",
            actor=story.office,
            case_id=z1.pk,
            person_name="王某",
            points="1.5",
        )
    with clock.at(at(2026, 9, 25, 10, 0)):
        case_services.accountability_record(
            kind="circulate", reason="督办后仍未结案", actor=story.office, case_id=m2.pk
        )
    return story


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def sheet_rows(book, title: str) -> list[tuple]:
    return list(book[title].iter_rows(values_only=True))


def by_label(rows: list[tuple]) -> dict:
    return {row[0]: row for row in rows[1:] if row and row[0]}


# -- the report's data ---------------------------------------------------------------------
def test_headline_figures_for_the_city(review):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    figures = {f.code: f for f in built.figures}
    assert built.citywide and built.scope_label == "全市"
    assert [figures[c].value for c in ("reported", "registered", "closed", "overdue")] == [
        3,
        3,
        1,
        2,
    ]
    assert figures["close_rate"].value == figures["on_time_rate"].value == 33.33
    assert figures["satisfaction_rate"].value is None
    assert figures["reported"].previous == 0 and figures["reported"].change == 3
    assert figures["overdue"].trend == "bad" and figures["closed"].trend == "good"
    assert figures["reported"].trend == ""


def test_the_overdue_list_is_the_overdue_figure(review):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    # By deadline: Z1 was due on 09-01, M2 on 09-28.
    assert [o.code for o in built.overdue] == [review.cases["Z1"].code, review.cases["M2"].code]
    assert len(built.overdue) == next(f.value for f in built.figures if f.code == "overdue")
    z1, m2 = built.overdue
    # M2 was handled 30 minutes into its 2 hours: late only in being verified.
    assert m2.overdue_minutes == 0 and m2.overdue_text == "已按时处置"
    # Z1 is open: late from 09-01 11:00 to the clock's 10-12 09:00, on the continuous clock.
    assert z1.overdue_minutes == (41 * 24 - 2) * 60 and not z1.work_clock


def test_typical_problems_most_severe_first_with_their_photos(review):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    codes = [p.code for p in built.problems]
    assert codes == [review.cases[k].code for k in ("M2", "Z1", "M1")]
    m2, z1, m1 = built.problems
    assert "领导/重点督办 1 次" in m2.severity
    assert "红灯" in z1.severity
    assert m1.severity == "测评发现" and m1.status == "已结案"
    assert all(p.photo_id and p.photo_name for p in built.problems)
    assert m2.unit == "市水务集团" and m2.place.startswith("茅箭区")


def test_a_case_without_photo_or_order_is_no_typical_problem(story):
    before_photo(story.cases["M1"], "green", when=at(2026, 9, 1, 9, 1))
    case_services.supervise_overdue(now=at(2026, 9, 2, 9, 0))  # Z1: ordered, but no photo
    built = report.build_report(user=story.office, period_key=SEPTEMBER)
    assert built.problems == []


def test_accountability_records_of_the_period(review):
    with clock.at(at(2026, 10, 9, 10, 0)):
        case_services.accountability_record(
            kind="deduct", reason="十月的问责", actor=review.office, case_id=review.cases["Z1"].pk
        )
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    assert [(a.kind, a.points, a.person) for a in built.accountabilities] == [
        ("约谈", Decimal("1.5"), "王某"),
        ("通报批评", Decimal("0"), ""),
    ]
    assert built.accountabilities[0].case_code == review.cases["Z1"].code


def test_rankings_are_marked_published_or_draft(review):
    services.publication_publish(period_key=SEPTEMBER, subject_type="district", actor=review.office)
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    districts, streets, units = (built.ranking(t) for t in ("district", "street", "unit"))
    assert districts.published and districts.status_text.startswith("已发布")
    assert [(line.subject_name, line.final_total, line.final_rank) for line in districts.lines] == [
        ("茅箭区", Decimal("75.00"), 1),
        ("张湾区", Decimal("58.50"), 2),
    ]
    assert not streets.published and streets.status_text.startswith("草稿")
    assert units.results.scheme is None and "尚未制定考评方案" in units.status_text
    assert built.district_bars == [
        ("茅箭区", Decimal("75.00"), 50.0),
        ("张湾区", Decimal("58.50"), 0.0),
    ]


def test_a_district_reads_its_own_district(review):
    operator = review.city.user(Role.DISTRICT_OPERATOR, "420302")
    built = report.build_report(user=operator, period_key=SEPTEMBER)
    figures = {f.code: f.value for f in built.figures}
    assert not built.citywide and built.scope_label == "茅箭区"
    assert (figures["reported"], figures["closed"], figures["overdue"]) == (2, 1, 1)
    assert figures["close_rate"] == figures["on_time_rate"] == 50.0
    assert [o.code for o in built.overdue] == [review.cases["M2"].code]
    assert [p.code for p in built.problems] == [review.cases[k].code for k in ("M2", "M1")]
    assert [a.kind for a in built.accountabilities] == ["通报批评"]
    assert [line.subject_name for line in built.ranking("district").lines] == ["茅箭区"]
    assert built.ranking("district").results.subject_count == 2


def test_combined_districts_use_the_indicator_formulas():
    rows = [
        {
            "due": 4,
            "closed": 3,
            "on_time": 2,
            "deferred": 1,
            "rated": 3,
            "satisfaction_rate": 66.67,
        },
        {
            "due": 2,
            "closed": 2,
            "on_time": 2,
            "deferred": 0,
            "rated": 1,
            "satisfaction_rate": 100.0,
        },
    ]
    combined = report.build._combined(rows)
    assert combined["close_rate"] == 83.33  # 5 of 6
    assert combined["on_time_rate"] == 80.0  # 4 of (6 − 1)
    assert combined["overdue"] == 1
    assert combined["satisfaction_rate"] == 75.0  # 2 + 1 satisfied of 4 rated


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_build_report_refuses_roles_without_the_review(story, role):
    user = story.city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        report.build_report(user=user, period_key=SEPTEMBER)


@pytest.mark.parametrize("key", ["2026-13", "2026-Q5", "九月", ""])
def test_build_report_refuses_a_bad_period(story, key):
    with pytest.raises(ServiceError) as error:
        report.build_report(user=story.office, period_key=key)
    assert error.value.field == "period"


# -- the PDF -------------------------------------------------------------------------------
def test_pdf_has_the_headings_the_subjects_and_the_cases(review):
    services.publication_publish(period_key=SEPTEMBER, subject_type="district", actor=review.office)
    content = report.render_pdf(report.build_report(user=review.office, period_key=SEPTEMBER))
    assert content.startswith(b"%PDF")
    pages, text = pdf_text(content)
    assert 2 <= pages <= 6
    for words in ("十堰市创建文明城市工作讲评", "2026年9月", *HEADINGS, "茅箭区", "张湾区"):
        assert words in text
    for key in ("M2", "Z1"):
        assert review.cases[key].code in text
    assert "第 1 页 / 共" in text and "已发布" in text and "草稿" in text
    assert "王某" in text and "井盖缺失超时未处置" in text


def test_pdf_embeds_the_configured_font(review):
    # Any TrueType font shows the mechanism; reportlab ships one without Chinese glyphs.
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    with override_settings(REPORT_FONT=str(vera), REPORT_FONT_INDEX=0):
        reader = PdfReader(io.BytesIO(report.render_pdf(built)))
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "Vera" in str(font.get_object().get("/BaseFont", ""))
    ]
    assert fonts
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)


def test_long_lists_split_across_pages(review):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    built.overdue = built.overdue * 60  # 120 rows: the table runs over several pages
    pages, text = pdf_text(report.render_pdf(built))
    assert pages >= 4
    # The header is repeated on each page the table reaches.
    assert text.count("处置时限") >= 3


def test_pdf_without_the_font_falls_back_and_warns(review, caplog):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    report.report_font.cache_clear()  # the warning comes once per font and process
    with (
        override_settings(REPORT_FONT="/nonexistent/no-such-font.ttc"),
        caplog.at_level(logging.WARNING, logger="chuangwen.assessment.report"),
    ):
        content = report.render_pdf(built)
    assert content.startswith(b"%PDF")
    assert "STSong-Light" in caplog.text
    assert b"/STSong-Light" in content


def test_pdf_survives_a_missing_photo_file(review, caplog):
    photo = CasePhoto.objects.filter(case=review.cases["M2"], kind=PhotoKind.BEFORE).get()
    photo.image.storage.delete(photo.image.name)
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    with caplog.at_level(logging.WARNING, logger="chuangwen.assessment.report"):
        _pages, text = pdf_text(report.render_pdf(built))
    assert "无照片" in text
    assert photo.image.name in caplog.text


# -- the workbook --------------------------------------------------------------------------
def test_xlsx_has_the_sheets_and_the_numbers(review):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    book = load_workbook(
        io.BytesIO(report.render_xlsx(built, absolute=lambda p: f"https://cw.example.cn{p}"))
    )
    assert book.sheetnames == [
        "概况",
        "排名(区县)",
        "排名(街道)",
        "排名(责任单位)",
        "典型问题",
        "超时案件",
        "问责",
    ]
    overview = by_label(sheet_rows(book, "概况"))
    assert overview["上报问题"][1:] == (3, 0, 3, "件")
    assert overview["结案率"][1:4] == (33.33, None, None)
    assert overview["超时案件"][1] == 2
    assert overview["统计范围"][1] == "全市"
    districts = sheet_rows(book, "排名(区县)")
    header = districts[0]
    assert header[:6] == ("名次", "编码", "名称", "发布得分", "申诉调整", "最终得分")
    # The component's points and the case figure are separate columns.
    assert {"按期结案率(分)", "按期结案率(%)"} <= set(header) and header[-1] == "状态"
    assert [(r[0], r[2], r[5], r[-1]) for r in districts[1:]] == [
        (1, "茅箭区", 75, "草稿"),
        (2, "张湾区", 58.5, "草稿"),
    ]
    overdue = sheet_rows(book, "超时案件")
    assert [r[0] for r in overdue[1:]] == [review.cases["Z1"].code, review.cases["M2"].code]
    accountability = sheet_rows(book, "问责")
    assert [(r[1], r[2], r[3], r[4]) for r in accountability[1:]] == [
        ("市水务集团", "王某", "约谈", 1.5),
        ("市水务集团", None, "通报批评", 0),
    ]


def test_xlsx_links_the_problems_to_their_case_and_photo(review):
    built = report.build_report(user=review.office, period_key=SEPTEMBER)
    book = load_workbook(
        io.BytesIO(report.render_xlsx(built, absolute=lambda p: f"https://cw.example.cn{p}"))
    )
    sheet = book["典型问题"]
    first = built.problems[0]
    assert sheet["A2"].value == first.code
    photo_link = f"https://cw.example.cn{reverse('cases:photo', args=[first.photo_id])}"
    assert sheet["I2"].value == photo_link and sheet["I2"].hyperlink.target == photo_link
    assert sheet["H2"].hyperlink.target.endswith(reverse("cases:detail", args=[first.case_id]))


# -- the page ----------------------------------------------------------------------------------
def url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('assessment:report')}?{query}" if query else reverse("assessment:report")


@pytest.mark.parametrize("role", READER_ROLES)
def test_the_preview_page_for_every_reader(review, client, role):
    client.force_login(review.city.user(role, ROLE_HOMES[role]))
    response = client.get(url(period=SEPTEMBER))
    assert response.status_code == 200
    page = response.content.decode()
    for heading in HEADINGS:
        assert heading in page
    assert review.cases["M2"].code in page
    assert reverse("cases:photo", args=[response.context["report"].problems[0].photo_id]) in page


def test_the_preview_defaults_to_the_last_complete_month(review, client):
    client.force_login(review.office)
    response = client.get(url())
    assert response.status_code == 200
    assert response.context["period"].key == SEPTEMBER
    assert 'id="review-pdf"' in response.content.decode()


def test_the_preview_picks_the_last_complete_period_of_a_kind(story, client):
    client.force_login(story.office)
    response = client.get(url(kind="quarter"))
    assert response.status_code == 200
    assert response.context["period"].key == "2026-Q3"
    assert response.context["report"].period.label == "2026年第三季度"


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_the_page_refuses_roles_without_the_review(story, client, role):
    client.force_login(story.city.user(role, ROLE_HOMES[role]))
    for fmt in ("html", "pdf", "xlsx"):
        response = client.get(url(period=SEPTEMBER, format=fmt))
        assert response.status_code == 403
        assert "您没有查看的权限" in response.content.decode()


def test_the_page_needs_a_login(client, story):
    response = client.get(url(period=SEPTEMBER, format="pdf"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("params", [{"period": "2026-13"}, {"period": "2026-09", "format": "doc"}])
def test_the_page_answers_400_to_bad_input(story, client, params):
    client.force_login(story.office)
    response = client.get(url(**params))
    assert response.status_code == 400
    assert response.context["report"] is None
    assert 'id="review-error"' in response.content.decode()


def test_pdf_download(review, client):
    client.force_login(review.office)
    response = client.get(url(period=SEPTEMBER, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "2026%E5%B9%B49%E6%9C%88" in response["Content-Disposition"]  # 2026年9月
    assert response.content.startswith(b"%PDF")


def test_xlsx_download_for_a_district(review, client):
    client.force_login(review.city.user(Role.DISTRICT_OPERATOR, "420302"))
    response = client.get(url(period=SEPTEMBER, format="xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert by_label(sheet_rows(book, "概况"))["统计范围"][1] == "茅箭区"
    assert [r[0] for r in sheet_rows(book, "超时案件")[1:]] == [review.cases["M2"].code]
    link = book["典型问题"]["I2"].value
    assert link.startswith("http://testserver/")
