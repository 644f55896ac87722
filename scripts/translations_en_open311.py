"""English for the Open311 GeoReport v2 endpoint and its keys (chuangwen/open311)."""

EN = {
    # keys: model, admin
    "密钥前缀": "Key prefix",
    "密钥摘要": "Key hash",
    "Open311 密钥": "Open311 key",
    "所属单位": "Unit",
    "创建人": "Created by",
    "对接的系统,如“12345 热线平台”": "The system that uses it, e.g. “12345 hotline platform”",
    "12345 热线平台的密钥选“12345 热线”,其余选“Open311 接口”。": (
        "Choose “12345 hotline” for the 12345 platform's key, “Open311” for any other."
    ),
    "停用所选密钥": "Revoke selected keys",
    "密钥“%(name)s”已创建:%(key)s 。它只显示这一次,请立即复制并交给对接方。": (
        "Key “%(name)s” created: %(key)s . It is shown only this once: copy it now and "
        "hand it to the client's operator."
    ),
    "已停用 %(n)s 个密钥。": "Revoked %(n)s key(s).",
    # key services
    "只有市级系统管理员可以管理 Open311 密钥。": (
        "Only the city's system administrators may manage Open311 keys."
    ),
    "请填写密钥名称(使用该密钥的系统)。": "Enter a key name (the system that uses the key).",
    "密钥名称不能超过 80 个字。": "The key name may not exceed 80 characters.",
    "所属单位不存在。": "The unit does not exist.",
    "单位“%(unit)s”已停用。": "The unit “%(unit)s” is inactive.",
    "密钥的来源渠道只能是:%(channels)s。": "A key's channel must be one of: %(channels)s.",
    "密钥不存在。": "The key does not exist.",
    "密钥 %(key)s 已停用。": "The key %(key)s is already revoked.",
    # attribute datatypes and their definitions in the catalogue
    "单行文本": "Single line of text",
    "数字": "Number",
    "日期时间": "Date and time",
    "多行文本": "Text",
    "单选": "Single choice",
    "多选": "Multiple choice",
    "附加字段第 %(n)s 项:%(message)s": "Extra field %(n)s: %(message)s",
    "附加字段须是一个列表。": "The extra fields must be a list.",
    "每一项须是一个对象。": "Each entry must be an object.",
    "编码“%(code)s”无效:须以字母开头,只含字母、数字和下划线,不超过 40 个字符。": (
        "The code “%(code)s” is invalid: it must start with a letter and hold only "
        "letters, digits and underscores, at most 40 characters."
    ),
    "编码“%(code)s”重复。": "The code “%(code)s” appears twice.",
    "请填写字段名称 label。": "Enter the field's label.",
    "未知的字段类型“%(type)s”:应为 %(types)s 之一。": (
        "Unknown field type “%(type)s”: it must be one of %(types)s."
    ),
    "排序 order 须是正整数。": "The order must be a positive whole number.",
    "单选、多选字段须列出选项 choices。": "Choice fields must list their choices.",
    "每个选项须有 key(或是一段文字)。": "Each choice needs a key (or is a piece of text).",
    "选项 key“%(key)s”重复。": "The choice key “%(key)s” appears twice.",
    "一行文字,不超过 200 字": "One line of text, at most 200 characters",
    "文字,不超过 2000 字": "Text, at most 2000 characters",
    "数字,如 12 或 3.5": "A number, e.g. 12 or 3.5",
    "W3C 日期时间,如 2026-11-25T10:00:00+08:00": (
        "A W3C date-time, e.g. 2026-11-25T10:00:00+08:00"
    ),
    "从所列选项中选一项,提交选项的 key": "Choose one of the values; submit its key",
    "从所列选项中选一项或多项,提交各选项的 key": (
        "Choose one or more of the values; submit their keys"
    ),
    # submitted attribute values
    "服务 %(service)s 没有附加字段“%(code)s”。": (
        "Service %(service)s has no attribute “%(code)s”."
    ),
    "附加字段“%(code)s”仅作说明,不接受填写。": (
        "The attribute “%(code)s” is for information only and takes no value."
    ),
    "缺少必填的附加字段 attribute[%(code)s](%(label)s)。": (
        "The required attribute attribute[%(code)s] (%(label)s) is missing."
    ),
    "%(name)s(%(label)s)只能填写一个值。": "%(name)s (%(label)s) takes a single value.",
    "%(name)s(%(label)s)的值“%(value)s”不在选项中,可选:%(keys)s。": (
        "%(name)s (%(label)s): “%(value)s” is not one of the values %(keys)s."
    ),
    "%(name)s(%(label)s)须为数字,收到“%(value)s”。": (
        "%(name)s (%(label)s) must be a number, got “%(value)s”."
    ),
    "%(name)s(%(label)s)不能超过 %(limit)s 个字。": (
        "%(name)s (%(label)s) may not exceed %(limit)s characters."
    ),
    "%(name)s 不是有效的 W3C 日期时间:“%(value)s”。格式应为 2026-11-25T10:00:00+08:00 或 2026-11-25。": (
        "%(name)s is not a valid W3C date-time: “%(value)s”. "
        "Use 2026-11-25T10:00:00+08:00 or 2026-11-25."
    ),
    # reports
    "该 api_key 已停用,请联系市创文办。": (
        "This api_key has been revoked; contact the city civilization office."
    ),
    "该密钥最近一小时已提交 %(count)s 条上报,达到每小时 %(limit)s 条的上限,请于 %(time)s 后再提交。": (
        "This key submitted %(count)s reports in the last hour, the limit of %(limit)s per "
        "hour; submit again after %(time)s."
    ),
    "缺少 service_code:请从服务列表中选择一个服务。": (
        "service_code is missing: choose a service from the service list."
    ),
    "未知的服务代码 service_code:%(code)s。可用的服务见 services 接口。": (
        "Unknown service_code: %(code)s. The services resource lists the available ones."
    ),
    "缺少位置:请提供 lat 和 long(WGS-84 坐标)。": (
        "The location is missing: give lat and long (WGS-84)."
    ),
    "lat 和 long 须同时提供(WGS-84 坐标)。": "Give both lat and long (WGS-84).",
    "本市按坐标确定属地和责任单位,仅有地址无法派遣:请提供 lat 和 long(WGS-84 坐标),地址可放在 address_string 中一并提交。": (
        "The city routes reports by their coordinates and cannot dispatch from an address "
        "alone: give lat and long (WGS-84), with the address in address_string if you have "
        "one."
    ),
    "email 格式不正确。": "email is not a valid address.",
    "media_url 须是以 http:// 或 https:// 开头的网址。": (
        "media_url must be a URL starting with http:// or https://."
    ),
    "%(name)s 不能超过 100 个字符。": "%(name)s may not exceed 100 characters.",
    "受理后派遣责任单位处置,处置时限 %(value)s %(unit)s,自派遣时起算。": (
        "Once accepted, the report is dispatched to the responsible unit, which has "
        "%(value)s %(unit)s from dispatch to deal with it."
    ),
    # discovery, services and queries
    "提交上报需要 API 密钥,由%(office)s发放:请说明使用单位、用途和对接的系统。": (
        "Submitting reports needs an API key, issued by %(office)s: state your "
        "organisation, purpose and the system you connect."
    ),
    "立案条件:%(conditions)s": "Registered when: %(conditions)s",
    "此接口不支持 %(method)s 请求,请使用 %(allowed)s。": (
        "This resource does not accept %(method)s; use %(allowed)s."
    ),
    "未知的 jurisdiction_id:%(value)s。本接口服务的辖区为 %(ours)s。": (
        "Unknown jurisdiction_id: %(value)s. This endpoint serves %(ours)s."
    ),
    "缺少 api_key:提交上报须提供市创文办发放的 API 密钥。": (
        "api_key is missing: submitting reports needs an API key issued by the city "
        "civilization office."
    ),
    "api_key 无效:请核对密钥是否完整。": "Invalid api_key: check that the key is complete.",
    "start_date 不能晚于 end_date。": "start_date may not be later than end_date.",
    "start_date 与 end_date 相隔不能超过 90 天,请分段查询。": (
        "start_date and end_date may be at most 90 days apart; query in parts."
    ),
    "%(name)s 一次最多 %(n)s 个。": "At most %(n)s values of %(name)s at once.",
    "未知的服务代码:%(code)s。": "Unknown service code: %(code)s.",
    "未知的服务代码 service_code:%(codes)s。": "Unknown service_code: %(codes)s.",
    "status 只能是 open 或 closed(多个用逗号分隔),收到“%(value)s”。": (
        "status must be open or closed (several separated by commas), got “%(value)s”."
    ),
    "未找到编号为 %(code)s 的服务请求。": "No service request %(code)s.",
    "未找到查询码 %(token)s 对应的服务请求。": "No service request has the token %(token)s.",
}
