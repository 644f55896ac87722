"""Photos uploaded but never attached are deleted after PHOTO_UNATTACHED_DAYS; a file
another row still names stays."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from chuangwen.cases.models import CasePhoto
from chuangwen.cases.services import case_report, photo_upload, retention
from chuangwen.core import outbox
from chuangwen.core.models import AuditEvent
from chuangwen.testing.cases import MAOJIAN
from chuangwen.testing.images import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _days(settings):
    settings.PHOTO_UNATTACHED_DAYS = 7


def upload(user, colour="red", *, days_ago=0) -> CasePhoto:
    photo = photo_upload(upload=jpeg(colour), actor=user)
    CasePhoto.objects.filter(pk=photo.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return photo


def stored(photo: CasePhoto) -> bool:
    return photo.image.storage.exists(photo.image.name)


def test_an_old_unattached_photo_and_its_file_are_deleted(people):
    collector = people["collector"]
    old = upload(collector, "red", days_ago=8)
    recent = upload(collector, "blue", days_ago=6)
    assert retention.photos_prune_unattached(now=timezone.now()) == 1
    assert not CasePhoto.objects.filter(pk=old.pk).exists()
    assert not stored(old)
    assert CasePhoto.objects.filter(pk=recent.pk).exists() and stored(recent)
    event = AuditEvent.objects.get(action="cases.photos_pruned")
    assert event.data == {"ids": [old.pk], "days": 7} and event.actor is None


def test_a_photo_attached_to_a_case_stays(people):
    collector = people["collector"]
    photo = upload(collector, days_ago=30)
    case_report(
        category="B0102",
        description="井盖缺失",
        lat=MAOJIAN[0],
        lng=MAOJIAN[1],
        actor=collector,
        photo_ids=[photo.pk],
    )
    assert retention.photos_prune_unattached(now=timezone.now()) == 0
    assert CasePhoto.objects.filter(pk=photo.pk).exists() and stored(photo)


def test_a_file_shared_with_another_row_stays_until_no_row_names_it(people):
    collector = people["collector"]
    # The same picture twice: two rows, one stored file.
    first = upload(collector, "green", days_ago=10)
    second = upload(collector, "green", days_ago=1)
    assert first.image.name == second.image.name and first.pk != second.pk
    assert retention.photos_prune_unattached(now=timezone.now()) == 1
    assert not CasePhoto.objects.filter(pk=first.pk).exists()
    assert stored(second)
    # A week later the second is as old and as unused: now the file goes too.
    assert retention.photos_prune_unattached(now=timezone.now() + timedelta(days=7)) == 1
    assert not stored(second)


def test_an_upload_reusing_the_file_while_it_is_removed_keeps_it(people, monkeypatch):
    """The retention job has looked (no other row) and deletes the file; at that moment an
    upload of the same picture, which found the file still there, commits its row."""
    collector = people["collector"]
    old = upload(collector, "purple", days_ago=10)
    name = old.image.name
    storage = old.image.storage
    real_delete = storage.delete

    def delete_while_uploading(path):
        real_delete(path)
        CasePhoto.objects.create(
            kind=old.kind,
            image=path,
            sha256=old.sha256,
            uploaded_by=collector,
            created_at=timezone.now(),
        )

    monkeypatch.setattr(storage, "delete", delete_while_uploading)
    assert retention.photos_prune_unattached(now=timezone.now()) == 1
    assert storage.exists(name)


def test_an_upload_puts_back_a_file_removed_before_its_commit(
    people, django_capture_on_commit_callbacks
):
    collector = people["collector"]
    old = upload(collector, "orange", days_ago=10)
    storage, name = old.image.storage, old.image.name
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        again = photo_upload(upload=jpeg("orange"), actor=collector)
        assert again.image.name == name  # the stored file is reused
        # The retention job removes the old row and, seeing no committed user, the file.
        CasePhoto.objects.filter(pk=old.pk).delete()
        storage.delete(name)
    assert storage.exists(name)


def test_the_worker_runs_the_job(people):
    outbox.discover()
    old = upload(people["collector"], days_ago=8)
    assert "cases.prune_unattached_photos" in outbox.run_due_jobs(now=timezone.now())
    assert not CasePhoto.objects.filter(pk=old.pk).exists()
