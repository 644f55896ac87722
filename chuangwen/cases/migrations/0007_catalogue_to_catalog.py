"""Category, CaseStandard and RoutingRule moved to the ``catalog`` app (see its 0001):
their tables stay, the foreign keys of cases and ratings keep their columns, and only
Django's record of the models leaves ``cases``. The evaluation and portal models that
pointed at the old models are moved first, so nothing refers to them when they go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_supervision_overdue_once_per_dispatch"),
        ("catalog", "0001_initial"),
        ("evaluation", "0002_category_from_catalog"),
        ("participation", "0002_publicgroup_to_catalog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="category",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="catalog.category",
                        verbose_name="类别",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="standard",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.casestandard",
                        verbose_name="立结案标准",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="routing_rule",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="catalog.routingrule",
                        verbose_name="派遣规则",
                    ),
                ),
                migrations.AlterField(
                    model_name="caserating",
                    name="category",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.category",
                        verbose_name="类别",
                    ),
                ),
                migrations.DeleteModel(name="CaseStandard"),
                migrations.DeleteModel(name="RoutingRule"),
                migrations.DeleteModel(name="Category"),
            ],
        ),
    ]
