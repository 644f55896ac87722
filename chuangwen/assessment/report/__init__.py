"""The 讲评 report: what the office puts on the table at its monthly review meeting
(and quarterly, yearly), as a PDF to print and hand out and as a workbook to work with.

``build_report`` gathers the figures for one period as the reader may see them:
headline case figures against the previous period, the rankings of districts, streets
and units (published results, or a draft marked as such), typical problems with their
photos, the cases that were not finished on time and the accountability records.
``render_pdf`` and ``render_xlsx`` only lay that out.

The report is read like every other page: a district sees its own district's figures,
problems and lists, and in the rankings the peers the ranking selectors show it."""

from .build import (
    PDF_LIST_LIMIT,
    Ranking,
    Report,
    build_report,
    filename,
    may_read_report,
)
from .pdf import render_pdf
from .pdf_kit import report_font
from .xlsx import render_xlsx

__all__ = [
    "PDF_LIST_LIMIT",
    "Ranking",
    "Report",
    "build_report",
    "filename",
    "may_read_report",
    "render_pdf",
    "render_xlsx",
    "report_font",
]
