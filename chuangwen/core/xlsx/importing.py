"""The one way a spreadsheet is imported.

:func:`import_rows` reads the upload against its columns (the header check, every row
with its row number), runs the import's checks over the rows (each adds its Chinese
message to the rows it finds bad), and then follows one policy (:func:`apply_rows`):
nothing is saved while a row is bad, unless the operator chose to skip bad rows; the
good rows are saved, with the import's audit row, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction

from ..errors import ServiceError
from .reading import Column, Row, flag_duplicates, read_rows, upload_name

Check = Callable[[list[Row]], None]


@dataclass(frozen=True)
class BadRow:
    number: int
    messages: tuple[str, ...]


@dataclass
class ImportReport:
    total: int = 0
    ok: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    applied: bool = False
    skip_bad_rows: bool = False

    @classmethod
    def checked(cls, rows: Sequence[Row], *, skip_bad_rows: bool) -> ImportReport:
        """What the check of ``rows`` found, nothing saved yet."""
        return cls(
            total=len(rows),
            ok=sum(1 for row in rows if row.ok),
            bad_rows=[BadRow(row.number, tuple(row.errors)) for row in rows if not row.ok],
            skip_bad_rows=skip_bad_rows,
        )

    @property
    def bad(self) -> int:
        return len(self.bad_rows)

    @property
    def errors(self) -> list[str]:
        return [message for row in self.bad_rows for message in row.messages]

    def as_text(self) -> str:
        lines = [f"共 {self.total} 行数据:有效 {self.ok} 行,有错误 {self.bad} 行。"]
        if self.applied:
            lines.append(f"已导入:新增 {self.created} 条,更新 {self.updated} 条。")
            if self.bad:
                lines.append("有错误的行已跳过。")
        elif self.bad and not self.skip_bad_rows:
            lines.append("因存在错误行,未导入任何数据。请修正后重新导入,或选择跳过有错误的行。")
        else:
            lines.append("没有可导入的行。")
        lines.extend(self.errors)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "ok": self.ok,
            "bad": self.bad,
            "created": self.created,
            "updated": self.updated,
            "applied": self.applied,
            "skip_bad_rows": self.skip_bad_rows,
            "bad_rows": [{"number": r.number, "messages": list(r.messages)} for r in self.bad_rows],
        }


def apply_rows(
    rows: Sequence[Row],
    *,
    skip_bad_rows: bool,
    save: Callable[[list[Row]], tuple[int, int]],
) -> ImportReport:
    """The one import policy: ``save(good_rows) -> (created, updated)`` runs (in one
    transaction) only when every row is good, or when the operator chose to skip the bad
    ones. Call it after every check, including those across rows, has marked its rows."""
    if not rows:
        raise ServiceError("文件中没有数据行。", field="file")
    report = ImportReport.checked(rows, skip_bad_rows=skip_bad_rows)
    if (report.bad and not skip_bad_rows) or not report.ok:
        return report
    with transaction.atomic():
        report.created, report.updated = save([row for row in rows if row.ok])
    report.applied = True
    return report


# -- the skeleton ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Batch:
    """What an import's ``save`` is given: the good rows, the name of the file they came
    from and the numbers of the bad rows left out (for the audit row)."""

    rows: list[Row]
    file: str
    skipped: list[int]

    @property
    def skipped_note(self) -> str:
        """The audit summary's ending that says how many bad rows were left out."""
        return f",跳过错误行 {len(self.skipped)} 行" if self.skipped else ""


def each_row(check: Callable[[Row], None], *, ok_only: bool = False) -> Check:
    """A check of every row by itself; with ``ok_only`` of the rows still without errors."""

    def run(rows: list[Row]) -> None:
        for row in rows:
            if row.ok or not ok_only:
                check(row)

    return run


def unique(key: str, header: str) -> Check:
    """A check marking the later rows whose ``key`` repeats an earlier row's."""

    def run(rows: list[Row]) -> None:
        flag_duplicates(rows, key=key, header=header)

    return run


def import_rows(
    upload,
    *,
    columns: Sequence[Column],
    checks: Iterable[Check] = (),
    save: Callable[[Batch], tuple[int, int]],
    skip_bad_rows: bool,
    conflict: ServiceError | None = None,
) -> ImportReport:
    """Import ``upload``: read its rows against ``columns``, run ``checks`` over them in
    order, then :func:`commit_rows`."""
    rows = read_rows(upload, columns=columns)
    for check in checks:
        check(rows)
    return commit_rows(
        rows, file=upload_name(upload), save=save, skip_bad_rows=skip_bad_rows, conflict=conflict
    )


def commit_rows(
    rows: Sequence[Row],
    *,
    file: str,
    save: Callable[[Batch], tuple[int, int]],
    skip_bad_rows: bool,
    conflict: ServiceError | None = None,
) -> ImportReport:
    """All or nothing (:func:`apply_rows`) for rows already checked: ``save(batch) ->
    (created, updated)`` writes the good rows and the audit row in one transaction. When
    someone else saved the same keys meanwhile (a unique constraint breaks), the import
    answers ``conflict``."""
    skipped = [row.number for row in rows if not row.ok]
    try:
        return apply_rows(
            rows,
            skip_bad_rows=skip_bad_rows,
            save=lambda good: save(Batch(rows=good, file=file, skipped=skipped)),
        )
    except IntegrityError:
        if conflict is None:
            raise
        raise conflict from None
