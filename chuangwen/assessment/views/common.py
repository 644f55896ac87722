"""What the assessment pages share: reading the period and subject-type choices of a
request, the refusal page, and the choices a picker offers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.shortcuts import render
from django.utils.translation import gettext as _

from chuangwen.core.bounds import parse_int
from chuangwen.core.errors import ServiceError

from .. import periods, selectors
from ..choices import RANKED_SUBJECTS, PeriodKind, SubjectType
from ..periods import Period
from ..permissions import manages_assessment

DEFAULT_KIND = PeriodKind.QUARTER
DEFAULT_SUBJECT = SubjectType.DISTRICT
# How many periods of a kind the picker offers, newest first.
PICKER_PERIODS = {
    PeriodKind.MONTH: 18,
    PeriodKind.BIMONTH: 12,
    PeriodKind.QUARTER: 8,
    PeriodKind.YEAR: 5,
}


@dataclass
class Choice:
    """The period and subject type a page shows, or why the request named neither."""

    kind: str
    period: Period | None
    subject_type: str
    error: ServiceError | None = None


def subject_types_for(user) -> list[str]:
    """The subject types the user may pick: field staff are ranked for the office only."""
    types = list(RANKED_SUBJECTS)
    if manages_assessment(user):
        types.append(SubjectType.STAFF)
    return [str(t) for t in types]


def choose(data, *, types: list[str]) -> Choice:
    """The period (``period`` key, or the last complete one of ``kind``) and the subject
    type (``type``) a request names. A bad value is kept as an error for the page to
    show, with the defaults in its place so the pickers still work."""
    kind = data.get("kind") or ""
    key = (data.get("period") or "").strip()
    subject_type = data.get("type") or DEFAULT_SUBJECT
    error = None
    period = None
    if key:
        try:
            period = periods.parse(key)
            kind = period.kind
        except ServiceError as exc:
            error = exc
    if kind not in PeriodKind.values:
        if kind and error is None:
            error = ServiceError(_("请选择考评周期类型。"), field="kind")
        kind = DEFAULT_KIND
    if period is None:
        period = periods.last_complete(selectors.today(), kind)
    if subject_type not in types:
        if error is None:
            error = ServiceError(_("考评对象类型不正确,请重新选择。"), field="type")
        subject_type = DEFAULT_SUBJECT
    return Choice(kind=kind, period=period, subject_type=subject_type, error=error)


def period_options(kind: str) -> list[Period]:
    return periods.recent(selectors.today(), kind, PICKER_PERIODS.get(kind, 8))


def picker_context(choice: Choice, types: list[str]) -> dict:
    options = period_options(choice.kind)
    if choice.period not in options:
        options = sorted([*options, choice.period], reverse=True)
    labels = dict(SubjectType.choices)
    return {
        "kind": choice.kind,
        "period": choice.period,
        "subject_type": choice.subject_type,
        "subject_label": labels[choice.subject_type],
        "kinds": PeriodKind.choices,
        "period_options": options,
        "types": [(t, labels[t]) for t in types],
        "current": periods.containing(selectors.today(), choice.kind),
    }


def refused(request, message: str, *, status: int = 403):
    return render(request, "assessment/refused.html", {"message": message}, status=status)


def decimal_or_none(value) -> Decimal | None:
    """A number typed into a form (full-width digits and a trailing % allowed), or None
    when the field is blank; a ValueError for anything else."""
    text = str(value or "").strip().replace("%", "").replace("%", "")
    if not text:
        return None
    text = text.translate(FULL_WIDTH)
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite():
        raise ValueError(text)
    return number


# Chinese input methods type full-width digits and points.
FULL_WIDTH = str.maketrans("0123456789.-", "0123456789.-")


def int_or_none(value) -> int | None:
    return parse_int(value)
