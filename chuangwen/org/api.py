from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chuangwen.core.bounds import Id
from chuangwen.core.schemas import errors

from . import selectors
from .choices import UnitKind

router = Router(tags=["单位 org"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    territory_code: str | None
    territory_name: str | None
    parent_id: int | None

    @staticmethod
    def resolve_kind_label(unit) -> str:
        return str(unit.get_kind_display())

    @staticmethod
    def resolve_territory_code(unit) -> str | None:
        return unit.territory.code if unit.territory_id else None

    @staticmethod
    def resolve_territory_name(unit) -> str | None:
        return unit.territory.name if unit.territory_id else None


class MemberOut(Schema):
    username: str
    full_name: str
    role: str
    title: str


class PairingOut(Schema):
    unit: str
    territory_code: str
    territory_name: str
    starts_on: str
    ends_on: str


class UnitDetailOut(UnitOut):
    contact_person: str
    contact_phone: str
    address: str
    # Read from attributes set by the handler (the model's own names are relations).
    members: list[MemberOut] = Field(..., alias="member_rows")
    pairings: list[PairingOut] = Field(..., alias="pairing_rows")


class UnitFilter(Schema):
    kind: UnitKind | None = None
    q: str = Field("", description="按名称搜索")
    territory: str | None = Field(None, description="属地代码:该属地及其下级的单位")


@router.get("/units", response={200: list[UnitOut], **errors(422)}, summary="单位名录(按权限范围)")
@paginate
def unit_list(request, filters: Query[UnitFilter]):
    return selectors.unit_list(
        user=request.user,
        kind=filters.kind,
        search=filters.q.strip(),
        territory_code=filters.territory,
    )


@router.get(
    "/units/{unit_id}", response={200: UnitDetailOut, **errors(404, 422)}, summary="单位详情"
)
def unit_detail(request, unit_id: Id):
    unit = selectors.unit_get(user=request.user, pk=unit_id)
    unit.member_rows = [
        {
            "username": m.user.username,
            "full_name": m.user.full_name,
            "role": m.role,
            "title": m.title,
        }
        for m in selectors.unit_members(user=request.user, unit=unit)
    ]
    unit.pairing_rows = [
        {
            "unit": p.unit.name,
            "territory_code": p.territory.code,
            "territory_name": p.territory.name,
            "starts_on": p.starts_on.isoformat(),
            "ends_on": p.ends_on.isoformat(),
        }
        for p in selectors.unit_pairings(user=request.user, unit=unit)
    ]
    return unit
