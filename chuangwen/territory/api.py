from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import ConfigDict, JsonValue

from chuangwen.core.schemas import errors

from . import selectors
from .choices import Level
from .routing import locate as locate_point

router = Router(tags=["属地 territory"])


class NodeRef(Schema):
    code: str
    name: str


class LocateOut(Schema):
    lng: float
    lat: float
    grid: NodeRef | None
    community: NodeRef | None
    street: NodeRef | None
    district: NodeRef | None


class LocateQuery(Schema):
    lat: float = Field(..., ge=-90, le=90, description="纬度(WGS84)")
    lng: float = Field(..., ge=-180, le=180, description="经度(WGS84)")


class GeometryOut(Schema):
    """A GeoJSON geometry (WGS84): a Polygon or MultiPolygon as the node keeps it."""

    # Kept as stored: members GeoJSON allows besides these two (a bbox) pass through.
    model_config = ConfigDict(extra="allow")

    type: str = Field(..., description="Polygon 或 MultiPolygon")
    coordinates: list[JsonValue] = Field(..., description="[经度, 纬度] 坐标组成的环")


class NodeOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    centroid: list[float] | None = Field(None, description="[经度, 纬度],面内一点")
    area_km2: float | None
    land_use: str
    management_level: str

    @staticmethod
    def resolve_parent_code(node) -> str | None:
        codes = node.ancestor_codes
        return codes[-1] if codes else None

    @staticmethod
    def resolve_centroid(node):
        if node.centroid_lng is None:
            return None
        return [node.centroid_lng, node.centroid_lat]


class NodeDetailOut(NodeOut):
    ancestors: list[NodeRef]
    child_count: int
    owner_unit: str | None
    geometry: GeometryOut | None

    @staticmethod
    def resolve_owner_unit(node) -> str | None:
        return node.owner_unit.name if node.owner_unit_id else None


class FeaturePropertiesOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    # Grids only (absent for the other levels).
    land_use: str | None = None
    management_level: str | None = None
    owner_unit: str | None = None


class FeatureOut(Schema):
    type: Literal["Feature"]
    properties: FeaturePropertiesOut
    geometry: GeometryOut | None


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[FeatureOut]


class NodeDetailQuery(Schema):
    geometry: bool = Field(False, description="是否带上边界(GeoJSON)")


class GeoJsonQuery(Schema):
    level: Level | None = Field(None, description="只导出该层级的节点")


class NodeFilter(Schema):
    parent: str | None = Field(None, description="上级代码")
    level: Level | None = None
    q: str = Field("", description="按名称或代码前缀搜索")


@router.get(
    "/locate",
    response={200: LocateOut, **errors(422)},
    summary="坐标定位到网格、社区、街道、区县",
)
def locate(request, query: Query[LocateQuery]):
    chain = locate_point(query.lng, query.lat)
    if chain is None:
        raise HttpError(422, f"该位置({query.lat}, {query.lng})不在{selectors.city_name()}辖区内。")
    return {"lng": query.lng, "lat": query.lat, **chain.as_dict()}


@router.get(
    "/nodes", response={200: list[NodeOut], **errors(422)}, summary="属地节点列表(按权限范围)"
)
@paginate
def node_list(request, filters: Query[NodeFilter]):
    return selectors.node_list(
        user=request.user,
        parent_code=filters.parent,
        level=filters.level,
        search=filters.q.strip(),
    )


@router.get(
    "/nodes/{code}", response={200: NodeDetailOut, **errors(404, 422)}, summary="属地节点详情"
)
def node_detail(request, code: str, query: Query[NodeDetailQuery]):
    node = selectors.node_get(user=request.user, code=code)
    node.ancestors = selectors.ancestors(node, user=request.user)
    node.child_count = node.children.count()
    if not query.geometry:
        node.geometry = None
    return node


@router.get(
    "/nodes/{code}/geojson",
    response={200: FeatureCollectionOut, **errors(404, 422)},
    # Only grids carry land use, management level and owner unit: the others leave them out.
    exclude_unset=True,
    summary="导出 GeoJSON(子树,可按层级)",
)
def node_geojson(request, code: str, query: Query[GeoJsonQuery]):
    return selectors.export_geojson(user=request.user, root_code=code, level=query.level)
