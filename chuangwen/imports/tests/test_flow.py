"""Upload → check (dry run, in the worker) → commit (in the worker) → result."""

from datetime import timedelta

import pytest
from openpyxl import load_workbook

from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Channel, Status
from chuangwen.cases.models import Case, CaseEvent
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.models import AuditEvent, OutboxMessage
from chuangwen.core.xlsx import error_report_xlsx
from chuangwen.imports import services
from chuangwen.imports.choices import JobStatus, Mode
from chuangwen.imports.models import ImportJob
from chuangwen.imports.selectors import error_report, job_detail
from chuangwen.org.choices import Role
from chuangwen.testing.cases import MAOJIAN
from chuangwen.testing.city import ROLE_HOMES

from .files import csv_upload, hotline_row, xlsx_upload

pytestmark = pytest.mark.django_db

SURVEY_HEADERS = [
    "反馈编号",
    "存在问题",
    "所属区县",
    "所属街道",
    "所属社区",
    "点位名称",
    "测评轮次",
]


def upload(actor, rows, *, source="12345", **kwargs):
    maker = kwargs.pop("maker", csv_upload)
    default_category = kwargs.pop("default_category", "")
    return services.import_job_create(
        source=source, upload=maker(rows, **kwargs), actor=actor, default_category=default_category
    )


def checked(job, actor, work, mapping=None):
    services.import_job_check(job_id=job.pk, actor=actor, mapping=mapping or job.mapping)
    work()
    job.refresh_from_db()
    return job


def committed(job, actor, work, mode=Mode.SKIP_BAD_ROWS):
    services.import_job_commit(job_id=job.pk, actor=actor, mode=mode)
    work()
    job.refresh_from_db()
    return job


def fields_of(job):
    return [(e["row"], e["field"]) for e in job.errors]


def test_a_hotline_list_is_checked_then_imported(people, work):
    operator = people["operator"]
    rows = [
        hotline_row("GD001"),
        hotline_row("GD002", lng="", lat="", address="茅箭区武当路街道武当2社区北京路8号"),
        hotline_row("GD003", category="暴露垃圾", lng="110.25", lat="32.02"),
    ]
    job = upload(operator, rows)
    assert job.status == JobStatus.UPLOADED and job.headers[0] == "工单编号"
    job = checked(job, operator, work)
    assert job.status == JobStatus.CHECKED, job.failure
    assert (job.total, job.valid, job.error_rows, job.existing) == (3, 3, 0, 0)
    assert job.summary["locating"] == {"coordinates": 2, "address": {"0.9": 1}, "unmatched": 0}
    assert not Case.objects.exists()  # a dry run writes nothing
    assert AuditEvent.objects.filter(action="imports.check", object_id=str(job.pk)).count() == 1

    job = committed(job, operator, work, mode=Mode.ALL_OR_NOTHING)
    assert job.status == JobStatus.DONE, job.failure
    assert (job.created, job.existing, job.processed) == (3, 0, 3)
    cases = {c.external_id: c for c in Case.objects.all()}
    assert set(cases) == {"GD001", "GD002", "GD003"}
    for case in cases.values():
        assert case.status == Status.REPORTED and case.channel == Channel.HOTLINE
        assert case.source == "12345" and case.created_by == operator and case.reporter is None
        assert case.reporter_name == "张三" and case.extra == {"原始时间": "2026-11-02 09:00"}
    assert cases["GD002"].community.code == "420302001002" and cases["GD002"].grid is None
    assert cases["GD003"].category.code == "E0102" and cases["GD003"].district.code == "420303"
    assert CaseEvent.objects.count() == 3
    audit = AuditEvent.objects.get(action="imports.commit", object_id=str(job.pk))
    assert audit.actor == operator and audit.data["created"] == 3


def test_a_survey_workbook_without_categories_uses_the_default_category(people, work):
    operator = people["operator"]
    rows = [
        ["GC-01", "公交站台有烟头", "茅箭区", "二堰街道", "二堰2社区", "人民公园站", "第5轮"],
        ["GC-02", "绿化带有垃圾", "张湾区", "车城路", "", "车城路口", "第5轮"],
    ]
    job = upload(
        operator,
        rows,
        source="survey",
        maker=xlsx_upload,
        headers=SURVEY_HEADERS,
        default_category="W0101",
    )
    mapping = {**job.mapping, "address": "点位名称", "extra": ["测评轮次"]}
    job = checked(job, operator, work, mapping)
    assert (job.valid, job.error_rows) == (2, 0)
    assert job.summary["locating"]["address"] == {"0.9": 1, "0.7": 1}
    job = committed(job, operator, work)
    survey = {c.external_id: c for c in Case.objects.filter(source="survey")}
    assert survey["GC-01"].channel == Channel.SURVEY_FEEDBACK
    assert survey["GC-01"].category.code == "W0101"
    assert survey["GC-01"].community.code == "420302002002"
    assert survey["GC-02"].street.code == "420303001" and survey["GC-02"].community is None
    assert survey["GC-01"].extra == {"测评轮次": "第5轮"}
    assert survey["GC-01"].address == "人民公园站"


def test_exactly_the_bad_rows_are_reported_with_their_row_numbers_and_fields(people, work):
    operator = people["operator"]
    rows = [hotline_row(f"GD{i:03d}") for i in range(1, 11)]
    rows[1] = hotline_row("GD002", description="")  # spreadsheet row 3
    rows[4] = hotline_row("GD005", category="不存在的类别")  # row 6
    rows[7] = hotline_row("GD008", lng="", lat="", address="无名小巷")  # row 9
    job = checked(upload(operator, rows), operator, work)
    assert job.error_rows == 3 and job.valid == 7
    assert fields_of(job) == [(3, "description"), (6, "category"), (9, "address")]
    assert job.errors[0]["column"] == "诉求内容" and job.errors[0]["message"] == "不能为空。"
    assert "不存在的类别" in job.errors[1]["message"]
    assert job.summary["unmatched"] == [{"row": 9, "address": "无名小巷"}]

    with pytest.raises(ServiceError, match="3 行错误") as refused:
        services.import_job_commit(job_id=job.pk, actor=operator, mode=Mode.ALL_OR_NOTHING)
    assert refused.value.field == "mode"
    job = committed(job, operator, work, mode=Mode.SKIP_BAD_ROWS)
    assert job.created == 7 and job.error_rows == 3
    assert not Case.objects.filter(external_id__in=["GD002", "GD005", "GD008"]).exists()

    report = error_report(job)
    assert [bad.number for bad in report.bad_rows] == [3, 6, 9]
    sheet = load_workbook(__import__("io").BytesIO(error_report_xlsx(report))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [3, 6, 9]


def test_reimporting_the_same_file_creates_nothing(people, work):
    operator = people["operator"]
    rows = [hotline_row(f"GD{i}") for i in range(4)]
    committed(checked(upload(operator, rows), operator, work), operator, work)
    assert Case.objects.count() == 4
    again = checked(upload(operator, rows), operator, work)
    assert (again.existing, again.valid, again.error_rows) == (4, 0, 0)
    assert [x["external_id"] for x in again.summary["existing"]] == [f"GD{i}" for i in range(4)]
    with pytest.raises(ServiceError, match="没有可导入的行"):
        services.import_job_commit(job_id=again.pk, actor=operator, mode=Mode.SKIP_BAD_ROWS)
    assert Case.objects.count() == 4


def test_suspected_duplicates_are_counted_against_open_cases_and_earlier_rows(people, work):
    operator = people["operator"]
    case_services.case_report(
        category="B0102",
        description="井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=people["district"],
    )
    rows = [
        hotline_row("D1", lng="110.0201", lat="32.0201"),  # 15 m from the open case
        hotline_row("D2", lng="110.1", lat="32.1"),
        hotline_row("D3", lng="110.1001", lat="32.1"),  # 9 m from row 3
        hotline_row("D4", category="E0102", lng="110.1", lat="32.1"),  # another category
    ]
    job = checked(upload(operator, rows), operator, work)
    assert job.duplicates == 2
    found = {d["row"]: d for d in job.summary["duplicates"]}
    assert set(found) == {2, 4}
    assert found[2]["case"] == Case.objects.get(external_id="").code
    assert found[4]["of_row"] == 3 and found[4]["distance_m"] < 10
    job = committed(job, operator, work)
    assert job.created == 4  # suspected duplicates are imported, for the operator to merge
    # The commit does not look again: the check's findings stay on the job.
    assert job.duplicates == 2 and len(job.summary["duplicates"]) == 2


def test_a_district_operator_imports_only_inside_the_district(people, work):
    maojian = people["district"]
    rows = [
        hotline_row("M1"),
        hotline_row("Z1", lng="110.25", lat="32.02"),
        hotline_row("Z2", lng="", lat="", address="张湾区车城路街道车城1社区"),
    ]
    job = checked(upload(maojian, rows), maojian, work)
    assert fields_of(job) == [(3, "lat"), (4, "address")]
    assert all("不在您的辖区" in e["message"] for e in job.errors)
    job = committed(job, maojian, work)
    assert list(Case.objects.values_list("external_id", flat=True)) == ["M1"]


ALLOWED = {Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.DISTRICT_OPERATOR}


@pytest.mark.parametrize("role", [r for r in Role.values if r not in ALLOWED])
def test_roles_without_the_right_are_refused(city, catalogue, role):
    user = city.user(role, ROLE_HOMES[role])
    with pytest.raises(PermissionDeniedError):
        upload(user, [hotline_row("X")])
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_the_city_office_and_district_operators_may_import(city, catalogue, role):
    user = city.user(role, ROLE_HOMES[role])
    assert upload(user, [hotline_row("X")]).created_by == user


def test_jobs_are_visible_to_their_creator_and_the_city_office(people, work):
    job = upload(people["district"], [hotline_row("X")])
    assert job_detail(user=people["operator"], job_id=job.pk) == job
    assert job_detail(user=people["district"], job_id=job.pk) == job
    from django.http import Http404

    with pytest.raises(Http404):
        job_detail(user=people["zhangwan"], job_id=job.pk)
    with pytest.raises(ServiceError, match="导入任务不存在"):
        services.import_job_check(job_id=job.pk, actor=people["zhangwan"], mapping=job.mapping)


def test_an_interrupted_commit_is_resumed_without_doubles(people, work, monkeypatch):
    operator = people["operator"]
    job = checked(upload(operator, [hotline_row(f"R{i}") for i in range(5)]), operator, work)
    services.import_job_commit(job_id=job.pk, actor=operator, mode=Mode.ALL_OR_NOTHING)

    class WorkerKilled(BaseException):
        pass

    real = services.case_report_many

    def dying(**kwargs):
        inner = kwargs.pop("on_batch")

        def on_batch(done):
            inner(done)
            if done.rows_done > 2:
                raise WorkerKilled

        return real(**{**kwargs, "batch_size": 2}, on_batch=on_batch)

    monkeypatch.setattr(services, "case_report_many", dying)
    with pytest.raises(WorkerKilled):
        services.import_job_run_commit(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.IMPORTING and job.created == 2 == Case.objects.count()

    monkeypatch.setattr(services, "case_report_many", real)
    # A fresh heartbeat: the run is presumed alive and left alone.
    assert services.import_jobs_resume(now=clock.now()) == []
    assert services.import_jobs_resume(now=clock.now() + timedelta(minutes=3)) == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.created, job.existing) == (5, 0)
    assert Case.objects.count() == 5


def test_a_check_that_cannot_read_the_file_fails_the_job(people, work, settings):
    operator = people["operator"]
    job = upload(operator, [hotline_row(f"L{i}") for i in range(3)])
    settings.IMPORT_MAX_ROWS = 2
    job = checked(job, operator, work)
    assert job.status == JobStatus.FAILED and "数据超过 2 行" in job.failure
    assert AuditEvent.objects.filter(action="imports.check_failed").count() == 1
    settings.IMPORT_MAX_ROWS = 10
    assert checked(job, operator, work).status == JobStatus.CHECKED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"description": ""}, "map_description"),
        ({"external_id": ""}, "map_external_id"),
        ({"address": "诉求内容"}, "map_address"),
        ({"lng": ""}, "map_lat"),
        ({"lat": "", "lng": "", "address": ""}, "map_address"),
        ({"category": ""}, "map_category"),
        ({"category": "没有这一列"}, "map_category"),
    ],
)
def test_a_bad_mapping_is_refused(people, change, field):
    operator = people["operator"]
    job = upload(operator, [hotline_row("X")])
    with pytest.raises(ServiceError) as refused:
        services.import_job_check(job_id=job.pk, actor=operator, mapping={**job.mapping, **change})
    assert refused.value.field == field
    job.refresh_from_db()
    assert job.status == JobStatus.UPLOADED
    assert not OutboxMessage.objects.filter(topic="imports.check").exists()


def test_steps_out_of_order_are_refused(people, work):
    operator = people["operator"]
    job = upload(operator, [hotline_row("X")])
    with pytest.raises(ConflictError, match="请先完成检查"):
        services.import_job_commit(job_id=job.pk, actor=operator, mode=Mode.SKIP_BAD_ROWS)
    services.import_job_check(job_id=job.pk, actor=operator, mapping=job.mapping)
    with pytest.raises(ConflictError, match="检查中"):
        services.import_job_check(job_id=job.pk, actor=operator, mapping=job.mapping)
    work()
    with pytest.raises(ServiceError, match="导入方式"):
        services.import_job_commit(job_id=job.pk, actor=operator, mode="everything")


def test_bad_uploads_are_refused(people):
    operator = people["operator"]
    with pytest.raises(ServiceError, match="导入来源"):
        upload(operator, [hotline_row("X")], source="wechat")
    with pytest.raises(ServiceError, match="请选择要导入的文件"):
        services.import_job_create(source="12345", upload=None, actor=operator)
    with pytest.raises(ServiceError, match="大类"):
        upload(operator, [hotline_row("X")], default_category="B01")
    with pytest.raises(ServiceError, match="只找到一列"):
        upload(operator, [["X"]], headers=["工单编号"])
    assert not ImportJob.objects.exists()


def test_a_saved_default_mapping_prefills_the_next_upload(people):
    operator = people["operator"]
    headers = ["单号", "情况说明", "位置", "片区"]
    mapping = {
        "external_id": "单号",
        "description": "情况说明",
        "address": "位置",
        "extra": ["片区"],
    }
    services.column_mapping_save(
        source="survey", name="省测模板", mapping=mapping, actor=operator, is_default=True
    )
    job = upload(operator, [["1", "a", "b", "c"]], source="survey", headers=headers)
    assert {k: job.mapping.get(k) for k in mapping} == mapping
    # Another source has its own default.
    other = upload(operator, [["1", "a", "b", "c"]], headers=headers)
    assert other.mapping.get("description") is None
