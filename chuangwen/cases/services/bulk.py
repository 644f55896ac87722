"""Taking in many tickets at once: the bulk counterpart of ``services.case_report``.

For lists (12345 work orders, 国测/省测 feedback) whose rows the caller has already
checked and placed. Every case is built as ``case_report`` builds a report from an
untrusted channel: status ``reported`` for an operator to accept, the REPORT event with
its outbox row, the accept stage opened, routed by the same rules (``Router`` answers what
``selectors.route_for`` answers). What differs is the cost: one query per batch finds
the tickets already taken in, and cases, events and outbox rows go in with one statement
per table and batch, each batch in its own transaction. A ticket taken in by someone else
meanwhile trips the unique (source, external_id) constraint; the batch is then looked
at again, so nothing is ever taken in twice.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from chuangwen.catalog.models import CaseStandard, RoutingRule
from chuangwen.catalog.routing import choose_unit
from chuangwen.core import clock
from chuangwen.core.errors import ConflictError, PermissionDeniedError, ServiceError
from chuangwen.core.scoping import scope_for
from chuangwen.core.types import Actor
from chuangwen.org.models import Unit
from chuangwen.org.selectors import fallback_units
from chuangwen.territory.models import TerritoryNode
from chuangwen.territory.routing import Chain

from ..choices import THIRD_PARTY_CHANNELS, Action, Channel, Status
from ..models import Case, CaseEvent
from ._common import _actor_unit
from .intake import CODE_ALPHABET, _new_code, new_public_token
from .workflow import _open_stage

BATCH_SIZE = 1000
QUERY_CHUNK = 900  # keys per IN (...): below the bound-parameter limit of any SQLite
ATTEMPTS = 5


@dataclass(frozen=True)
class BulkRow:
    """One checked ticket: its standard, its point and the territory chain placing it."""

    standard: CaseStandard
    lat: float
    lng: float
    chain: Chain
    description: str
    external_id: str
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class BulkResult:
    created: int = 0
    existing: int = 0  # tickets of the source taken in before (or twice in ``rows``)
    case_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class BatchDone:
    """Told to ``on_batch`` inside the batch's transaction, before it commits."""

    created: int
    existing: int
    rows_done: int


class Router:
    """``selectors.route_for`` from memory: the active rules, the grids' owners and the
    fallback units are read once, then each (category, territory node) is decided by the
    same ``choose_unit``. A list of 100,000 tickets touches thousands of such pairs;
    asking the database for each would dominate."""

    def __init__(self) -> None:
        self.rules: dict[int | None, list[RoutingRule]] = defaultdict(list)
        for rule in RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related(
            "unit", "territory"
        ):
            self.rules[rule.category_id].append(rule)
        owners = dict(
            TerritoryNode.objects.filter(owner_unit__isnull=False).values_list(
                "id", "owner_unit_id"
            )
        )
        units = Unit.objects.in_bulk(set(owners.values()))
        self.owners = {node_id: units[unit_id] for node_id, unit_id in owners.items()}
        self.fallback = fallback_units()
        self._routes: dict[tuple[int, int], tuple[Unit | None, RoutingRule | None]] = {}

    def get(self, category, node) -> tuple[Unit | None, RoutingRule | None]:
        key = (category.pk, node.id)
        if key not in self._routes:
            self._routes[key] = choose_unit(
                category=category,
                path=node.path,
                rules=[
                    rule
                    for of in {category.pk, category.parent_id, None}
                    for rule in self.rules.get(of, ())
                ],
                owner=self.owners.get(node.id),
                fallback=self.fallback,
            )
        return self._routes[key]


def case_report_many(
    *,
    rows: Sequence[BulkRow],
    actor: Actor,
    channel: str,
    source: str,
    batch_size: int = BATCH_SIZE,
    routes: Router | None = None,
    on_batch: Callable[[BatchDone], None] | None = None,
) -> BulkResult:
    """Take in ``rows`` as new cases; a ticket (``source`` + ``external_id``) taken in
    before is counted as existing and left alone. ``on_batch`` runs inside each batch's
    transaction: what it writes commits with the batch, and an error it raises undoes
    the batch and stops the run."""
    if actor is not None:
        scope = scope_for(actor)
        if not scope.superuser and not scope.grants:
            raise PermissionDeniedError(_("您的账号没有上报案件的权限。"))
    if channel not in THIRD_PARTY_CHANNELS or channel not in Channel.values:
        raise ServiceError(
            _("批量导入不支持该来源渠道:%(channel)s") % {"channel": channel}, field="channel"
        )
    source = (source or "").strip()
    if not source:
        raise ServiceError(_("批量导入须指明来源。"), field="source")
    result = BulkResult()
    routes = routes or Router()
    seen: set[str] = set()
    unique: list[BulkRow] = []
    for row in rows:
        if not row.external_id:
            raise ServiceError(_("每条工单都须有外部编号。"), field="external_id")
        if row.external_id in seen:
            result.existing += 1
        else:
            seen.add(row.external_id)
            unique.append(row)
    codes: set[str] = set()
    done = len(rows) - len(unique)
    for first in range(0, len(unique), batch_size):
        batch = unique[first : first + batch_size]
        done += len(batch)
        created, existing = _insert_batch(
            batch,
            actor=actor,
            channel=channel,
            source=source,
            routes=routes,
            codes=codes,
            on_batch=on_batch,
            rows_done=done,
        )
        result.created += len(created)
        result.existing += existing
        result.case_ids.extend(created)
    return result


def _insert_batch(
    batch: list[BulkRow],
    *,
    actor: Actor,
    channel: str,
    source: str,
    routes: Router,
    codes: set[str],
    on_batch,
    rows_done: int,
) -> tuple[list[int], int]:
    for _attempt in range(ATTEMPTS):
        drawn: list[str] = []
        try:
            with transaction.atomic():
                taken = taken_tickets(source, [r.external_id for r in batch])
                fresh = [row for row in batch if row.external_id not in taken]
                case_ids: list[int] = []
                if fresh:
                    now = clock.now()
                    drawn = _draw_codes(len(fresh), codes, now)
                    case_ids = _write(fresh, drawn, actor, channel, source, routes, now)
                if on_batch is not None:
                    on_batch(BatchDone(len(case_ids), len(taken), rows_done))
            return case_ids, len(taken)
        except IntegrityError:
            # Another intake took one of these tickets (or a code) meanwhile: look again.
            codes.difference_update(drawn)
    raise ConflictError(_("批量写入案件时多次冲突,请稍后重试。"))


def _chunks(values: Sequence, size: int = QUERY_CHUNK):
    for first in range(0, len(values), size):
        yield values[first : first + size]


def taken_tickets(source: str, tickets: Sequence[str]) -> dict[str, str]:
    """The tickets of ``source`` already taken in, with their case codes."""
    found: dict[str, str] = {}
    tickets = [t for t in tickets if t]
    for chunk in _chunks(tickets):
        if connection.vendor == "postgresql":
            # One index lookup per ticket: while the table's statistics still describe it
            # as it was before a large import, the planner would otherwise read every case
            # of the source for each batch.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT t.id, c.code FROM unnest(%s::text[]) AS t(id) CROSS JOIN LATERAL"
                    f" (SELECT code FROM {Case._meta.db_table} WHERE source = %s"
                    " AND external_id = t.id AND external_id <> '' LIMIT 1) AS c",
                    [list(chunk), source],
                )
                found.update(cursor.fetchall())
        else:
            # The unique index on (source, external_id) leaves out empty numbers; the
            # planner uses it only when the query says so too.
            found.update(
                Case.objects.filter(source=source, external_id__in=chunk)
                .exclude(external_id="")
                .order_by()
                .values_list("external_id", "code")
            )
    return found


# Random characters of the tracking codes and public tokens, as case_report draws them
# (uniform over the same 32 symbols: 256 random byte values fold evenly onto 32), but
# thousands at a time: one call to the system's random source per batch instead of one
# per character.
_SYMBOLS = (CODE_ALPHABET * 8).encode("ascii")


def _random_strings(count: int, length: int) -> list[str]:
    text = secrets.token_bytes(count * length).translate(_SYMBOLS).decode("ascii")
    return [text[i : i + length] for i in range(0, count * length, length)]


def _draw_codes(count: int, used: set[str], now: datetime) -> list[str]:
    """Tracking codes (the day as _new_code writes it, then five random symbols) unique
    among this run and the stored cases: with thousands of cases a day the five random
    symbols do repeat now and then."""
    day = _new_code(now)[:6]
    codes: list[str] = []
    while len(codes) < count:
        drawn: set[str] = set()
        while len(drawn) < count - len(codes):
            for tail in _random_strings(count - len(codes) - len(drawn), 5):
                code = day + tail
                if code not in used:
                    drawn.add(code)
        stored = {
            code
            for chunk in _chunks(sorted(drawn))
            for code in Case.objects.filter(code__in=chunk)
            .order_by()
            .values_list("code", flat=True)
        }
        fresh = drawn - stored
        used.update(fresh)
        codes.extend(sorted(fresh))
    return codes


# -- writing ---------------------------------------------------------------------------------
# The ORM's bulk_create passes each of a case's 55 values through the query compiler (and
# on SQLite splits a batch into statements of 18 rows): for a list of 100,000 tickets that
# alone takes longer than the whole import may. So each batch is written with one
# statement per table (executemany on SQLite, COPY on PostgreSQL). The columns every case
# of the batch shares come from one Case built as case_report builds it and converted by
# the ORM itself; the columns that differ go through their own field's conversion where it
# does anything (JSON, decimals, times).
class _Table:
    def __init__(self, model) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.slots = {
            f.attname: (
                i,
                partial(f.get_db_prep_save, connection=connection)
                if isinstance(f, (models.JSONField, models.DecimalField, models.DateTimeField))
                else None,
            )
            for i, f in enumerate(self.fields)
        }
        self.memo: dict[tuple, object] = {}
        quote = connection.ops.quote_name
        self.table = model._meta.db_table
        self.pk = model._meta.pk.column
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({columns})"
            f" VALUES ({', '.join(['%s'] * len(self.fields))})"
        )
        self.copy_sql = f"COPY {quote(self.table)} ({quote(self.pk)}, {columns}) FROM STDIN"

    def base(self, instance) -> list:
        self.memo.clear()
        return [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in self.fields]

    def row(self, base: list, values: dict) -> list:
        row = base.copy()
        for name, value in values.items():
            at, convert = self.slots[name]
            if convert is None:
                row[at] = value
            elif isinstance(value, (dict, list)):
                row[at] = convert(value)
            else:  # a time or a decimal: few distinct values, each converted once
                key = (name, value)
                if key not in self.memo:
                    self.memo[key] = convert(value)
                row[at] = self.memo[key]
        return row

    def write(self, rows: list[list]) -> list[int] | None:
        """Insert the rows; their keys in order where the backend hands them out ahead
        (PostgreSQL's sequence), else None and the caller looks them up."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.executemany(self.sql, rows)
                return None
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [self.table, self.pk, len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
            # COPY: one stream instead of a round trip per row. It goes to the driver's own
            # cursor, so its errors are turned into Django's here (a taken ticket is an
            # IntegrityError the caller retries on).
            with connection.wrap_database_errors, cursor.cursor.copy(self.copy_sql) as copy:
                for key, row in zip(keys, rows, strict=True):
                    copy.write_row([key, *row])
            return keys


def _tables() -> dict[type, _Table]:
    key = connection.alias
    if key not in _TABLES:
        _TABLES[key] = {model: _Table(model) for model in (Case, CaseEvent)}
    return _TABLES[key]


_TABLES: dict[str, dict[type, _Table]] = {}


def _shared(actor: Actor, channel: str, source: str, now: datetime) -> dict:
    """What every case of a batch has in common."""
    return {
        "status": Status.REPORTED,
        "channel": channel,
        # Third-party channels: the importing account is not the reporter.
        "reporter_id": None,
        "created_by_id": getattr(actor, "pk", None),
        "source": source,
        "reported_at": now,
    }


def _own(row: BulkRow, code: str, token: str, routes: Router) -> dict:
    """What differs from case to case, by column."""
    standard, chain = row.standard, row.chain
    deepest = chain.deepest
    unit, rule = routes.get(standard.category, deepest)
    return {
        "code": code,
        "category_id": standard.category_id,
        "standard_id": standard.pk,
        "description": row.description,
        "address": row.address,
        "lat": row.lat,
        "lng": row.lng,
        "grid_id": chain.grid.id if chain.grid else None,
        "community_id": chain.community.id if chain.community else None,
        "street_id": chain.street.id if chain.street else None,
        "district_id": chain.district.id if chain.district else None,
        "territory_path": deepest.path,
        "suggested_unit_id": unit.pk if unit else None,
        "routing_rule_id": rule.pk if rule else None,
        "reporter_name": row.reporter_name,
        "reporter_phone": row.reporter_phone,
        "external_id": row.external_id,
        "public_token": token,
        "extra": row.extra or {},
        "time_type": standard.time_type,
        "time_value": standard.time_value,
    }


def _ids(model, field: str, keys: list) -> dict:
    found = {}
    for chunk in _chunks(keys):
        found.update(
            model.objects.filter(**{f"{field}__in": chunk}).order_by().values_list(field, "pk")
        )
    return found


def _write(rows, codes, actor: Actor, channel, source, routes: Router, now: datetime) -> list[int]:
    tables = _tables()
    shared = _shared(actor, channel, source, now)
    # Public tokens as new_public_token makes them: 12 of the 32 symbols.
    tokens = _random_strings(len(rows), len(new_public_token()))
    own = [
        _own(row, code, token, routes) for row, code, token in zip(rows, codes, tokens, strict=True)
    ]
    # One case of the batch, built as case_report builds it: status reported, the accept
    # stage opened (its deadline is the same for every case reported at this moment).
    model_case = Case(**shared, **own[0])
    _open_stage(model_case, now)
    table = tables[Case]
    base = table.base(model_case)
    ordered = table.write([table.row(base, values) for values in own])
    if ordered is None:
        case_ids = _ids(Case, "code", codes)
        ordered = [case_ids[code] for code in codes]

    # Imported cases carry no unit yet, so the actor's unit is the same for every case.
    event = CaseEvent(
        case_id=ordered[0],
        action=Action.REPORT,
        from_status="",
        to_status=Status.REPORTED,
        actor_id=getattr(actor, "pk", None),
        actor_unit_id=_actor_unit(actor, model_case),
        note="",
        data={},
        created_at=now,
    )
    table = tables[CaseEvent]
    base = table.base(event)
    table.write(
        [
            table.row(
                base,
                {"case_id": pk, "data": {"channel": channel, "standard": row.standard.code}},
            )
            for pk, row in zip(ordered, rows, strict=True)
        ]
    )
    return ordered
