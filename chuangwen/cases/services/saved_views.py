"""A user's saved case-list filters."""

from __future__ import annotations

from chuangwen.core.errors import ServiceError
from chuangwen.core.validation import clean_text

from ..models import SavedView


def saved_view_save(*, user, name: str, query: str) -> SavedView:
    name = clean_text(name, field="name", label="名称", required=True, limit=40)
    query = (query or "").lstrip("?")[:1000]
    view, _ = SavedView.objects.update_or_create(user=user, name=name, defaults={"query": query})
    return view


def saved_view_delete(*, user, view_id: int) -> None:
    deleted, _ = SavedView.objects.filter(user=user, pk=view_id).delete()
    if not deleted:
        raise ServiceError("筛选不存在。")
