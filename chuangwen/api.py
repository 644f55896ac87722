"""The REST API at /api/v1/ (django-ninja); OpenAPI docs at /api/v1/docs."""

from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer

from chuangwen.accounts.auth import API_AUTH, UNAUTHENTICATED, session_or_token
from chuangwen.assessment.api import router as assessment_router
from chuangwen.cases.api import router as cases_router
from chuangwen.catalog.api import router as categories_router
from chuangwen.core.errors import ServiceError, describe_invalid, error_body
from chuangwen.core.throttling import ADDRESS, CALLER, RateLimit
from chuangwen.evaluation.api import router as evaluation_router
from chuangwen.org.api import router as org_router
from chuangwen.territory.api import router as territory_router


class ChineseJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="创文 Chuangwen API",
    version="1",
    description="十堰市创建文明城市工作平台接口。认证:Authorization: Bearer <令牌>,或已登录的浏览器会话。",
    auth=API_AUTH,
    urls_namespace="api",
    docs_url="/docs",
    # No validator badge: Swagger UI would send the schema's address to an outside
    # validator and load its picture, which the Content-Security-Policy refuses.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=session_or_token,
    renderer=ChineseJSONRenderer(),
    throttle=[
        RateLimit("API_RATE_PER_ADDRESS", per=ADDRESS),
        RateLimit("API_RATE_PER_CALLER", per=CALLER),
    ],
)
api.add_router("/territory", territory_router)
api.add_router("/org", org_router)
api.add_router("/cases", cases_router)
api.add_router("/categories", categories_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/assessment", assessment_router)


def _refusal(request, detail: str, status: int, field: str | None = None):
    return api.create_response(request, error_body(detail, field), status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _refusal(request, "未找到该对象。", 404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _refusal(request, UNAUTHENTICATED, 401)


@api.exception_handler(Throttled)
def throttled(request, exc):
    # ninja adds Retry-After to this answer.
    return _refusal(request, "请求过于频繁,请稍后再试。", 429)


# The refusals django-ninja raises itself, with their English messages: a body that does
# not parse and a session write without its CSRF token.
LIBRARY_REFUSALS = {
    400: "请求体不是有效的 JSON。",
    403: "CSRF 校验失败:请刷新页面后重试,或改用 API 令牌。",
}


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    detail = exc.message
    if type(exc) is HttpError and exc.status_code in LIBRARY_REFUSALS and detail.isascii():
        detail = LIBRARY_REFUSALS[exc.status_code]
    return _refusal(request, detail, exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    detail, field = describe_invalid(exc.errors)
    return _refusal(request, detail, 422, field)


@api.exception_handler(ServiceError)
def refused(request, exc: ServiceError):
    return _refusal(request, exc.message, exc.status_code, exc.field)
