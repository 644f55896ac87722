"""Data for 0004: each overdue order learns the dispatch it was about; orders still open
on cases that are finished are settled with them; control characters leave stored text.

Not reversible in substance: the removed characters are gone, and which settled orders
were open before cannot be told apart afterwards. Going back leaves the rows as they are.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from chuangwen.core.validation import strip_controls

# PostgreSQL cannot store a NUL at all (nor take one in a pattern); SQLite can.
CONTROLS = {
    "postgresql": r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]",
    "sqlite": r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]",
}
SINGLE_LINE = ("address", "reporter_name")
SETTLED_REASONS = {
    "closed": "案件已结案",
    "merged": "案件已合并",
    "cancelled": "案件已作废",
    "invalid": "案件不予受理",
}


def _dispatches(apps):
    Supervision = apps.get_model("cases", "Supervision")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    last_dispatch = (
        CaseEvent.objects.filter(
            case_id=OuterRef("case_id"), action="dispatch", created_at__lte=OuterRef("issued_at")
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    Supervision.objects.filter(kind="overdue", dispatched_at__isnull=True).update(
        dispatched_at=Subquery(last_dispatch)
    )


def _settle(apps):
    Supervision = apps.get_model("cases", "Supervision")
    Case = apps.get_model("cases", "Case")
    # When the case finished: its closing time, or its last change for the other ends.
    finished = Case.objects.filter(pk=OuterRef("case_id")).annotate(
        at=Coalesce("closed_at", "updated_at")
    )
    for status, reason in SETTLED_REASONS.items():
        Supervision.objects.filter(status="open", case__status=status).update(
            status="settled",
            settled_reason=reason,
            settled_at=Subquery(finished.values("at")[:1]),
        )


def _clean(apps, vendor: str):
    fields = {
        "Case": ("description", "address", "reporter_name"),
        "CaseEvent": ("note",),
        "Supervision": ("note", "answer"),
    }
    for name, names in fields.items():
        model = apps.get_model("cases", name)
        for field in names:
            dirty = {f"{field}__regex": CONTROLS.get(vendor, CONTROLS["postgresql"])}
            rows = model.objects.filter(**dirty).only("pk", field)
            for row in rows.iterator(chunk_size=500):
                text = strip_controls(getattr(row, field), multiline=field not in SINGLE_LINE)
                setattr(row, field, text)
                row.save(update_fields=[field])


def forwards(apps, schema_editor):
    _dispatches(apps)
    _settle(apps)
    _clean(apps, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_public_text_and_supervision_ladder")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
