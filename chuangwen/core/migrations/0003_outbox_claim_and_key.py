# The outbox claims a message in a short transaction (token, lease, time of the attempt)
# and gives every message an idempotency key. Rows already in the table get a key of
# their own before the column becomes unique.

import uuid

from django.db import migrations, models


def give_keys(apps, schema_editor):
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    for pk in OutboxMessage.objects.filter(key__isnull=True).values_list("pk", flat=True).iterator():
        OutboxMessage.objects.filter(pk=pk).update(key=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_calendar_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="key",
            field=models.UUIDField(editable=False, null=True, verbose_name="幂等键"),
        ),
        # Reversing needs nothing: the column is dropped with the step before.
        migrations.RunPython(give_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="key",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="幂等键"
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="claim_token",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近尝试时间"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "待投递"),
                    ("sending", "投递中"),
                    ("delivered", "已投递"),
                    ("failed", "投递失败"),
                ],
                default="pending",
                max_length=16,
                verbose_name="状态",
            ),
        ),
    ]
