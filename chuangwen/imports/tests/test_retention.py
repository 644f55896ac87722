"""Uploaded lists hold citizens' phone numbers: the worker deletes the file once the
job has not changed for IMPORT_FILE_RETENTION_DAYS; the job stays and says so."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangwen.core import outbox
from chuangwen.core.errors import ServiceError
from chuangwen.core.models import AuditEvent
from chuangwen.imports import services
from chuangwen.imports.choices import JobStatus, Mode
from chuangwen.imports.models import ImportJob

from .files import csv_upload, hotline_row

pytestmark = pytest.mark.django_db
DAYS = 30


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.IMPORT_FILE_RETENTION_DAYS = DAYS


def upload(actor, ticket="GD001", *, days_ago=0) -> ImportJob:
    job = services.import_job_create(
        source="12345", upload=csv_upload([hotline_row(ticket)]), actor=actor
    )
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(days=days_ago))
    job.refresh_from_db()
    return job


def file_exists(name: str) -> bool:
    return ImportJob._meta.get_field("file").storage.exists(name)


def test_the_file_goes_after_the_retention_period_and_the_job_stays(people):
    operator = people["operator"]
    old = upload(operator, "GD001", days_ago=DAYS + 1)
    recent = upload(operator, "GD002", days_ago=DAYS - 1)
    old_name = old.file.name
    assert file_exists(old_name)

    assert services.import_files_expire(now=timezone.now()) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not file_exists(old_name)
    assert old.file.name == "" and old.file_removed_at is not None
    assert old.filename and old.sha256 and old.headers  # what it was stays known
    assert recent.file_removed_at is None and file_exists(recent.file.name)
    event = AuditEvent.objects.get(action="imports.file_removed")
    assert event.object_id == str(old.pk) and event.actor is None
    assert event.data["retention_days"] == DAYS
    # Nothing left to do on the next run.
    assert services.import_files_expire(now=timezone.now()) == 0


def test_a_running_job_keeps_its_file(people):
    job = upload(people["operator"], days_ago=DAYS + 5)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING)
    assert services.import_files_expire(now=timezone.now()) == 0
    assert file_exists(job.file.name)


def test_a_file_another_job_still_names_stays(people):
    operator = people["operator"]
    old = upload(operator, days_ago=DAYS + 1)
    recent = upload(operator, days_ago=1)
    # A storage that overwrites gives the same list the same name.
    ImportJob.objects.filter(pk=recent.pk).update(file=old.file.name)
    assert services.import_files_expire(now=timezone.now()) == 1
    assert file_exists(old.file.name)
    assert services.import_files_expire(now=timezone.now() + timedelta(days=DAYS)) == 1
    assert not file_exists(old.file.name)


def test_a_job_without_its_file_can_no_longer_be_checked_or_imported(people, work):
    operator = people["operator"]
    job = upload(operator)
    services.import_job_check(job_id=job.pk, actor=operator, mapping=job.mapping)
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED
    services.import_files_expire(now=timezone.now() + timedelta(days=DAYS + 1))
    with pytest.raises(ServiceError) as refused:
        services.import_job_commit(job_id=job.pk, actor=operator, mode=Mode.SKIP_BAD_ROWS)
    assert "按保留期限" in refused.value.message and refused.value.field == "file"
    with pytest.raises(ServiceError):
        services.import_job_check(job_id=job.pk, actor=operator, mapping=job.mapping)


def test_the_job_page_says_the_file_was_removed(client, people):
    operator = people["operator"]
    job = upload(operator, days_ago=DAYS + 1)
    services.import_files_expire(now=timezone.now())
    client.force_login(operator)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "按保留期限删除" in page
    assert f"/imports/{job.pk}/check/" not in page  # no form that would only be refused


def test_the_worker_runs_the_job(people):
    outbox.discover()
    job = upload(people["operator"], days_ago=DAYS + 1)
    assert "imports.expire_files" in outbox.run_due_jobs(now=timezone.now())
    job.refresh_from_db()
    assert job.file_removed_at is not None
