"""Every write of the imports app: upload, mapping, check, commit, saved mappings.

The check and the commit run in the worker (topics ``imports.check`` / ``imports.run``),
outside the delivery's transaction: the commit writes in batches, each in its own
transaction, so progress shows while it runs and the database is never held for
minutes. A run claims its job with a token and stamps a heartbeat with each step; a run
whose heartbeat went stale (a worker killed mid-way) is taken over and finishes the
job. Because every imported case carries (source, 工单编号) under a unique constraint,
a resumed commit skips what the first attempt wrote, and a re-imported file creates
nothing.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from chuangwen.cases.services import BatchDone, case_report_many, resolve_standard
from chuangwen.core import clock
from chuangwen.core.audit import audit, enqueue
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.types import Actor

from .checking import Checker, Finding
from .choices import (
    EXTRA,
    RUNNING_STATUSES,
    SOURCE_CHANNEL,
    TARGET_KEYS,
    TARGET_LABELS,
    TARGETS,
    JobStatus,
    Mode,
    Phase,
    Source,
)
from .models import ColumnMapping, ImportJob
from .reading import check_size, guess_mapping, read_headers, read_rows
from .selectors import (
    default_mapping,
    import_scope,
    job_queryset,
    may_change_mapping,
    sets_default_mapping,
)

log = logging.getLogger(__name__)

# A run that has not reported for this long is presumed dead and taken over.
STALE_AFTER = timedelta(minutes=2)
# Cases written per transaction: progress shows after each, and on SQLite other writers
# wait at most about a second; fewer, larger commits also spare SQLite's checkpoints.
COMMIT_BATCH = 2000
LOCATION_KEYS = ("lat", "lng", "address", "district", "street", "community")


class LostClaim(Exception):
    """Another run took the job over; this one stops without writing more."""


# -- helpers -------------------------------------------------------------------------------
def _source(value: str) -> str:
    if value not in Source.values:
        raise ServiceError(_("请选择导入来源。"), field="source")
    return value


def _default_category(code: str | None) -> str:
    code = (code or "").strip()
    if code:
        resolve_standard(code)  # refuses an unknown code or a 大类 with its own message
    return code


def _locked_job(job_id: int, actor: Actor) -> ImportJob:
    queryset = ImportJob.objects.all() if actor is None else job_queryset(actor)
    job = queryset.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise ServiceError(_("导入任务不存在。"))
    return job


def _file_removed() -> ServiceError:
    return ServiceError(
        _("源文件已按保留期限(%(days)s 天)删除,请重新上传文件后再检查或导入。")
        % {"days": settings.IMPORT_FILE_RETENTION_DAYS},
        field="file",
    )


def _require_file(job: ImportJob) -> None:
    if job.file_removed_at is not None or not job.file:
        raise _file_removed()


def _clean_mapping(mapping: dict, headers: list[str], *, default_category: str = "") -> dict:
    """The mapping as stored: only headers of the file, each for one field at most."""
    clean: dict = {}
    used: dict[str, str] = {}
    for key in TARGET_KEYS:
        header = mapping.get(key) or ""
        if not header:
            continue
        if header not in headers:
            raise ServiceError(
                _("文件中没有“%(header)s”列。") % {"header": header}, field=f"map_{key}"
            )
        if header in used:
            raise ServiceError(
                _("“%(header)s”列同时对应了“%(a)s”和“%(b)s”,一列只能对应一项。")
                % {"header": header, "a": TARGET_LABELS[used[header]], "b": TARGET_LABELS[key]},
                field=f"map_{key}",
            )
        used[header] = key
        clean[key] = header
    for target in TARGETS:
        if target.required and target.key not in clean:
            raise ServiceError(
                _("请指定“%(label)s”对应的列。") % {"label": target.label},
                field=f"map_{target.key}",
            )
    if ("lat" in clean) != ("lng" in clean):
        raise ServiceError(_("经度和纬度须同时指定对应的列。"), field="map_lat")
    if not any(key in clean for key in LOCATION_KEYS):
        raise ServiceError(
            _("请至少指定经纬度、地址、区县、街道或社区中的一项,否则无法确定问题位置。"),
            field="map_address",
        )
    if "category" not in clean and not default_category:
        raise ServiceError(_("请指定“类别”对应的列,或选择默认类别。"), field="map_category")
    extra = mapping.get(EXTRA) or []
    clean[EXTRA] = [h for h in dict.fromkeys(extra) if h in headers and h not in used]
    return clean


# -- upload, check, commit (asked for on the page) ------------------------------------------
def import_job_create(
    *, source: str, upload, actor: Actor, default_category: str = ""
) -> ImportJob:
    import_scope(actor)
    source = _source(source)
    if upload is None:
        raise ServiceError(_("请选择要导入的文件(.xlsx 或 .csv)。"), field="file")
    size = getattr(upload, "size", None)
    if size is not None:
        check_size(size)
    name = str(getattr(upload, "name", "") or "import.csv").rsplit("/", 1)[-1][-200:]
    upload.seek(0)
    data = upload.read()
    header_row, headers = read_headers(data, name)
    if len(headers) < 2:
        raise ServiceError(
            _("只找到一列表头,请确认文件包含工单编号、问题描述等多列。"), field="file"
        )
    category = _default_category(default_category)
    saved = default_mapping(source)
    with transaction.atomic():
        job = ImportJob(
            source=source,
            filename=name,
            sha256=hashlib.sha256(data).hexdigest(),
            headers=headers,
            header_row=header_row,
            default_category=category,
            mapping=guess_mapping(headers, saved.mapping if saved else None),
            created_by=actor,
        )
        job.file.save(name, ContentFile(data), save=False)
        job.save()
        audit(
            actor=actor,
            action="imports.upload",
            obj=job,
            summary=f"上传{job.get_source_display()}文件 {name}",
            data={"sha256": job.sha256, "bytes": len(data), "headers": len(headers)},
        )
    return job


def _reset(job: ImportJob, actor: Actor, status: str) -> None:
    job.status = status
    job.phase = Phase.READING
    job.processed = 0
    job.failure = ""
    job.requested_by = actor
    job.run_token = ""
    job.heartbeat_at = clock.now()


def import_job_check(
    *, job_id: int, actor: Actor, mapping: dict, default_category: str | None = None
) -> ImportJob:
    """Keep the mapping and have the worker check every row (a dry run)."""
    import_scope(actor)
    with transaction.atomic():
        job = _locked_job(job_id, actor)
        if job.status not in (JobStatus.UPLOADED, JobStatus.CHECKED, JobStatus.FAILED):
            raise ConflictError(
                _("导入任务当前状态为“%(status)s”,不能重新检查。")
                % {"status": job.get_status_display()}
            )
        _require_file(job)
        if default_category is not None:
            job.default_category = _default_category(default_category)
        job.mapping = _clean_mapping(mapping, job.headers, default_category=job.default_category)
        _reset(job, actor, JobStatus.CHECKING)
        job.mode = ""
        job.save()
        enqueue(topic="imports.check", payload={"job_id": job.pk})
    return job


def import_job_commit(*, job_id: int, actor: Actor, mode: str) -> ImportJob:
    """Have the worker import the checked list, in the chosen mode."""
    import_scope(actor)
    if mode not in Mode.values:
        raise ServiceError(_("请选择导入方式。"), field="mode")
    with transaction.atomic():
        job = _locked_job(job_id, actor)
        if job.status != JobStatus.CHECKED:
            raise ConflictError(_("请先完成检查,再导入。"))
        _require_file(job)
        if mode == Mode.ALL_OR_NOTHING and job.error_rows:
            raise ServiceError(
                _(
                    "文件中有 %(n)s 行错误,不能“全部导入或全部不导入”。"
                    "请修正后重新上传,或选择跳过有错误的行。"
                )
                % {"n": job.error_rows},
                field="mode",
            )
        if not job.valid:
            raise ServiceError(_("没有可导入的行。"), field="mode")
        _reset(job, actor, JobStatus.IMPORTING)
        job.mode = mode
        job.created = 0
        job.save()
        enqueue(topic="imports.run", payload={"job_id": job.pk})
    return job


# -- the worker's part --------------------------------------------------------------------
@dataclass
class _Run:
    job: ImportJob
    token: str

    def report(self, **fields) -> None:
        """Progress, with the heartbeat; fails once another run has taken the job."""
        fields["heartbeat_at"] = clock.now()
        if not ImportJob.objects.filter(pk=self.job.pk, run_token=self.token).update(**fields):
            raise LostClaim


def _claim(job_id: int, status: str, *, stale_before: datetime | None = None) -> _Run | None:
    token = secrets.token_hex(8)
    queryset = ImportJob.objects.filter(pk=job_id, status=status)
    if stale_before is not None:
        queryset = queryset.filter(heartbeat_at__lt=stale_before)
    if not queryset.update(run_token=token, heartbeat_at=clock.now()):
        return None
    job = ImportJob.objects.select_related("requested_by", "created_by").get(pk=job_id)
    return _Run(job, token)


def _examine(run: _Run, *, find_duplicates: bool = True) -> Finding:
    job = run.job
    run.report(phase=Phase.READING, processed=0)
    _require_file(job)
    with job.file.open("rb") as handle:
        data = handle.read()
    headers, rows = read_rows(data, job.filename)
    run.report(phase=Phase.VALIDATING, total=len(rows))
    checker = Checker(
        headers=headers,
        mapping=job.mapping,
        source=job.source,
        scope=import_scope(job.requested_by or job.created_by),
        default_category=job.default_category,
        progress=lambda phase, done: run.report(phase=phase, processed=done),
        find_duplicates=find_duplicates,
    )
    finding = checker.check(rows)
    if not finding.total:
        raise ServiceError(_("文件中没有数据行。"), field="file")
    return finding


def _findings(job: ImportJob, finding: Finding) -> None:
    job.total = finding.total
    job.valid = len(finding.good)
    job.error_rows = finding.error_rows
    job.errors = finding.errors
    summary = finding.summary()
    if finding.duplicates is None:  # not looked for again: the check's findings stand
        summary["duplicates"] = (job.summary or {}).get("duplicates", [])
    else:
        job.duplicates = finding.duplicates
    job.summary = summary


def _finish(run: _Run, status: str, change) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=run.job.pk).first()
        if job is None or job.run_token != run.token:
            return None
        change(job)
        job.status = status
        job.phase = ""
        job.run_token = ""
        job.heartbeat_at = None
        job.save()
        return job


def _fail(run: _Run, message: str, *, phase_label: str) -> None:
    def change(job: ImportJob) -> None:
        job.failure = message[:500]
        job.finished_at = clock.now()
        audit(
            actor=job.requested_by,
            action=f"imports.{phase_label}_failed",
            obj=job,
            summary=f"{job.filename}:{message}"[:500],
        )

    _finish(run, JobStatus.FAILED, change)


def _guarded(run: _Run, phase_label: str, work) -> None:
    try:
        work(run)
    except LostClaim:
        log.info("import job %s: taken over by another run", run.job.pk)
    except ServiceError as exc:
        _fail(run, exc.message, phase_label=phase_label)
    except Exception:
        log.exception("import job %s failed", run.job.pk)
        _fail(run, _("处理文件时发生内部错误,请联系系统管理员。"), phase_label=phase_label)


def import_job_run_check(*, job_id: int, stale_before: datetime | None = None) -> None:
    """The dry run: every row checked, nothing written but the job's findings."""
    run = _claim(job_id, JobStatus.CHECKING, stale_before=stale_before)
    if run is not None:
        _guarded(run, "check", _check)


def _check(run: _Run) -> None:
    finding = _examine(run)

    def change(job: ImportJob) -> None:
        _findings(job, finding)
        job.processed = finding.total
        job.existing = finding.existing
        job.checked_at = clock.now()
        audit(
            actor=job.requested_by,
            action="imports.check",
            obj=job,
            summary=(
                f"检查{job.get_source_display()} {job.filename}:共 {job.total} 行,"
                f"可导入 {job.valid} 行,错误 {job.error_rows} 行,已导入过 {job.existing} 行,"
                f"疑似重复 {job.duplicates} 行"
            ),
            data=_counts(job),
        )

    _finish(run, JobStatus.CHECKED, change)


def import_job_run_commit(*, job_id: int, stale_before: datetime | None = None) -> None:
    """The commit: checked again, then written in batches."""
    run = _claim(job_id, JobStatus.IMPORTING, stale_before=stale_before)
    if run is not None:
        _guarded(run, "commit", _commit)


def _commit(run: _Run) -> None:
    job = run.job
    # Cases an earlier, interrupted attempt of this commit wrote: committed with their
    # batch, so the count is exact, and they now show up as "taken in before".
    earlier = job.created
    # Suspected duplicates are for the operator to look at, not a reason to refuse a row:
    # the check's list stands, and the commit spends its time on what decides the writes.
    finding = _examine(run, find_duplicates=False)
    if job.mode == Mode.ALL_OR_NOTHING and finding.error_rows:
        raise ServiceError(
            _("导入前再次检查发现 %(n)s 行错误,按“全部导入或全部不导入”未导入任何案件。")
            % {"n": finding.error_rows}
        )
    run.report(phase=Phase.WRITING, processed=0, total=len(finding.good))

    def on_batch(done: BatchDone) -> None:
        run.report(processed=done.rows_done, created=F("created") + done.created)

    actor = job.requested_by or job.created_by
    result = case_report_many(
        rows=[row for _number, row in finding.good],
        actor=actor,
        channel=SOURCE_CHANNEL[job.source],
        source=job.source,
        batch_size=COMMIT_BATCH,
        on_batch=on_batch,
    )

    def change(job: ImportJob) -> None:
        _findings(job, finding)
        job.processed = job.total
        job.existing = max(0, finding.existing - earlier) + result.existing
        job.finished_at = clock.now()
        audit(
            actor=job.requested_by,
            action="imports.commit",
            obj=job,
            summary=(
                f"导入{job.get_source_display()} {job.filename}:新建案件 {job.created} 条,"
                f"已导入过 {job.existing} 行,跳过错误行 {job.error_rows} 行"
            ),
            data={**_counts(job), "mode": job.mode},
        )

    _finish(run, JobStatus.DONE, change)


def _counts(job: ImportJob) -> dict:
    return {
        "total": job.total,
        "valid": job.valid,
        "created": job.created,
        "existing": job.existing,
        "duplicates": job.duplicates,
        "error_rows": job.error_rows,
    }


def import_jobs_resume(*, now: datetime) -> list[int]:
    """Finish the checks and commits whose run stopped reporting (a worker killed)."""
    stale_before = now - STALE_AFTER
    resumed = []
    stalled = ImportJob.objects.filter(
        status__in=RUNNING_STATUSES, heartbeat_at__lt=stale_before
    ).values_list("pk", "status")
    for pk, status in list(stalled):
        run = import_job_run_check if status == JobStatus.CHECKING else import_job_run_commit
        run(job_id=pk, stale_before=stale_before)
        resumed.append(pk)
    return resumed


# -- retention ---------------------------------------------------------------------------------
def import_files_expire(*, now: datetime) -> int:
    """Delete the uploaded lists whose job has not changed for IMPORT_FILE_RETENTION_DAYS:
    they hold citizens' phone numbers. The job stays with its findings and says when its
    file went. A stored file another live job still names (storages that overwrite give
    the same list the same name) stays until that job expires too. Returns how many jobs
    lost their file."""
    days = settings.IMPORT_FILE_RETENTION_DAYS
    expired = (
        ImportJob.objects.filter(updated_at__lt=now - timedelta(days=days))
        .filter(file_removed_at__isnull=True)
        .exclude(status__in=RUNNING_STATUSES)
        .exclude(file="")
    )
    storage = ImportJob._meta.get_field("file").storage
    removed = 0
    for pk in list(expired.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            # Looked at again under the lock: a check asked for meanwhile keeps the file.
            job = expired.select_for_update().filter(pk=pk).first()
            if job is None:
                continue
            name = job.file.name
            shared = (
                ImportJob.objects.filter(file=name, file_removed_at__isnull=True)
                .exclude(pk=pk)
                .exists()
            )
            # The file goes before the row says so: should the commit fail, the next run
            # finds the job again, rather than a row claiming a deletion that never was.
            if not shared:
                storage.delete(name)
            job.file = ""
            job.file_removed_at = now
            job.save(update_fields=["file", "file_removed_at"])
            audit(
                actor=None,
                action="imports.file_removed",
                obj=job,
                summary=f"按保留期限({days} 天)删除导入文件 {job.filename}",
                data={"sha256": job.sha256, "retention_days": days, "shared": shared},
            )
        removed += 1
    if removed:
        log.info("imports: removed the files of %d jobs past their retention", removed)
    return removed


# -- saved mappings ------------------------------------------------------------------------
def column_mapping_save(
    *, source: str, name: str, mapping: dict, actor: Actor, is_default: bool = False
) -> ColumnMapping:
    """Save a mapping under a name (replacing one of the same name) for the source."""
    import_scope(actor)
    source = _source(source)
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("请填写对应关系的名称。"), field="mapping_name")
    if len(name) > 60:
        raise ServiceError(_("名称不能超过 60 个字。"), field="mapping_name")
    stored = {k: v for k, v in mapping.items() if k in TARGET_KEYS and isinstance(v, str) and v}
    stored[EXTRA] = [h for h in mapping.get(EXTRA) or [] if isinstance(h, str)]
    if not any(k in stored for k in TARGET_KEYS):
        raise ServiceError(_("对应关系是空的,没有可保存的内容。"), field="mapping_name")
    if is_default and not sets_default_mapping(actor):
        raise PermissionDeniedError(_("只有创文办可以设置默认对应关系。"))
    with transaction.atomic():
        saved = ColumnMapping.objects.select_for_update().filter(source=source, name=name).first()
        if saved is None:
            saved = ColumnMapping(source=source, name=name, created_by=actor)
        elif not may_change_mapping(actor, saved):
            raise PermissionDeniedError(
                _("已有名为“%(name)s”的对应关系,不是您保存的,不能覆盖;请换一个名称。")
                % {"name": name}
            )
        saved.mapping = stored
        if is_default:
            ColumnMapping.objects.filter(source=source, is_default=True).exclude(
                pk=saved.pk
            ).update(is_default=False)
            saved.is_default = True
        saved.save()
        audit(
            actor=actor,
            action="imports.mapping_save",
            obj=saved,
            summary=f"保存列对应关系 {saved}",
            data={"mapping": stored, "is_default": saved.is_default},
        )
    return saved


def _locked_mapping(mapping_id: int, actor: Actor) -> ColumnMapping:
    import_scope(actor)
    saved = ColumnMapping.objects.select_for_update().filter(pk=mapping_id).first()
    if saved is None:
        raise ServiceError(_("列对应关系不存在。"))
    return saved


def column_mapping_set_default(*, mapping_id: int, actor: Actor) -> ColumnMapping:
    with transaction.atomic():
        saved = _locked_mapping(mapping_id, actor)
        if not sets_default_mapping(actor):
            raise PermissionDeniedError(_("只有创文办可以设置默认对应关系。"))
        ColumnMapping.objects.filter(source=saved.source, is_default=True).exclude(
            pk=saved.pk
        ).update(is_default=False)
        saved.is_default = True
        saved.save(update_fields=["is_default", "updated_at"])
        audit(actor=actor, action="imports.mapping_default", obj=saved, summary=f"设为默认 {saved}")
    return saved


def column_mapping_delete(*, mapping_id: int, actor: Actor) -> None:
    """The city office deletes any mapping; others only their own, not the default."""
    with transaction.atomic():
        saved = _locked_mapping(mapping_id, actor)
        if not may_change_mapping(actor, saved):
            if saved.created_by_id == actor.pk:
                raise PermissionDeniedError(_("默认对应关系只能由创文办删除。"))
            raise PermissionDeniedError(_("只能删除自己保存的列对应关系。"))
        audit(actor=actor, action="imports.mapping_delete", obj=saved, summary=f"删除 {saved}")
        saved.delete()
