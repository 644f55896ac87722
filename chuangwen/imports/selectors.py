"""Every read of the imports app: who may import where, jobs, saved mappings."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwen.core.errors import PermissionDeniedError
from chuangwen.core.scoping import CHANGE, scope_for
from chuangwen.core.xlsx import BadRow, ImportReport
from chuangwen.org.choices import Role

from .choices import TARGET_LABELS
from .models import ColumnMapping, ImportJob

REFUSED = gettext_lazy("只有创文办受理员、系统管理员和区级管理员可以导入工单。")


@dataclass(frozen=True)
class ImportScope:
    """Where the rows of someone's import may land: anywhere, or inside these subtrees."""

    citywide: bool
    paths: tuple[str, ...] = ()

    def covers(self, path: str) -> bool:
        return self.citywide or any(path.startswith(p) for p in self.paths)


def import_scope(user) -> ImportScope:
    """The city office (city-wide change rights) imports anywhere; a district operator
    imports for their district; everyone else is refused."""
    if user is None:
        return ImportScope(citywide=True)
    scope = scope_for(user)
    if scope.for_action(CHANGE).citywide:
        return ImportScope(citywide=True)
    paths = tuple(
        sorted(
            {
                g.territory_path
                for g in scope.grants
                if g.role == Role.DISTRICT_OPERATOR and g.territory_path
            }
        )
    )
    if not paths:
        raise PermissionDeniedError(str(REFUSED))
    return ImportScope(citywide=False, paths=paths)


def may_import(user) -> bool:
    try:
        import_scope(user)
    except PermissionDeniedError:
        return False
    return True


def job_queryset(user) -> QuerySet[ImportJob]:
    """Jobs the user sees: the city office sees all, everyone else their own."""
    return ImportJob.objects.scoped_for(user, CHANGE)


def job_list(*, user) -> QuerySet[ImportJob]:
    return (
        job_queryset(user)
        .select_related("created_by")
        .defer("errors", "summary", "headers", "mapping")
        .order_by("-created_at", "-id")
    )


def job_detail(*, user, job_id: int, light: bool = False) -> ImportJob:
    """The job, or 404 where the user may not see it. ``light`` leaves out the findings
    (the progress poll asks every second)."""
    queryset = job_queryset(user).select_related("created_by")
    if light:
        queryset = queryset.defer("errors", "summary")
    job = queryset.filter(pk=job_id).first()
    if job is None:
        raise Http404(_("导入任务不存在。"))
    return job


def mapping_list(*, user, source: str | None = None) -> QuerySet[ColumnMapping]:
    import_scope(user)
    queryset = ColumnMapping.objects.select_related("created_by")
    if source:
        queryset = queryset.filter(source=source)
    return queryset.order_by("source", "-is_default", "name")


def sets_default_mapping(user) -> bool:
    """Only the city office chooses the mapping every importer of a source starts from."""
    return user is None or import_scope(user).citywide


def may_change_mapping(user, mapping: ColumnMapping) -> bool:
    """The city office replaces or deletes any saved mapping; a district operator keeps
    their own, but never the source's default, which everyone starts from."""
    if sets_default_mapping(user):
        return True
    return mapping.created_by_id == user.pk and not mapping.is_default


def default_mapping(source: str) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(source=source, is_default=True).first()


def error_report(job: ImportJob) -> ImportReport:
    """The job's errors grouped by row, as the shared error workbook lists them."""
    grouped: dict[int, list[str]] = {}
    for error in job.errors:
        label = TARGET_LABELS.get(error.get("field"), error.get("field") or "")
        column = error.get("column") or ""
        where = f"{label}({column})" if column and column != str(label) else str(label)
        text = f"{where}:{error['message']}" if where else error["message"]
        grouped.setdefault(int(error["row"]), []).append(text)
    bad = [BadRow(number, tuple(messages)) for number, messages in sorted(grouped.items())]
    return ImportReport(total=job.total, ok=job.valid, bad_rows=bad)
