"""One scoping mechanism for the UI, the API and exports.

A user's *scope* is derived from their memberships (user × unit × role): each grants a
territory subtree (the unit's territory) and the unit itself, and each role permits a set
of actions. ``Model.objects.scoped_for(user, action)`` turns that into a filter; every
model that can be listed declares what "in scope" means for it in
``scope_q(scope, action)``. Objects
outside the scope simply do not exist for the user, so detail views answer 404.

Core knows the mechanism only. Where grants, pairings, the role→actions table and the
territory root come from is the business of the app that keeps memberships (org): it
registers a ``ScopeProvider`` when it is ready.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_
from typing import Protocol

from django.db import models
from django.db.models import Q
from django.utils import timezone

VIEW = "view"
EXPORT = "export"
CHANGE = "change"
CONFIGURE = "configure"
ACTIONS = (VIEW, EXPORT, CHANGE, CONFIGURE)


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    territory_path: str | None


@dataclass(frozen=True)
class ActionScope:
    """What one action may touch: everything, or territory subtrees and units."""

    citywide: bool = False
    paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    # Whose scope it is: some objects belong to a person as well (a report to its reporter).
    user_id: int | None = None

    @property
    def empty(self) -> bool:
        return not self.citywide and not self.paths and not self.unit_ids

    def covers_path(self, path: str) -> bool:
        return self.citywide or any(path.startswith(p) for p in self.paths)


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    superuser: bool
    grants: tuple[Grant, ...]
    root_path: str | None
    paired_paths: tuple[str, ...] = ()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def for_action(self, action: str, *, ignoring: frozenset[str] = frozenset()) -> ActionScope:
        """What ``action`` may touch; grants of the roles in ``ignoring`` count for
        nothing (a model whose rows those roles only see as their own makes them so)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if self.superuser:
            return ActionScope(citywide=True)
        role_actions = scope_provider().role_actions()
        grants = [
            g
            for g in self.grants
            if action in role_actions.get(g.role, ()) and g.role not in ignoring
        ]
        if not grants:
            return ActionScope(user_id=self.user_id)
        paths = {g.territory_path for g in grants if g.territory_path}
        if self.root_path and self.root_path in paths:
            return ActionScope(citywide=True)
        if action in (VIEW, EXPORT):
            paths.update(self.paired_paths)
        # Drop paths that lie inside another granted path: the filter stays short.
        minimal = tuple(
            sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
        )
        return ActionScope(
            paths=minimal, unit_ids=frozenset(g.unit_id for g in grants), user_id=self.user_id
        )


class ScopeProvider(Protocol):
    """Where a scope's facts come from (registered by the app that keeps memberships)."""

    def grants_for_user(self, user) -> Iterable[Grant]:
        """The user's active memberships as grants."""

    def paired_paths(self, unit_ids: Iterable[int], *, on: date) -> Iterable[str]:
        """Territory paths the units are paired with (包联) on the day."""

    def role_actions(self) -> Mapping[str, tuple[str, ...]]:
        """Which actions each role may take inside its scope."""

    def root_path(self) -> str | None:
        """The path of the installation's territory root."""


_provider: ScopeProvider | None = None


def register_scope_provider(provider: ScopeProvider) -> None:
    """Install the one source of scopes (called from an app's ``ready()``)."""
    global _provider
    _provider = provider


def scope_provider() -> ScopeProvider:
    if _provider is None:
        raise RuntimeError(
            "No scope provider is registered: scoping needs the app that keeps memberships "
            "(chuangwen.org) in INSTALLED_APPS, which registers one when it is ready."
        )
    return _provider


ANONYMOUS_SCOPE = Scope(user_id=None, superuser=False, grants=(), root_path=None)


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_chuangwen_scope", None)
    if cached is not None:
        return cached
    provider = scope_provider()
    grants = tuple(provider.grants_for_user(user))
    scope = Scope(
        user_id=user.pk,
        superuser=user.is_superuser,
        grants=grants,
        root_path=provider.root_path(),
        paired_paths=tuple(
            provider.paired_paths({g.unit_id for g in grants}, on=timezone.localdate())
        ),
    )
    user._chuangwen_scope = scope
    return scope


def path_q(field_name: str, paths: tuple[str, ...]) -> Q:
    """Objects whose territory path lies in one of the subtrees."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field_name}__startswith": p}) for p in paths))


def require(user, action: str, *, path: str | None = None) -> None:
    """Refuse unless ``user`` may take ``action`` (inside the subtree at ``path``).

    ``user=None`` is the system itself: management commands and the worker.
    """
    from .errors import PermissionDeniedError

    if user is None:
        return
    scope = scope_for(user).for_action(action)
    if scope.citywide:
        return
    if path is not None and scope.covers_path(path):
        return
    raise PermissionDeniedError("您没有权限执行此操作。")


def may_export(user) -> bool:
    """Whether ``user`` may take data away in bulk (XLSX, PDF, the API's result lists)
    anywhere at all; what they export is then their EXPORT scope. The pages and the API
    ask the same question, so neither opens a door the other keeps shut."""
    return user is None or not scope_for(user).for_action(EXPORT).empty


def require_export(user) -> None:
    from .errors import PermissionDeniedError

    if not may_export(user):
        raise PermissionDeniedError("您没有导出数据的权限。")


class ScopedQuerySet(models.QuerySet):
    """``scoped_for``: the rows a user may touch. A model lists in ``scope_ignores_roles``
    the roles whose territory grants do not reach its rows (their holders see only what
    ``scope_q`` gives them as persons, such as their own reports)."""

    def scoped_for(self, user, action: str = VIEW):
        ignoring = getattr(self.model, "scope_ignores_roles", frozenset())
        scope = scope_for(user).for_action(action, ignoring=ignoring)
        if scope.citywide:
            return self
        # Without a grant nothing is in scope, except that holders of an ignored role
        # still see what is theirs as persons.
        if scope.empty and not (ignoring and scope.user_id):
            return self.none()
        return self.filter(self.model.scope_q(scope, action))
