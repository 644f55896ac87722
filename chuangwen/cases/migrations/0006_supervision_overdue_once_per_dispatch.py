from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_settle_and_clean_history")]

    operations = [
        migrations.AddConstraint(
            model_name="supervision",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "overdue")),
                fields=("case", "dispatched_at", "level"),
                name="supervision_overdue_once_per_dispatch",
            ),
        ),
    ]
