"""Photos uploaded and never used are deleted after ``PHOTO_UNATTACHED_DAYS``.

A photo is uploaded first and named later by the report, step, inspection or
re-inspection that uses it; a phone that gave up half-way leaves it behind, with its
GPS position and time. "Used" means a case, or any row elsewhere pointing at the photo
(an inspection result's photos, a re-inspection's), found from the model's relations so
that a new kind of use counts without touching this module.

Files are named by their content (``photo_path``): one file may serve several rows. A
file goes only when no row names it any more, and an upload of the same picture that
reuses the stored file while it is being removed puts it back (``keep_stored`` after the
upload's commit, and a second look here after the removal).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from chuangwen.core.audit import audit

from ..models import CasePhoto

log = logging.getLogger(__name__)

BATCH = 500
AUDITED_IDS = 1000


def _storage():
    return CasePhoto._meta.get_field("image").storage


def _references() -> list[QuerySet]:
    """For each relation pointing at photos (through tables of many-to-many fields
    included), the photo ids it uses."""
    found = []
    for relation in CasePhoto._meta.get_fields(include_hidden=True):
        if relation.concrete or not (relation.one_to_many or relation.one_to_one):
            continue
        column = relation.field.attname
        found.append(
            relation.related_model._base_manager.filter(**{f"{column}__isnull": False}).values(
                column
            )
        )
    return found


def unattached_photos(*, uploaded_before: datetime) -> QuerySet[CasePhoto]:
    rows = CasePhoto.objects.filter(case__isnull=True, created_at__lt=uploaded_before)
    for used in _references():
        rows = rows.exclude(pk__in=used)
    return rows


def keep_stored(name: str, content: bytes) -> None:
    """After an upload that named ``name`` has committed: should the file have been
    removed meanwhile (its last other user expired), write it again."""
    storage = _storage()
    if not storage.exists(name):
        storage.save(name, ContentFile(content))


def _discard_file(name: str) -> bool:
    if not name or CasePhoto.objects.filter(image=name).exists():
        return False
    storage = _storage()
    try:
        with storage.open(name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return False
    storage.delete(name)
    # An upload of the same picture may have named the file between the look above and
    # the deletion; its row is committed by now or will write the file back itself.
    if CasePhoto.objects.filter(image=name).exists() and not storage.exists(name):
        storage.save(name, ContentFile(content))
        return False
    return True


def photos_prune_unattached(*, now: datetime) -> int:
    """Delete the photos nobody attached within ``PHOTO_UNATTACHED_DAYS`` of their upload,
    and their files where no other row uses them. One audit row per batch."""
    days = settings.PHOTO_UNATTACHED_DAYS
    before = now - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(
            unattached_photos(uploaded_before=before)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        try:
            with transaction.atomic():
                # Looked at again under lock: a photo attached meanwhile stays. Should an
                # inspection name one at this very moment, the foreign key refuses one of
                # the two transactions rather than leave a row pointing at nothing.
                doomed = unattached_photos(uploaded_before=before).filter(pk__in=ids)
                names = dict(doomed.select_for_update().values_list("pk", "image"))
                doomed.filter(pk__in=list(names)).delete()
                audit(
                    actor=None,
                    action="cases.photos_pruned",
                    object_type=CasePhoto._meta.label_lower,
                    summary=f"删除上传后 {days} 天仍未使用的照片 {len(names)} 张",
                    data={"ids": sorted(names)[:AUDITED_IDS], "days": days},
                )
        except IntegrityError:
            log.warning("photo retention: a photo was attached while being removed; next run")
            break
        files = sum(_discard_file(name) for name in set(names.values()))
        deleted += len(names)
        log.info("photo retention: %d photos and %d files removed", len(names), files)
        if len(ids) < BATCH:
            break
    return deleted
