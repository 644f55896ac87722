"""Every route of the site and every operation of the API, classified: what it names, who
may use it at all, and what an outsider must never read from it.

The scope matrix (test_scope_matrix.py) walks these against the world of world.py. A
route or operation missing here fails the matrix: whoever adds one decides here how it is
scoped, and the matrix then holds them to it.

Kinds:
    PUBLIC  needs no account (the portal, Open311, login, health); outsiders' data must
            still not show.
    PAGE    needs an account and names no object; an outsider's data must not show.
    SCOPED  names an object of a territory or unit: outside the role's scope it is 404.
    OWNED   names an object of one person: for anyone else it is 404.
    SHARED  names something city-wide (a round, a framework, a scheme, a category);
            whatever it shows inside must keep to the reader's scope.
    OFFICE  the city office's work (city admins and operators): others get 403 or 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from chuangwen.org.choices import Role

PUBLIC, PAGE, SCOPED, OWNED, SHARED, OFFICE = (
    "public",
    "page",
    "scoped",
    "owned",
    "shared",
    "office",
)
KINDS = (PUBLIC, PAGE, SCOPED, OWNED, SHARED, OFFICE)

OFFICE_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_OPERATOR})
CITYWIDE_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_OPERATOR, Role.LEADER})
# Roles with the EXPORT right somewhere (the API's result lists are exports).
EXPORTERS = frozenset(
    {
        Role.CITY_ADMIN,
        Role.CITY_OPERATOR,
        Role.LEADER,
        Role.DISTRICT_OPERATOR,
        Role.STREET_OPERATOR,
        Role.COMMUNITY_OPERATOR,
        Role.UNIT_HANDLER,
    }
)
TERRITORY_OPERATORS = frozenset(
    {Role.DISTRICT_OPERATOR, Role.STREET_OPERATOR, Role.COMMUNITY_OPERATOR}
)


def everyone(role: str) -> bool:
    return True


def only(roles: frozenset[str]) -> Callable[[str], bool]:
    return lambda role: role in roles


@dataclass(frozen=True)
class Route:
    kind: str
    # Methods tried; a route answering others with 405 is fine.
    methods: tuple[str, ...] = ("GET",)
    # URL kwargs (or API path parameters) naming the outsider's object.
    kwargs: Callable[[object], dict] = field(default=lambda world: {})
    query: Callable[[object], dict] = field(default=lambda world: {})
    # Whether a role may use the route at all; where not, 403 or 404.
    allowed: Callable[[str], bool] = everyone
    # Statuses besides the expected one that the route may answer for a reason that is
    # not scope (a form refused as empty, a redirect after an action).
    also: tuple[int, ...] = ()
    # The JSON body of an API write: a valid one, so that what answers is the scope and
    # not the body's validation.
    body: dict | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(self.kind)


def _id(key: str) -> Callable[[object], dict]:
    return lambda world: {"pk": world.ids[key]}


def _param(name: str, key: str) -> Callable[[object], dict]:
    return lambda world: {name: world.ids[key]}


IMPORTERS = only(OFFICE_ROLES | {Role.DISTRICT_OPERATOR})
NEARBY = lambda world: {"category": "B0102", "lat": "32.02", "lng": "110.25"}  # noqa: E731
OFFICE_POST = Route(OFFICE, ("POST",), allowed=only(OFFICE_ROLES))
MINOR = lambda world: {"code": "B0102"}  # noqa: E731
MINOR_FIELD = lambda world: {"code": "B0102", "field_code": "depth"}  # noqa: E731

# -- the site ------------------------------------------------------------------------------
URLS: dict[str, Route] = {
    "core:home": Route(PAGE),
    "core:healthz": Route(PUBLIC),
    # the outbox's dead letters: the city admins' to see and send again
    "core:dead_letters": Route(OFFICE, allowed=only({Role.CITY_ADMIN})),
    "core:dead_letter_retry": Route(
        OFFICE,
        ("POST",),
        kwargs=lambda world: {"message_id": 987654},
        allowed=only({Role.CITY_ADMIN}),
    ),
    "accounts:login": Route(PUBLIC),
    "accounts:logout": Route(PUBLIC, ("POST",)),
    "accounts:password_change": Route(PAGE),
    "set_language": Route(PUBLIC, ("POST",)),
    # territory and units
    "territory:index": Route(PAGE),
    "territory:node": Route(SCOPED, kwargs=_param("code", "node")),
    "territory:children_geojson": Route(SCOPED, kwargs=_param("code", "node")),
    "territory:export_geojson": Route(SCOPED, kwargs=_param("code", "node")),
    "org:unit_list": Route(PAGE),
    "org:unit_detail": Route(SCOPED, kwargs=_id("unit")),
    # the catalogue (city-wide; configured by the office)
    "catalog:index": Route(SHARED),
    "catalog:export": Route(SHARED),
    "catalog:template": Route(SHARED),
    "catalog:import": Route(OFFICE, ("GET", "POST"), allowed=only({Role.CITY_ADMIN})),
    "catalog:import_errors": Route(OFFICE, allowed=only({Role.CITY_ADMIN})),
    # a 小类's extra fields (its Open311 attributes): edited by the city admins only
    "catalog:fields": Route(OFFICE, kwargs=MINOR, allowed=only({Role.CITY_ADMIN})),
    "catalog:field_add": Route(
        OFFICE, ("GET", "POST"), kwargs=MINOR, allowed=only({Role.CITY_ADMIN})
    ),
    "catalog:field_edit": Route(
        OFFICE, ("GET", "POST"), kwargs=MINOR_FIELD, allowed=only({Role.CITY_ADMIN})
    ),
    "catalog:field_move": Route(
        OFFICE, ("POST",), kwargs=MINOR_FIELD, allowed=only({Role.CITY_ADMIN})
    ),
    "catalog:field_delete": Route(
        OFFICE, ("POST",), kwargs=MINOR_FIELD, allowed=only({Role.CITY_ADMIN})
    ),
    # cases
    "cases:list": Route(PAGE),
    "cases:inbox": Route(PAGE),
    "cases:map": Route(PAGE),
    "cases:map_json": Route(PAGE),
    "cases:report": Route(PAGE),
    "cases:report_nearby": Route(PAGE, query=NEARBY),
    "cases:supervisions": Route(PAGE),
    "cases:satisfaction": Route(PAGE),
    "cases:saved_view_save": Route(PAGE, ("POST",), also=(302, 400)),
    "cases:saved_view_delete": Route(OWNED, ("POST",), kwargs=_id("saved_view")),
    "cases:reopen_decide": Route(SCOPED, ("POST",), kwargs=_id("reopen_request")),
    "cases:supervision_answer": Route(SCOPED, ("POST",), kwargs=_id("supervision")),
    "cases:photo": Route(SCOPED, kwargs=_id("photo")),
    "cases:detail": Route(SCOPED, kwargs=_id("case")),
    "cases:act": Route(SCOPED, ("POST",), kwargs=_id("case")),
    "cases:supervise": Route(SCOPED, ("POST",), kwargs=_id("case")),
    "cases:accountability": Route(SCOPED, ("POST",), kwargs=_id("case")),
    "cases:publicity": Route(SCOPED, ("POST",), kwargs=_id("case")),
    # notifications
    "notifications:list": Route(PAGE),
    "notifications:read_all": Route(PAGE, ("POST",), also=(302,)),
    "notifications:read": Route(OWNED, ("POST",), kwargs=_id("notification")),
    "notifications:open": Route(OWNED, kwargs=_id("notification")),
    # work-order imports: the office, and district operators within their district
    "imports:list": Route(PAGE, allowed=IMPORTERS),
    "imports:new": Route(PAGE, allowed=IMPORTERS),
    "imports:mappings": Route(PAGE, allowed=IMPORTERS),
    # Saved column mappings are shared by every importer (they name columns, nobody's
    # data); only the office and a mapping's author may change one: others get 403.
    "imports:mapping_default": Route(
        SCOPED, ("POST",), kwargs=_id("mapping"), allowed=IMPORTERS, also=(403,)
    ),
    "imports:mapping_delete": Route(
        SCOPED, ("POST",), kwargs=_id("mapping"), allowed=IMPORTERS, also=(403,)
    ),
    # A district's import jobs are the district's (and the office's).
    "imports:detail": Route(SCOPED, kwargs=_id("import_job"), allowed=IMPORTERS),
    "imports:status": Route(SCOPED, kwargs=_id("import_job"), allowed=IMPORTERS),
    "imports:check": Route(SCOPED, ("POST",), kwargs=_id("import_job"), allowed=IMPORTERS),
    "imports:commit": Route(SCOPED, ("POST",), kwargs=_id("import_job"), allowed=IMPORTERS),
    "imports:errors": Route(SCOPED, kwargs=_id("import_job"), allowed=IMPORTERS),
    # evaluation: rounds are city-wide, their inspections and points are not
    "evaluation:round_list": Route(PAGE),
    "evaluation:round_new": Route(OFFICE, ("GET", "POST"), allowed=only(OFFICE_ROLES)),
    "evaluation:round_detail": Route(SHARED, kwargs=_id("round")),
    "evaluation:round_start": Route(
        OFFICE, ("POST",), kwargs=_id("round"), allowed=only(OFFICE_ROLES)
    ),
    "evaluation:round_close": Route(
        OFFICE, ("POST",), kwargs=_id("round"), allowed=only(OFFICE_ROLES)
    ),
    "evaluation:round_discard": Route(
        OFFICE, ("POST",), kwargs=_id("round"), allowed=only(OFFICE_ROLES)
    ),
    "evaluation:round_penalty": Route(
        OFFICE, ("POST",), kwargs=_id("round"), allowed=only(OFFICE_ROLES)
    ),
    "evaluation:round_results": Route(SHARED, kwargs=_id("round")),
    "evaluation:round_problems": Route(SHARED, kwargs=_id("round")),
    "evaluation:inspection_detail": Route(SCOPED, kwargs=_id("inspection")),
    "evaluation:inspection_review": Route(SCOPED, ("POST",), kwargs=_id("inspection")),
    "evaluation:inspection_reassign": Route(SCOPED, ("POST",), kwargs=_id("inspection")),
    "evaluation:framework_list": Route(SHARED),
    "evaluation:framework_import": Route(OFFICE, ("GET", "POST"), allowed=only({Role.CITY_ADMIN})),
    "evaluation:framework_import_errors": Route(OFFICE, allowed=only({Role.CITY_ADMIN})),
    "evaluation:framework_template": Route(SHARED),
    "evaluation:framework_detail": Route(SHARED, kwargs=_id("framework")),
    "evaluation:framework_export": Route(SHARED, kwargs=_id("framework")),
    "evaluation:framework_set_current": Route(
        OFFICE, ("POST",), kwargs=_id("framework"), allowed=only({Role.CITY_ADMIN})
    ),
    "evaluation:point_list": Route(PAGE),
    "evaluation:point_map_json": Route(PAGE),
    "evaluation:point_export": Route(PAGE, allowed=only(EXPORTERS)),
    "evaluation:point_template": Route(SHARED),
    "evaluation:point_import": Route(OFFICE, ("GET", "POST"), allowed=only({Role.CITY_ADMIN})),
    "evaluation:point_import_errors": Route(OFFICE, allowed=only({Role.CITY_ADMIN})),
    "evaluation:point_new": Route(OFFICE, ("GET", "POST"), allowed=only({Role.CITY_ADMIN})),
    "evaluation:point_detail": Route(SCOPED, kwargs=_id("point")),
    "evaluation:point_edit": Route(SCOPED, ("GET", "POST"), kwargs=_id("point")),
    "evaluation:pointtype_list": Route(SHARED),
    "evaluation:pointtype_new": Route(OFFICE, ("GET", "POST"), allowed=only({Role.CITY_ADMIN})),
    "evaluation:pointtype_edit": Route(
        OFFICE, ("GET", "POST"), kwargs=_id("point_type"), allowed=only({Role.CITY_ADMIN})
    ),
    "evaluation:pointtype_item_new": Route(
        OFFICE, ("GET", "POST"), kwargs=_id("point_type"), allowed=only({Role.CITY_ADMIN})
    ),
    "evaluation:pointtype_item_edit": Route(
        OFFICE, ("GET", "POST"), kwargs=_id("point_type_item"), allowed=only({Role.CITY_ADMIN})
    ),
    "evaluation:pointtype_item_move": Route(
        OFFICE, ("POST",), kwargs=_id("point_type_item"), allowed=only({Role.CITY_ADMIN})
    ),
    "evaluation:field_home": Route(PAGE),
    "evaluation:field_photo": Route(PAGE, ("POST",), also=(400,)),
    # An inspection's phone page: its inspector's, read by whoever sees the inspection.
    "evaluation:field_inspect": Route(SCOPED, kwargs=_id("inspection")),
    "evaluation:field_submit": Route(SCOPED, ("POST",), kwargs=_id("inspection")),
    "evaluation:field_reinspect": Route(OWNED, kwargs=lambda world: {"pk": 987654}),
    # assessment
    "assessment:rankings": Route(PAGE),
    "assessment:publish": Route(OFFICE, ("POST",), allowed=only(OFFICE_ROLES)),
    "assessment:withdraw": Route(
        OFFICE, ("POST",), kwargs=_id("publication"), allowed=only(OFFICE_ROLES)
    ),
    "assessment:result_detail": Route(SCOPED, kwargs=_id("result")),
    "assessment:appeal_file": Route(SCOPED, ("POST",), kwargs=_id("result")),
    "assessment:draft_detail": Route(
        SCOPED,
        kwargs=lambda world: {
            "subject_type": "district",
            "period_key": "2026-12",
            "subject_id": world.ids["district_node_id"],
        },
    ),
    "assessment:appeal_list": Route(PAGE),
    "assessment:appeal_decide": Route(
        OFFICE, ("POST",), kwargs=_id("appeal"), allowed=only(OFFICE_ROLES)
    ),
    "assessment:scheme_list": Route(SHARED),
    "assessment:scheme_detail": Route(SHARED, kwargs=_id("scheme")),
    "assessment:scheme_edit": Route(
        OFFICE,
        ("GET", "POST"),
        kwargs=lambda world: {"subject_type": "district"},
        allowed=only({Role.CITY_ADMIN}),
    ),
    "assessment:indicator_list": Route(SHARED),
    "assessment:figures": Route(OFFICE, ("GET", "POST"), allowed=only(OFFICE_ROLES)),
    "assessment:dashboard": Route(PAGE),
    "assessment:bigscreen": Route(PAGE),
    "assessment:dashboard_data": Route(PAGE),
    "assessment:report": Route(PAGE),
    # the public
    "open311:discovery": Route(PUBLIC, kwargs=lambda world: {"fmt": "json"}),
    "open311:services": Route(PUBLIC, kwargs=lambda world: {"fmt": "xml"}),
    "open311:service_definition": Route(
        PUBLIC, kwargs=lambda world: {"fmt": "json", "service_code": "B0102"}
    ),
    "open311:requests": Route(PUBLIC, kwargs=lambda world: {"fmt": "json"}),
    "open311:request": Route(
        PUBLIC, kwargs=lambda world: {"fmt": "json", "service_request_id": world.texts["case"]}
    ),
    "open311:request_singular": Route(
        PUBLIC, kwargs=lambda world: {"fmt": "xml", "service_request_id": world.texts["case"]}
    ),
    "open311:token": Route(PUBLIC, kwargs=lambda world: {"fmt": "json", "token": "NOSUCHTOKEN12"}),
    "open311:updates": Route(PUBLIC, kwargs=lambda world: {"fmt": "json"}),
    "participation:home": Route(PUBLIC),
    "participation:report": Route(PUBLIC),
    "participation:nearby": Route(PUBLIC, query=NEARBY),
    "participation:done": Route(PUBLIC),
    "participation:track": Route(PUBLIC),
    "participation:track_case": Route(PUBLIC, kwargs=lambda world: {"token": world.ids["token"]}),
    "participation:rate": Route(PUBLIC, ("POST",), kwargs=lambda world: {"token": "NOSUCHTOKEN12"}),
    "participation:reopen": Route(
        PUBLIC, ("POST",), kwargs=lambda world: {"token": "NOSUCHTOKEN12"}
    ),
    "participation:map": Route(PUBLIC),
    "participation:cases_json": Route(PUBLIC),
    "participation:cases": Route(PUBLIC),
    "participation:districts": Route(PUBLIC),
    # the API's own pages
    "api:openapi-json": Route(PAGE),
    "api:openapi-view": Route(PAGE),
    "api:api-root": Route(PUBLIC),  # django-ninja's root: 404 for everyone
}

# -- the API (django-ninja), by method and OpenAPI path ------------------------------------
CASE = _param("case_id", "case")
API: dict[str, Route] = {
    "GET /api/v1/territory/locate": Route(PAGE, query=lambda w: {"lat": 32.02, "lng": 110.25}),
    "GET /api/v1/territory/nodes": Route(PAGE, query=lambda w: {"limit": 500}),
    "GET /api/v1/territory/nodes/{code}": Route(SCOPED, kwargs=_param("code", "node")),
    "GET /api/v1/territory/nodes/{code}/geojson": Route(SCOPED, kwargs=_param("code", "node")),
    "GET /api/v1/org/units": Route(PAGE, query=lambda w: {"limit": 500}),
    "GET /api/v1/org/units/{unit_id}": Route(SCOPED, kwargs=_param("unit_id", "unit")),
    # A report may be filed anywhere in the city; it is the scope of reading that matters.
    "POST /api/v1/cases": Route(
        PAGE,
        ("POST",),
        body={"category": "E0502", "description": "占道经营", "lat": 32.02, "lng": 110.25},
        also=(201, 403),
    ),
    "GET /api/v1/cases": Route(PAGE, query=lambda w: {"limit": 500}),
    "GET /api/v1/cases/duplicates": Route(PAGE, query=NEARBY),
    "GET /api/v1/cases/satisfaction": Route(PAGE),
    "GET /api/v1/cases/{case_id}": Route(SCOPED, kwargs=CASE),
    "POST /api/v1/cases/{case_id}/transitions": Route(
        SCOPED, ("POST",), kwargs=CASE, body={"action": "cancel", "note": "越权"}
    ),
    "POST /api/v1/cases/{case_id}/publicity": Route(
        SCOPED, ("POST",), kwargs=CASE, body={"publicity": "public"}
    ),
    "GET /api/v1/cases/{case_id}/events": Route(SCOPED, kwargs=CASE),
    "POST /api/v1/cases/photos": Route(SCOPED, ("POST",), kwargs=lambda w: {}),
    "POST /api/v1/cases/{case_id}/supervisions": Route(
        SCOPED, ("POST",), kwargs=CASE, body={"kind": "leader", "note": "越权"}
    ),
    "GET /api/v1/cases/supervisions": Route(PAGE),
    "POST /api/v1/cases/supervisions/{supervision_id}/answer": Route(
        SCOPED,
        ("POST",),
        kwargs=_param("supervision_id", "supervision"),
        body={"answer": "越权"},
    ),
    "POST /api/v1/cases/{case_id}/accountability": Route(
        SCOPED, ("POST",), kwargs=CASE, body={"kind": "interview", "reason": "越权"}
    ),
    "GET /api/v1/cases/accountability": Route(PAGE),
    "GET /api/v1/categories": Route(SHARED),
    "GET /api/v1/evaluation/rounds": Route(SHARED),
    "GET /api/v1/evaluation/rounds/{round_id}/results": Route(
        SHARED,
        kwargs=_param("round_id", "round"),
        query=lambda w: {"level": "point"},
        allowed=only(EXPORTERS),
    ),
    "GET /api/v1/evaluation/rounds/{round_id}/problems": Route(
        SHARED, kwargs=_param("round_id", "round"), allowed=only(EXPORTERS)
    ),
    "GET /api/v1/assessment/results": Route(
        PAGE,
        query=lambda w: {"period": "2026-11", "subject_type": "district"},
        allowed=only(EXPORTERS),
    ),
    "GET /api/v1/assessment/indicators": Route(SHARED),
}
