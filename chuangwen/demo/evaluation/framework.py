"""The sample framework loaded through the framework import, as a spreadsheet would be."""

from __future__ import annotations

import io

from django.db import transaction
from django.db.models import Count

from chuangwen.core.xlsx import Sheet, write_workbook
from chuangwen.evaluation.choices import EntryLevel, FrameworkKind
from chuangwen.evaluation.models import Framework, FrameworkEntry
from chuangwen.evaluation.services import (
    ENTRY_HEADERS,
    ENTRY_SHEET,
    NEGATIVE_HEADERS,
    NEGATIVE_SHEET,
    framework_import,
)

from .framework_sample import CYCLE_START, FRAMEWORK, FRAMEWORK_NAME, FRAMEWORK_NOTE, NEGATIVES


def framework_rows() -> tuple[list[tuple], dict[str, str]]:
    """The sample in the import's layout, and the code of each keyed indicator. Points
    sit on the standards; every level above carries the sum of its children."""
    rows: list[tuple] = []
    keys: dict[str, str] = {}
    for d, (dimension, items) in enumerate(FRAMEWORK, start=1):
        d_row = len(rows)
        rows.append(["测评项目", f"{d}", "", dimension, "", 0])
        for i, (item, indicators) in enumerate(items, start=1):
            i_code = f"{d}.{i}"
            i_row = len(rows)
            rows.append(["测评内容", i_code, f"{d}", item, "", 0])
            for n, (key, indicator, method, standards) in enumerate(indicators, start=1):
                n_code = f"{i_code}.{n}"
                if key:
                    keys[key] = n_code
                subtotal = sum(points for _, _, points in standards)
                rows.append(["测评指标", n_code, i_code, indicator, method, subtotal])
                for s, (text, s_method, points) in enumerate(standards, start=1):
                    rows.append(["测评标准", f"{n_code}.{s}", n_code, text, s_method, points])
                rows[i_row][5] += subtotal
            rows[d_row][5] += rows[i_row][5]
    return [tuple(r) for r in rows], keys


def sample_framework_workbook() -> bytes:
    rows, _ = framework_rows()
    return write_workbook(
        [
            Sheet(ENTRY_SHEET, ENTRY_HEADERS, rows),
            Sheet(NEGATIVE_SHEET, NEGATIVE_HEADERS, NEGATIVES),
        ]
    )


def seed_framework(*, stdout) -> Framework:
    """The sample model-city framework (2024—2026), loaded through the framework import
    as the system; on a database that has it, nothing changes."""
    existing = Framework.objects.filter(
        kind=FrameworkKind.MODEL_CITY, cycle_start=CYCLE_START
    ).first()
    if existing is not None:
        return existing
    upload = io.BytesIO(sample_framework_workbook())
    upload.name = "典范城市测评体系演示样例.xlsx"
    with transaction.atomic():
        report = framework_import(
            upload=upload,
            actor=None,
            kind=FrameworkKind.MODEL_CITY,
            name=FRAMEWORK_NAME,
            cycle_start=CYCLE_START,
            note=FRAMEWORK_NOTE,
        )
        if not report.applied or report.bad:
            raise RuntimeError("演示测评体系未能导入:\n" + report.as_text())
        framework = Framework.objects.get(kind=FrameworkKind.MODEL_CITY, cycle_start=CYCLE_START)
    levels = dict(
        FrameworkEntry.objects.filter(framework=framework)
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    stdout.write(
        f"测评体系:{framework},测评项目 {levels.get(EntryLevel.DIMENSION, 0)} 个、"
        f"测评指标 {levels.get(EntryLevel.INDICATOR, 0)} 个、测评标准 "
        f"{levels.get(EntryLevel.STANDARD, 0)} 条,负面清单 {len(NEGATIVES)} 条"
    )
    return framework
