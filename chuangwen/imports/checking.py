"""Checking every row of a list before anything is written (the dry run, and again right
before the commit: the city may have changed in between).

Each row is parsed by the job's mapping, its category resolved, its place found (by
coordinates, else by the names in it), and compared with what exists: the same ticket
taken in before ("已导入过"), and open cases of the category nearby (suspected
duplicates, also among earlier rows of the same file). Rows with problems collect
errors by spreadsheet row number and field; nothing is written here.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.utils.translation import gettext as _

from chuangwen.cases.duplicates import DuplicateIndex
from chuangwen.cases.models import Case
from chuangwen.cases.services import BulkRow, taken_tickets
from chuangwen.catalog.models import CaseStandard, Category
from chuangwen.core import clock
from chuangwen.core.validation import strip_controls
from chuangwen.territory.routing import Chain, get_index

from .choices import EXTRA, TARGET_KEYS
from .locating import AddressMatcher, Place
from .selectors import ImportScope

# How many of each finding the page lists; the counts are always complete, and every
# error row is in the downloadable report.
SAMPLE = 500
PROGRESS_EVERY = 2000
LIMITS = {
    "external_id": 60,
    "description": 2000,
    "address": 200,
    "reporter_name": 40,
    "reporter_phone": 20,
}
_PHONE = re.compile(r"^[0-9-]+$")
# Columns whose text may run over several lines; every other cell is one line.
MULTILINE = frozenset({"description"})
EXTRA_TIME = "原始时间"


@dataclass
class Finding:
    total: int = 0
    good: list[tuple[int, BulkRow]] = field(default_factory=list)
    located_by: dict[int, str] = field(default_factory=dict)  # row → "coordinates"/confidence
    errors: list[dict] = field(default_factory=list)
    error_rows: int = 0
    existing: int = 0
    existing_rows: list[dict] = field(default_factory=list)
    duplicates: int | None = None  # None: not looked for
    duplicate_rows: list[dict] = field(default_factory=list)
    unmatched: int = 0
    unmatched_rows: list[dict] = field(default_factory=list)

    def locating(self) -> dict:
        counts = Counter(self.located_by.values())
        return {
            "coordinates": counts.pop("coordinates", 0),
            "address": dict(sorted(counts.items(), reverse=True)),
            "unmatched": self.unmatched,
        }

    def summary(self) -> dict:
        return {
            "locating": self.locating(),
            "unmatched": self.unmatched_rows,
            "existing": self.existing_rows,
            "duplicates": self.duplicate_rows,
        }


class Catalogue:
    """The active standards, by standard code, 小类 code and 小类 name."""

    def __init__(self) -> None:
        standards = (
            CaseStandard.objects.select_related("category")
            .filter(is_active=True, category__is_active=True)
            .order_by("position", "code")
        )
        self.by_code: dict[str, CaseStandard] = {}
        self.by_minor: dict[str, CaseStandard] = {}
        self.by_name: dict[str, dict[str, CaseStandard]] = defaultdict(dict)
        for standard in standards:
            category = standard.category
            self.by_code[standard.code.upper()] = standard
            self.by_minor.setdefault(category.code.upper(), standard)
            self.by_name[category.name].setdefault(category.code, standard)
        majors = Category.objects.filter(parent__isnull=True).values_list("code", "name")
        self.majors = {code.upper() for code, _name in majors} | {name for _code, name in majors}
        self._cache: dict[str, CaseStandard | str] = {}

    def resolve(self, text: str) -> CaseStandard | str:
        """The standard, or the reason (in Chinese) why the text names none."""
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> CaseStandard | str:
        key = text.strip()
        upper = key.upper()
        found = self.by_code.get(upper) or self.by_minor.get(upper)
        if found is not None:
            return found
        named = self.by_name.get(key)
        if named and len(named) == 1:
            return next(iter(named.values()))
        if named:
            return _("类别名称“%(name)s”对应多个小类(%(codes)s),请填写类别编码。") % {
                "name": key,
                "codes": "、".join(sorted(named)),
            }
        if upper in self.majors or key in self.majors:
            return _("“%(name)s”是大类,请填写其下的小类。") % {"name": key}
        return _("未知的类别:%(name)s。") % {"name": key}


@dataclass(frozen=True)
class _Point:
    point: tuple[float, float] | None  # (lat, lng)
    chain: Chain | None
    problem: str


@dataclass
class _Row:
    number: int
    cells: Sequence[str]
    errors: list[dict] = field(default_factory=list)


class Checker:
    def __init__(
        self,
        *,
        headers: Sequence[str],
        mapping: dict,
        source: str,
        scope: ImportScope,
        default_category: str = "",
        progress: Callable[[str, int], None] | None = None,
        find_duplicates: bool = True,
    ) -> None:
        self.columns = {
            key: headers.index(mapping[key])
            for key in TARGET_KEYS
            if isinstance(mapping.get(key), str) and mapping[key] in headers
        }
        self.headers = {key: mapping[key] for key in self.columns}
        self.extra = [(h, headers.index(h)) for h in mapping.get(EXTRA) or () if h in headers]
        self.source = source
        self.scope = scope
        self.default_category = default_category
        self.progress = progress or (lambda phase, done: None)
        self.find_duplicates = find_duplicates
        self.catalogue = Catalogue()
        self.matcher = AddressMatcher()

    def value(self, row: _Row, key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(row.cells):
            return ""
        # The same cleaning as every other intake path: bulk rows skip case_report.
        return strip_controls(row.cells[index], multiline=key in MULTILINE).strip()

    def error(self, row: _Row, key: str, message: str) -> None:
        row.errors.append(
            {
                "row": row.number,
                "field": key,
                "column": self.headers.get(key, ""),
                "message": message,
            }
        )

    def text(self, row: _Row, key: str, *, required: bool = False) -> str:
        value = self.value(row, key)
        if required and not value:
            self.error(row, key, _("不能为空。"))
        elif len(value) > LIMITS.get(key, 10_000):
            self.error(row, key, _("不能超过 %(n)s 个字。") % {"n": LIMITS[key]})
        return value

    # -- the run ----------------------------------------------------------------------------
    def check(self, rows: Sequence[tuple[int, Sequence[str]]]) -> Finding:
        finding = Finding(total=len(rows))
        tickets = [self.value(_Row(n, cells), "external_id") for n, cells in rows]
        known = taken_tickets(self.source, sorted({t for t in tickets if t}))
        points = self._points(rows)
        first_row: dict[str, int] = {}
        for done, ((number, cells), ticket) in enumerate(zip(rows, tickets, strict=True), 1):
            if done % PROGRESS_EVERY == 0:
                self.progress("validating", done)
            if ticket in known:
                # Taken in before: counted, never checked or written again.
                finding.existing += 1
                if len(finding.existing_rows) < SAMPLE:
                    finding.existing_rows.append(
                        {"row": number, "external_id": ticket, "code": known[ticket]}
                    )
                continue
            row = _Row(number, cells)
            bulk = self._row(row, ticket, first_row, finding, points.get(done - 1))
            if row.errors:
                finding.errors.extend(row.errors)
                finding.error_rows += 1
            elif bulk is not None:
                finding.good.append((number, bulk))
        if self.find_duplicates:
            self.progress("duplicates", len(rows))
            self._duplicates(finding)
        return finding

    def _row(
        self, row: _Row, ticket: str, first_row: dict, finding: Finding, point: _Point | None
    ) -> BulkRow | None:
        ticket = self.text(row, "external_id", required=True)
        if ticket in first_row:
            self.error(
                row,
                "external_id",
                _("与第 %(n)s 行的工单编号重复。") % {"n": first_row[ticket]},
            )
        elif ticket:
            first_row[ticket] = row.number
        description = self.text(row, "description", required=True)
        address = self.text(row, "address")
        name = self.text(row, "reporter_name")
        phone = self.text(row, "reporter_phone").replace(" ", "")
        if phone and not _PHONE.match(phone):
            self.error(row, "reporter_phone", _("只能包含数字和“-”。"))
        standard = self._standard(row)
        place, how = self._place(row, address, finding, point)
        if place is not None and not self.scope.covers(place.chain.deepest.path):
            self.error(
                row,
                how,
                _("不在您的辖区:该位置属于%(name)s。")
                % {"name": (place.chain.district or place.chain.deepest).name},
            )
        if row.errors or standard is None or place is None:
            return None
        finding.located_by[row.number] = (
            "coordinates" if how != "address" else f"{place.confidence:.1f}"
        )
        extra = {}
        when = self.value(row, "reported_time")
        if when:
            extra[EXTRA_TIME] = when
        for header, index in self.extra:
            value = (
                strip_controls(row.cells[index], multiline=False).strip()
                if index < len(row.cells)
                else ""
            )
            if value:
                extra[header] = value
        return BulkRow(
            standard=standard,
            lat=place.lat,
            lng=place.lng,
            chain=place.chain,
            description=description,
            external_id=ticket,
            address=address,
            reporter_name=name,
            reporter_phone=phone,
            extra=extra,
        )

    def _standard(self, row: _Row) -> CaseStandard | None:
        text = self.value(row, "category") or self.default_category
        if not text:
            self.error(row, "category", _("未填写类别,且上传时没有选择默认类别。"))
            return None
        found = self.catalogue.resolve(text)
        if isinstance(found, str):
            self.error(row, "category", found)
            return None
        return found

    def _points(self, rows: Sequence[tuple[int, Sequence[str]]]) -> dict[int, _Point]:
        """The coordinates of every row that has some, all located at once."""
        points: dict[int, _Point] = {}
        for index, (number, cells) in enumerate(rows):
            row = _Row(number, cells)
            lat_text, lng_text = self.value(row, "lat"), self.value(row, "lng")
            if lat_text or lng_text:
                point, problem = _coordinates(lat_text, lng_text)
                points[index] = _Point(point, None, problem)
        valid = [index for index, p in points.items() if p.point is not None]
        chains = locate_many([points[i].point for i in valid])
        for index, chain in zip(valid, chains, strict=True):
            if chain is None or chain.deepest is None:
                points[index] = _Point(None, None, _("坐标不在本市范围内"))
            else:
                points[index] = _Point(points[index].point, chain, "")
        return points

    def _place(
        self, row: _Row, address: str, finding: Finding, point: _Point | None
    ) -> tuple[Place | None, str]:
        """The row's place and the field it came from ("lat" or "address")."""
        problem = point.problem if point is not None else ""
        if point is not None and point.chain is not None:
            chain = point.chain
            return Place(chain.deepest.id, "", 1.0, chain, *point.point), "lat"
        names = {k: self.value(row, k) for k in ("district", "street", "community")}
        place = self.matcher.match(address=address, **names)
        if place is not None:
            return place, "address"
        finding.unmatched += 1
        written = "".join(v for v in names.values()) + address
        if len(finding.unmatched_rows) < SAMPLE:
            finding.unmatched_rows.append({"row": row.number, "address": written})
        if problem:
            message = _("%(problem)s,根据地址也无法确定位置。") % {"problem": problem}
            self.error(row, "lat", message)
        elif written:
            self.error(row, "address", _("无法根据地址确定位置,请补充区县、街道或社区名称。"))
        else:
            self.error(row, "address", _("没有坐标也没有地址,无法确定位置。"))
        return None, "address"

    def _duplicates(self, finding: Finding) -> None:
        """Open cases of the same category within its radius and window, and earlier rows
        of the file. Only rows placed by coordinates take part: a point derived from a
        name is shared by every row naming the same community."""
        precise = [(n, r) for n, r in finding.good if finding.located_by[n] == "coordinates"]
        finding.duplicates = 0
        if not precise:
            return
        now = clock.now()
        categories = {r.standard.category_id: r.standard.category for _n, r in precise}
        index = DuplicateIndex(categories.values(), now=now).load()
        hits: list[tuple[int, BulkRow, int, float]] = []
        for number, row in precise:
            category_id = row.standard.category_id
            hit = index.nearest(category_id, row.lat, row.lng)
            if hit is not None:
                hits.append((number, row, hit[0], hit[1]))
            # Earlier rows of the file go in under their negated row number.
            index.add(category_id, -number, row.lat, row.lng, now)
        finding.duplicates = len(hits)
        sample = hits[:SAMPLE]
        codes = dict(
            Case.objects.filter(pk__in=[h[2] for h in sample if h[2] > 0]).values_list("pk", "code")
        )
        finding.duplicate_rows = [
            {
                "row": number,
                "external_id": row.external_id,
                "case": codes.get(other, ""),
                "of_row": -other if other < 0 else None,
                "distance_m": round(meters, 1),
            }
            for number, row, other, meters in sample
        ]


def locate_many(points: Sequence[tuple[float, float]]) -> list[Chain | None]:
    """``routing.locate`` for many (lat, lng) points: one tree query per level for all of
    them instead of one per point, with the same rule (the first level that contains the
    point; among its candidates the lowest rank)."""
    found: list[Chain | None] = [None] * len(points)
    if not points:
        return found
    coords = np.asarray(points, dtype=float)
    geoms = shapely.points(coords[:, 1], coords[:, 0])
    todo = np.arange(len(points))
    for level in get_index().levels:
        if not todo.size:
            break
        inputs, hits = level.tree.query(geoms[todo], predicate="intersects")
        if not inputs.size:
            continue
        order = np.lexsort((level.rank[hits], inputs))
        inputs, hits = inputs[order], hits[order]
        first = np.ones(inputs.size, dtype=bool)
        first[1:] = inputs[1:] != inputs[:-1]
        for at, hit in zip(inputs[first].tolist(), hits[first].tolist(), strict=True):
            found[todo[at]] = level.chains[hit]
        located = np.zeros(todo.size, dtype=bool)
        located[inputs] = True
        todo = todo[~located]
    return found


def _coordinates(lat_text: str, lng_text: str) -> tuple[tuple[float, float] | None, str]:
    if not lat_text or not lng_text:
        return None, _("经度和纬度须同时填写")
    try:
        lat, lng = float(lat_text), float(lng_text)
    except ValueError:
        return None, _("坐标格式不正确")
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return None, _("坐标格式不正确")
    if not -90 <= lat <= 90 and -90 <= lng <= 90:
        return None, _("经度和纬度可能填反了")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, _("坐标超出范围")
    return (lat, lng), ""
