class ServiceError(Exception):
    """A refused write with a message for the person who asked (in Chinese)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def error_body(detail, field: str | None = None) -> dict[str, str]:
    """A refusal in the one error shape every JSON answer uses (the API, the views' JSON
    endpoints, the error pages asked for JSON): ``detail``, and ``field`` when the
    refusal concerns one input field."""
    body = {"detail": str(detail)}
    if field:
        body["field"] = field
    return body


class ConflictError(ServiceError):
    status_code = 409


class PermissionDeniedError(ServiceError):
    status_code = 403


# Where a request value came from, as the API's validation reports it; dropped from the
# field name the client sees.
_SOURCES = {"query", "path", "body", "form", "file", "header", "cookie"}


def _message(error: dict, subject: str) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return f"{subject} 为必填项。"
    if kind == "value_error" and ctx.get("error"):
        return f"{subject} {ctx['error']}"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON。"
    if kind.startswith("int_"):
        return f"{subject} 应为整数。"
    if kind.startswith("float_") or kind == "finite_number":
        return f"{subject} 应为有限的数字。"
    if kind.startswith("bool_"):
        return f"{subject} 应为 true 或 false。"
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return f"{subject} 不是有效的日期或时间。"
    if kind == "greater_than_equal":
        return f"{subject} 不能小于 {ctx.get('ge')}。"
    if kind == "greater_than":
        return f"{subject} 应大于 {ctx.get('gt')}。"
    if kind == "less_than_equal":
        return f"{subject} 不能大于 {ctx.get('le')}。"
    if kind == "less_than":
        return f"{subject} 应小于 {ctx.get('lt')}。"
    if kind in ("literal_error", "enum"):
        return f"{subject} 的取值不正确,可选:{ctx.get('expected', '')}。"
    if kind == "string_too_long":
        return f"{subject} 过长(最多 {ctx.get('max_length')} 个字符)。"
    if kind == "too_long":
        return f"{subject} 的项数过多(最多 {ctx.get('max_length')} 项)。"
    return f"{subject} 格式不正确。"


def describe_invalid(errors: list[dict]) -> tuple[str, str | None]:
    """The first of a request's validation errors as the API's one error shape: a
    Chinese ``detail`` and the ``field`` it concerns (dotted, as the client named it)."""
    if not errors:
        return "请求参数有误,请检查后重试。", None
    error = errors[0]
    loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
    source = loc.pop(0) if loc and loc[0] in _SOURCES else ""
    if source == "body":
        # The body is one parameter of the handler (``payload``): its fields are the names.
        loc = loc[1:]
    field = ".".join(loc) or None
    subject = field or ("请求体" if source == "body" else "请求")
    return f"请求参数有误:{_message(error, subject)}", field
