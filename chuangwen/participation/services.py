"""Writes of the citizen portal: a report from the public, and the report form's groups."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwen.cases import selectors as case_selectors
from chuangwen.cases import services as case_services
from chuangwen.cases.choices import Channel, PhotoKind
from chuangwen.cases.models import Case
from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ServiceError
from chuangwen.core.locks import hold
from chuangwen.territory.routing import locate
from chuangwen.territory.selectors import city_name

from . import selectors

# The ``source`` of portal cases: with the form's one-time key as ``external_id`` it makes
# a second tap on "提交" (or a reload of the answer) find the first case.
SOURCE = "portal"
MAX_PHOTOS = 3
MOBILE = re.compile(r"^1[3-9]\d{9}$")
FORM_KEY = re.compile(r"^[0-9a-f]{32}$")
HOTLINE = "12345"


class TooManyReportsError(ServiceError):
    status_code = 429


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told after submitting: their tracking code. ``case`` is None
    for a submission that was answered as accepted but not kept (the honeypot)."""

    token: str
    case: Case | None = None
    created: bool = True

    @property
    def followed(self) -> Case | None:
        case = self.case
        return case.duplicate_of if case is not None and case.duplicate_of_id else None


def clean_mobile(value: str | None) -> str:
    """A mainland mobile number as 11 digits; spaces, dashes and +86 are forgiven."""
    number = re.sub(r"[\s\-()]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    elif len(number) == 13 and number.startswith("86"):
        number = number[2:]
    if not number:
        raise ServiceError(
            _("请填写手机号码:办理单位需要通过它向您核实情况、回访结果。"), field="reporter_phone"
        )
    if not MOBILE.match(number):
        raise ServiceError(
            _("手机号码应为以 1 开头的 11 位数字,如 13812345678。"), field="reporter_phone"
        )
    return number


def _moment(moment: datetime, now: datetime) -> str:
    local, today = timezone.localtime(moment), timezone.localtime(now)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return _("%(month)s月%(day)s日 %(time)s") % {
        "month": local.month,
        "day": local.day,
        "time": local.strftime("%H:%M"),
    }


def _check_limits(*, client_hash: str, phone: str, now: datetime) -> None:
    """Per-address (hour) and per-phone (day) limits; a limit of 0 switches one off."""
    checks = (
        (
            settings.PORTAL_REPORTS_PER_ADDRESS_HOUR,
            timedelta(hours=1),
            {"client_hash": client_hash},
            _(
                "同一网络 1 小时内最多可提交 %(n)s 条上报,请于 %(time)s 后再试。"
                "情况紧急请拨打 %(hotline)s 市民服务热线。"
            ),
        ),
        (
            settings.PORTAL_REPORTS_PER_PHONE_DAY,
            timedelta(days=1),
            {"phone": phone},
            _(
                "同一手机号 24 小时内最多可提交 %(n)s 条上报,请于 %(time)s 后再试。"
                "情况紧急请拨打 %(hotline)s 市民服务热线。"
            ),
        ),
    )
    for limit, window, who, message in checks:
        if limit <= 0 or not next(iter(who.values())):
            continue
        since = now - window
        if case_selectors.public_report_count(since=since, **who) < limit:
            continue
        frees_at = selectors.limit_frees_at(since=since, window=window, limit=limit, **who)
        # Rounded up to the next minute: "after 15:43" must not be refused at 15:43:10.
        frees_at = frees_at + timedelta(seconds=60 - frees_at.second)
        text = message % {"n": limit, "time": _moment(frees_at, now), "hotline": HOTLINE}
        raise TooManyReportsError(text, field="form")


def _check_place(lat, lng) -> None:
    """The point is checked before any photo is stored: a report from outside the city is
    the refusal a citizen meets most, and it should not cost an upload."""
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ServiceError(_("请在地图上点选问题所在的位置。"), field="lat") from None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ServiceError(_("请在地图上点选问题所在的位置。"), field="lat")
    chain = locate(lng, lat) if -90 <= lat <= 90 and -180 <= lng <= 180 else None
    if chain is None or chain.deepest is None:
        raise case_services.OutsideCityError(
            _("所选位置不在%(city)s范围内,请在地图上重新选择问题所在的位置。")
            % {"city": city_name()},
            field="lat",
        )


def portal_report(
    *,
    category: str,
    description: str,
    lat,
    lng,
    reporter_phone: str,
    client_hash: str,
    reporter_name: str = "",
    address: str = "",
    uploads: Sequence = (),
    follow_case_id: int | None = None,
    form_key: str = "",
    website: str = "",
) -> Receipt:
    """A citizen's report from the portal, with its photos (1 to 3; none needed when the
    citizen follows an existing case, which has its own).

    ``website`` is the form's honeypot: people never see it, so a filled one is a robot.
    It is answered like an accepted report, with a code that leads nowhere, and nothing is
    kept: a refusal would tell the robot what to change."""
    if (website or "").strip():
        return Receipt(token=case_services.new_public_token(), case=None, created=False)
    key = (form_key or "").strip().lower()
    external_id = f"form-{key}" if FORM_KEY.match(key) else ""
    existing = case_selectors.case_for_existing_ticket(source=SOURCE, external_id=external_id)
    if existing is not None:
        return Receipt(token=existing.public_token, case=existing, created=False)

    phone = clean_mobile(reporter_phone)
    _check_limits(client_hash=client_hash, phone=phone, now=clock.now())
    following = follow_case_id not in (None, "")
    if not (category or "").strip():
        raise ServiceError(_("请选择问题类别。"), field="category")
    case_services.resolve_standard(category)
    description = (description or "").strip()
    if not description:
        if not following:
            raise ServiceError(_("请简要描述看到的问题。"), field="description")
        description = _("市民确认与附近已有案件为同一问题")
    _check_place(lat, lng)
    uploads = [u for u in uploads if u]
    if len(uploads) > MAX_PHOTOS:
        raise ServiceError(_("最多上传 %(n)s 张照片。") % {"n": MAX_PHOTOS}, field="photos")
    if not uploads and not following:
        raise ServiceError(_("请至少拍摄或选择 1 张现场照片。"), field="photos")

    with transaction.atomic():
        # Counted again under the sender's locks: parallel posts from one address or one
        # phone wait here for each other, so none slips past the limit. (The check
        # before spares a refused sender the work of sending photos.)
        hold(f"portal-address:{client_hash}", f"portal-phone:{phone}")
        _check_limits(client_hash=client_hash, phone=phone, now=clock.now())
        photo_ids = []
        for number, upload in enumerate(uploads, start=1):
            try:
                photo = case_services.photo_upload(upload=upload, actor=None, kind=PhotoKind.BEFORE)
            except ServiceError as error:
                text = _("第 %(n)s 张照片:%(error)s") % {"n": number, "error": error.message}
                raise ServiceError(text, field="photos") from error
            photo_ids.append(photo.pk)
        intake = case_services.case_report(
            category=category,
            description=description,
            lat=lat,
            lng=lng,
            actor=None,
            address=address,
            channel=Channel.PORTAL,
            reporter_name=reporter_name,
            reporter_phone=phone,
            photo_ids=photo_ids,
            source=SOURCE if external_id else "",
            external_id=external_id,
            client_hash=client_hash,
            follow_case_id=follow_case_id if following else None,
        )
        case = intake.case
        if intake.created:
            audit(
                actor=None,
                action="participation.portal_report",
                obj=case,
                summary=f"市民随手拍上报 {case.code}"
                + (f",跟进案件 {case.duplicate_of.code}" if case.duplicate_of_id else ""),
                data={"photos": len(photo_ids), "followed": case.duplicate_of_id},
            )
    return Receipt(token=case.public_token, case=case, created=intake.created)
