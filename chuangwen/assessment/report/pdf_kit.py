"""The 讲评 PDF's building blocks: the CJK font, page geometry and colours, paragraph
styles, tables that split across pages, photo thumbnails and the page decoration."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, LongTable, Paragraph, TableStyle

from chuangwen.cases.models import CasePhoto

logger = logging.getLogger(__name__)


FALLBACK_FONT = "STSong-Light"


@cache
def report_font(path: str, subfont: int) -> str:
    """The registered name of the CJK font the PDF embeds. When the configured TrueType
    font cannot be read, reportlab's built-in Chinese CID font stands in: it is not
    embedded, so a reader without Chinese fonts may substitute glyphs, but no text is lost."""
    # One name per file and face: reportlab keeps one font per name for the process.
    digest = hashlib.sha1(f"{path}#{subfont}".encode()).hexdigest()[:10]
    name = f"ReportCJK-{digest}" if path else FALLBACK_FONT
    try:
        if not path:
            raise TTFError("no font configured")
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=subfont))
    except (TTFError, OSError, ValueError) as exc:
        logger.warning(
            "讲评报告字体 %s 无法使用(%s),改用内置的 %s。", path or "(未配置)", exc, FALLBACK_FONT
        )
        name = FALLBACK_FONT
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    # One face stands for every style: <b> in a paragraph keeps the same glyphs.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return name


def default_font() -> str:
    return report_font(str(settings.REPORT_FONT or ""), int(settings.REPORT_FONT_INDEX))


def thumbnail(name: str, box: tuple[int, int]) -> tuple[bytes, int, int] | None:
    if not name:
        return None
    storage = CasePhoto._meta.get_field("image").storage
    try:
        with storage.open(name, "rb") as handle, Image.open(handle) as picture:
            picture.draft("RGB", box)
            small = picture.convert("RGB")
            small.thumbnail(box)
            out = io.BytesIO()
            small.save(out, "JPEG", quality=82)
            return out.getvalue(), small.width, small.height
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        logger.warning("讲评报告:照片 %s 无法读取(%s)。", name, exc)
        return None


PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18 * mm, 22 * mm, 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
RED = colors.HexColor("#b91c1c")
INK = colors.HexColor("#1f2937")
MUTED = colors.HexColor("#6b7280")
GRID = colors.HexColor("#d1d5db")
HEAD_BG = colors.HexColor("#f3e4e2")
STRIPE = colors.HexColor("#f8fafc")
RED_LIST = colors.HexColor("#fde2e1")
BLACK_LIST = colors.HexColor("#e5e7eb")
GOOD, BAD = colors.HexColor("#15803d"), colors.HexColor("#b91c1c")
BAR_TOTAL, BAR_RATE = colors.HexColor("#c2410c"), colors.HexColor("#2563eb")
THUMB_BOX_PX = (300, 225)
THUMB_W, THUMB_H = 30 * mm, 22.5 * mm
BAR_SLOT = 22 * mm
SECTION_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    meta: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    num: ParagraphStyle
    centre: ParagraphStyle


def make_styles(font: str) -> Styles:
    def style(name, size, leading, **extra):
        # CJK wrapping: Chinese has no spaces, so lines may break between any characters.
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading,
            wordWrap="CJK",
            **{"textColor": INK, **extra},
        )

    return Styles(
        title=style("title", 22, 30, alignment=TA_CENTER, textColor=RED, spaceAfter=4),
        subtitle=style("subtitle", 14, 20, alignment=TA_CENTER, spaceAfter=4),
        meta=style("meta", 9, 13, alignment=TA_CENTER, textColor=MUTED),
        h1=style("h1", 14, 20, spaceBefore=12, spaceAfter=6, textColor=RED),
        h2=style("h2", 11.5, 16, spaceBefore=8, spaceAfter=3),
        body=style("body", 10, 16, firstLineIndent=20, spaceAfter=4),
        note=style("note", 8, 11, textColor=MUTED, spaceBefore=2, spaceAfter=4),
        head=style("head", 8.5, 11, alignment=TA_CENTER),
        cell=style("cell", 8.5, 11),
        num=style("num", 8.5, 11, alignment=TA_RIGHT),
        centre=style("centre", 8.5, 11, alignment=TA_CENTER),
    )


def para(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def grid_table(
    headers, rows, widths_mm, styles: Styles, *, numeric=(), centred=(), extra=()
) -> LongTable:
    """A table that splits across pages, its header repeated on each. Cells are wrapping
    paragraphs, so a long name or address grows the row instead of running over."""
    data = [[para(h, styles.head) for h in headers]]
    for row in rows:
        data.append(
            [
                cell
                if isinstance(cell, Flowable)
                else para(cell, cell_style(styles, i, numeric, centred))
                for i, cell in enumerate(row)
            ]
        )
    table = LongTable(
        data, colWidths=[w * mm for w in widths_mm], repeatRows=1, hAlign="LEFT", splitByRow=1
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
                ("GRID", (0, 0), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                *extra,
            ]
        )
    )
    return table


def cell_style(styles: Styles, index: int, numeric, centred) -> ParagraphStyle:
    if index in numeric:
        return styles.num
    return styles.centre if index in centred else styles.cell


class ReportCanvas(Canvas):
    """Draws the running header and "第 n 页 / 共 N 页" once the page count is known:
    pages are kept until the document is complete, then decorated and written."""

    def __init__(self, *args, font: str, running: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._report_font, self._running = font, running
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        page = self.getPageNumber()
        self.saveState()
        self.setFont(self._report_font, 8)
        self.setFillColor(MUTED)
        if page > 1:
            top = PAGE_HEIGHT - 12 * mm
            self.drawString(MARGIN_X, top, self._running)
            self.setStrokeColor(GRID)
            self.setLineWidth(0.5)
            self.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
        self.drawCentredString(
            PAGE_WIDTH / 2,
            10 * mm,
            _("第 %(page)s 页 / 共 %(total)s 页") % {"page": page, "total": total},
        )
        self.restoreState()
