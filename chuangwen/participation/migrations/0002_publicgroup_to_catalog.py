"""The report form's groups moved to the ``catalog`` app (see its 0001): the table stays,
only Django's record of the model leaves ``participation``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0001_initial"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="PublicGroup")],
        ),
    ]
