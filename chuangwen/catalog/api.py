"""The case catalogue over HTTP, for report forms and client apps: the whole catalogue is
public to every signed-in user or token (it says nothing about places or people)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from chuangwen.core.schemas import errors

from . import selectors
from .choices import CategoryKind

router = Router(tags=["案件类别"])


class StandardOut(Schema):
    code: str
    condition: str
    time_type: str
    time_value: float
    close_condition: str
    unit_kind: str


class CategoryOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    standard: StandardOut | None = Field(None, description="默认立结案标准(小类的第一条)")
    standards: list[StandardOut] = Field(
        default_factory=list, description="全部有效的立结案标准;大类为空"
    )


class CategoryFilter(Schema):
    kind: CategoryKind | None = Field(None, description="B 部件、E 事件、W 文明城市")
    parent: str | None = Field(None, description="大类编码:只列其下的小类")
    q: str = Field("", description="按名称搜索")


def _standard(standard) -> StandardOut:
    return StandardOut(
        code=standard.code,
        condition=standard.condition,
        time_type=standard.time_type,
        time_value=float(standard.time_value),
        close_condition=standard.close_condition,
        unit_kind=standard.unit_kind,
    )


@router.get("", response={200: list[CategoryOut], **errors(422)}, summary="案件类别与立结案标准")
def category_list(request, filters: Query[CategoryFilter]) -> list[CategoryOut]:
    rows = []
    for category in selectors.category_list_for_api(
        kind=filters.kind, parent=filters.parent, q=filters.q
    ):
        # A 大类 is only a heading: cases are filed under a 小类's standard.
        standards = [_standard(s) for s in category.active_standards] if category.parent_id else []
        rows.append(
            CategoryOut(
                code=category.code,
                name=category.name,
                kind=category.kind,
                parent=category.parent.code if category.parent_id else None,
                standard=standards[0] if standards else None,
                standards=standards,
            )
        )
    return rows
