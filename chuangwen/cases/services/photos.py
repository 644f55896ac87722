"""Evidence photos: storing an upload and attaching waiting uploads to a case."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.db import transaction

from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.scoping import scope_for
from chuangwen.core.types import Actor

from .. import permissions
from ..choices import PhotoKind
from ..models import Case, CasePhoto, photo_path
from . import retention


def _attach_photos(
    case: Case, photo_ids: Sequence[int], *, kind: str, actor: Actor
) -> list[CasePhoto]:
    if not photo_ids:
        return []
    ids = {int(i) for i in photo_ids}
    photos = list(
        CasePhoto.objects.select_for_update().filter(
            pk__in=ids, case__isnull=True, uploaded_by=actor if actor else None
        )
    )
    if len(photos) != len(ids):
        raise ServiceError("照片不存在、已被使用或不是您上传的。", field="photo_ids")
    for photo in photos:
        photo.case = case
        photo.kind = kind
    CasePhoto.objects.bulk_update(photos, ["case", "kind"])
    return photos


def photo_upload(
    *, upload, actor: Actor, case_id: int | None = None, kind: str = PhotoKind.BEFORE
) -> CasePhoto:
    """Store one checked picture (EXIF stripped). Without a case it waits, owned by its
    uploader, to be attached by the report or step that names it."""
    from django.core.files.base import ContentFile

    from chuangwen.core.images import clean_photo

    if kind not in PhotoKind.values:
        raise ServiceError(f"未知的照片类型:{kind}", field="kind")
    scope = scope_for(actor) if actor is not None else None
    if scope is not None and not scope.superuser and not scope.grants:
        raise PermissionDeniedError("您的账号没有上传照片的权限。")
    photo = clean_photo(upload)
    with transaction.atomic():
        case = None
        if case_id is not None:
            case = (
                Case.objects.scoped_for(actor).filter(pk=case_id).order_by("pk").first()
                if actor
                else Case.objects.filter(pk=case_id).order_by("pk").first()
            )
            if case is None:
                raise ServiceError("案件不存在。")
            if not permissions.may_add_photo(actor, kind, case):
                raise PermissionDeniedError(
                    f"您没有权限为该案件上传“{PhotoKind(kind).label}”照片。"
                )
            if not case.is_open:
                raise ConflictError("案件已办结,不能再上传照片。")
        row = CasePhoto(
            case=case,
            kind=kind,
            width=photo.width,
            height=photo.height,
            sha256=photo.sha256,
            taken_at=photo.taken_at,
            gps_lat=photo.gps_lat,
            gps_lng=photo.gps_lng,
            uploaded_by=actor,
            created_at=clock.now(),
        )
        name = photo_path(row, f"photo.{photo.extension}")
        if row.image.storage.exists(name):
            row.image.name = name
        else:
            row.image.save(name.rsplit("/", 1)[-1], ContentFile(photo.content), save=False)
        row.save()
        # The stored file may be shared with an old unused upload that the retention job
        # is removing right now: once this row is committed, the file must be there.
        transaction.on_commit(partial(retention.keep_stored, row.image.name, photo.content))
        audit(
            actor=actor,
            action="cases.photo_upload",
            obj=row,
            summary=f"案件 {case.code} 上传照片" if case else "上传照片(待关联案件)",
            data={"sha256": photo.sha256, "kind": kind},
        )
    return row
