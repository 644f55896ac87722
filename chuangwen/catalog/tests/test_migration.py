"""Moving the catalogue into its own app moves no data: a database migrated before the
move keeps its categories, standards, rules and form groups, the rows that point at them,
and the content types (with their permissions) under the new app."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chuangwen.catalog.models import CaseStandard, Category, PublicGroup, RoutingRule

BEFORE = [
    ("cases", "0006_supervision_overdue_once_per_dispatch"),
    ("participation", "0001_initial"),
    ("evaluation", "0001_initial"),
    ("catalog", None),
]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def _state_before():
    # The models as they were before the move: catalog had no migration yet.
    loader = MigrationExecutor(connection).loader
    return loader.project_state([t for t in BEFORE if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_keeps_its_catalogue_through_the_move():
    _migrate(BEFORE)
    old = _state_before()
    old_category = old.get_model("cases", "Category")
    old_standard = old.get_model("cases", "CaseStandard")
    old_rule = old.get_model("cases", "RoutingRule")
    old_group = old.get_model("participation", "PublicGroup")
    old_unit = old.get_model("org", "Unit")
    old_ct = old.get_model("contenttypes", "ContentType")
    assert old_ct.objects.filter(app_label="cases", model="category").exists()

    major = old_category.objects.create(kind="E", code="E09", name="旧大类")
    minor = old_category.objects.create(
        kind="E",
        code="E0901",
        name="旧小类",
        parent=major,
        extra_fields=[{"code": "depth", "label": "深度", "type": "number"}],
    )
    old_standard.objects.create(
        category=minor,
        code="E0901-01",
        condition="旧条件",
        time_type="work_days",
        time_value=2,
        close_condition="已处理",
    )
    unit = old_unit.objects.create(name="旧单位", kind="department")
    old_rule.objects.create(category=minor, unit=unit)
    old_group.objects.create(name="旧分组").categories.add(minor)

    ContentType.objects.clear_cache()
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    minor = Category.objects.get(code="E0901")
    assert minor.parent.code == "E09"
    assert minor.extra_fields[0]["code"] == "depth"
    assert CaseStandard.objects.get(code="E0901-01").category == minor
    assert RoutingRule.objects.get(category=minor).unit.name == "旧单位"
    assert list(PublicGroup.objects.get(name="旧分组").categories.all()) == [minor]
    content_type = ContentType.objects.get_for_model(Category)
    assert content_type.app_label == "catalog"
    assert not ContentType.objects.filter(app_label="cases", model="category").exists()
    assert Permission.objects.filter(content_type=content_type, codename="change_category")
    assert ContentType.objects.get_for_model(PublicGroup).app_label == "catalog"
