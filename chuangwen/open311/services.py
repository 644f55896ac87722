"""Every write of the Open311 app: keys, and the reports clients submit with them."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from chuangwen.cases.choices import Channel
from chuangwen.cases.services import Intake, case_report
from chuangwen.core import clock
from chuangwen.core.audit import audit
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.locks import hold
from chuangwen.core.scoping import CONFIGURE, scope_for
from chuangwen.core.types import Actor
from chuangwen.core.validation import strip_controls
from chuangwen.core.workcalendar import get_calendar
from chuangwen.org.models import Unit

from .choices import KEY_CHANNELS
from .definitions import attributes_of, clean_attribute_values
from .models import Open311Key
from .selectors import hash_key, posts_since, service_categories

KEY_PREFIX = "o311_"
_CJK = re.compile(r"[\u3400-\u9fff]")
# Separators people type in phone numbers, and the country code of the mainland.
_PHONE_NOISE = re.compile(r"[\s().]")
_COUNTRY = re.compile(r"^(\+86|0086)")


class RateLimitedError(ServiceError):
    status_code = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _require_key_manager(actor: Actor) -> None:
    # actor=None is the system itself (the management command).
    if actor is not None and not scope_for(actor).for_action(CONFIGURE).citywide:
        raise PermissionDeniedError(_("只有市级系统管理员可以管理 Open311 密钥。"))


# -- keys ----------------------------------------------------------------------------------
def open311_key_create(
    *, name: str, unit_id: int, channel: str = Channel.OPEN311, actor: Actor
) -> tuple[Open311Key, str]:
    """A new key for an outside system; returns the row and the key itself, which is
    shown only this once."""
    _require_key_manager(actor)
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("请填写密钥名称(使用该密钥的系统)。"), field="name")
    if len(name) > 80:
        raise ServiceError(_("密钥名称不能超过 80 个字。"), field="name")
    unit = Unit.objects.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
    if unit is None:
        raise ServiceError(_("所属单位不存在。"), field="unit")
    if not unit.is_active:
        raise ServiceError(_("单位“%(unit)s”已停用。") % {"unit": unit.name}, field="unit")
    if channel not in KEY_CHANNELS:
        raise ServiceError(
            _("密钥的来源渠道只能是:%(channels)s。")
            % {"channels": "、".join(str(Channel(c).label) for c in KEY_CHANNELS)},
            field="channel",
        )
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = Open311Key.objects.create(
            name=name,
            prefix=raw[:12],
            key_hash=hash_key(raw),
            unit=unit,
            channel=channel,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="open311.key_create",
            obj=key,
            summary=f"为{unit.name}创建 Open311 密钥 {key}",
            data={"name": name, "unit": unit.pk, "channel": channel},
        )
    return key, raw


def open311_key_revoke(*, key_id: int, actor: Actor) -> Open311Key:
    _require_key_manager(actor)
    with transaction.atomic():
        key = Open311Key.objects.select_for_update().filter(pk=key_id).first()
        if key is None:
            raise ServiceError(_("密钥不存在。"), field="key_id")
        if not key.is_active:
            raise ConflictError(_("密钥 %(key)s 已停用。") % {"key": key})
        key.is_active = False
        key.save(update_fields=["is_active"])
        audit(actor=actor, action="open311.key_revoke", obj=key, summary=f"停用 Open311 密钥 {key}")
    return key


# -- reports -------------------------------------------------------------------------------
def _check_rate(key: Open311Key) -> None:
    limit = settings.OPEN311_POSTS_PER_KEY_HOUR
    now = clock.now()
    count, first = posts_since(key=key, since=now - timedelta(hours=1))
    if count < limit:
        return
    # The hour counts its first instant, so the oldest report frees a place just after.
    free_at = (first or now) + timedelta(hours=1)
    raise RateLimitedError(
        _(
            "该密钥最近一小时已提交 %(count)s 条上报,达到每小时 %(limit)s 条的上限,"
            "请于 %(time)s 后再提交。"
        )
        % {
            "count": count,
            "limit": limit,
            "time": free_at.astimezone(get_calendar().tz).strftime("%H:%M:%S"),
        },
        retry_after=max(1, int((free_at - now).total_seconds()) + 1),
    )


def _location(lat: str, long: str, address_string: str, address_id: str) -> tuple[str, str]:
    lat, long = (lat or "").strip(), (long or "").strip()
    if lat and long:
        return lat, long
    if lat or long:
        raise ServiceError(
            _("lat 和 long 须同时提供(WGS-84 坐标)。"), field="lat" if long else "long"
        )
    if (address_string or "").strip() or (address_id or "").strip():
        raise ServiceError(
            _(
                "本市按坐标确定属地和责任单位,仅有地址无法派遣:"
                "请提供 lat 和 long(WGS-84 坐标),地址可放在 address_string 中一并提交。"
            ),
            field="lat",
        )
    raise ServiceError(_("缺少位置:请提供 lat 和 long(WGS-84 坐标)。"), field="lat")


def _reporter_name(first_name: str, last_name: str) -> str:
    first, last = (first_name or "").strip(), (last_name or "").strip()
    if _CJK.search(first + last):  # 姓 before 名, no space
        return last + first
    return " ".join(part for part in (first, last) if part)


def _client_details(*, email: str, device_id: str, account_id: str, media_url: str) -> dict:
    email, media_url = (email or "").strip(), (media_url or "").strip()
    if email and (len(email) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)):
        raise ServiceError(_("email 格式不正确。"), field="email")
    if media_url and (len(media_url) > 500 or not re.match(r"https?://\S+$", media_url)):
        raise ServiceError(
            _("media_url 须是以 http:// 或 https:// 开头的网址。"), field="media_url"
        )
    details = {"email": email, "media_url": media_url}
    for name, value in (("device_id", device_id), ("account_id", account_id)):
        value = (value or "").strip()
        if len(value) > 100:
            raise ServiceError(_("%(name)s 不能超过 100 个字符。") % {"name": name}, field=name)
        details[name] = value
    return {name: value for name, value in details.items() if value}


def open311_request_submit(
    *,
    key: Open311Key,
    service_code: str,
    lat: str = "",
    long: str = "",
    address_string: str = "",
    address_id: str = "",
    attributes: dict[str, list[str]] | None = None,
    description: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    email: str = "",
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
    client_hash: str = "",
) -> Intake:
    """A report from an outside system, taken in on the key's channel. Name and phone
    become the case's reporter (for the callback); the client's own identifiers and the
    submitted attribute values are kept in ``case.extra``."""
    if not key.is_active or not key.unit.is_active:
        raise PermissionDeniedError(_("该 api_key 已停用,请联系市创文办。"))
    code = (service_code or "").strip().upper()
    if not code:
        raise ServiceError(
            _("缺少 service_code:请从服务列表中选择一个服务。"), field="service_code"
        )
    category = service_categories().filter(code=code).first()
    if category is None:
        raise ServiceError(
            _("未知的服务代码 service_code:%(code)s。可用的服务见 services 接口。")
            % {"code": code[:20]},
            field="service_code",
        )
    lat, long = _location(lat, long, address_string, address_id)
    extra = clean_attribute_values(
        attributes_of(category.extra_fields), attributes or {}, service_code=code
    )
    details = _client_details(
        email=email, device_id=device_id, account_id=account_id, media_url=media_url
    )
    if details:
        # Attribute codes start with a letter, so this key never meets one.
        extra["_open311"] = details
    phone = _COUNTRY.sub("", _PHONE_NOISE.sub("", phone or ""))
    with transaction.atomic():
        # Counted under the key's lock, so parallel posts cannot pass the hourly limit.
        hold(f"open311-key:{key.pk}")
        _check_rate(key)
        intake = case_report(
            category=code,
            # The spec makes the description optional; the case needs one.
            description=strip_controls(description).strip() or category.name,
            lat=lat,
            lng=long,
            actor=None,
            address=address_string,
            channel=key.channel,
            reporter_name=_reporter_name(first_name, last_name),
            reporter_phone=phone,
            source=key.source,
            client_hash=client_hash,
            extra=extra,
        )
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=clock.now())
        audit(
            actor=None,
            action="open311.request_submit",
            obj=intake.case,
            summary=f"Open311 密钥 {key} 提交上报 {intake.case.code}",
            data={"key": key.pk, "service_code": code},
        )
    return intake
