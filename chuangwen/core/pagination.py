"""The API's one way to page a list: ``?limit=&offset=`` with both numbers bounded."""

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

from .bounds import MAX_ID


class Pagination(LimitOffsetPagination):
    """Django-ninja's limit/offset paging with an upper bound on the offset too: the
    library bounds only the limit (NINJA_PAGINATION_MAX_LIMIT), and an offset past 64
    bits would fail in the database instead of answering 422."""

    class Input(Schema):
        limit: int = Field(
            settings.PAGINATION_PER_PAGE,
            ge=1,
            le=settings.PAGINATION_MAX_LIMIT,
            description=f"每页条数(最多 {settings.PAGINATION_MAX_LIMIT})",
        )
        offset: int = Field(0, ge=0, le=MAX_ID, description="跳过的条数")
