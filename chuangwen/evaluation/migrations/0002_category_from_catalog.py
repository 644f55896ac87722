"""The category of a checklist item and of a round's item is now ``catalog.Category``:
the same table (``cases_category``), so only Django's record of the link changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name=model_name,
                    name="category",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="catalog.category",
                        verbose_name="不合格时立案类别",
                    ),
                )
                for model_name in ("checklistitem", "rounditem")
            ],
        ),
    ]
