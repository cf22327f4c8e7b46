from decimal import Decimal

from django.db import migrations

from linli.core.db import append_only

# The shipped grading rules (三色预警) and mediation deadlines; administrators edit both.
RULES = [
    ("people_at_least", 5, "yellow"),
    ("people_at_least", 30, "red"),
    ("violence", None, "red"),
    ("petition", None, "red"),
    ("repeat_within", 90, "raise"),
    ("vulnerable", None, "raise"),
]
KINDS = ["neighbour", "property", "family", "marriage", "debt", "labour", "other"]


def ship(apps, schema_editor):
    GradeRule = apps.get_model("disputes", "GradeRule")
    KindLimit = apps.get_model("disputes", "KindLimit")
    for condition, threshold, outcome in RULES:
        GradeRule.objects.create(condition=condition, threshold=threshold, outcome=outcome)
    for kind in KINDS:
        KindLimit.objects.create(kind=kind, amount=Decimal(30), unit="work_days")


def unship(apps, schema_editor):
    apps.get_model("disputes", "GradeRule").objects.all().delete()
    apps.get_model("disputes", "KindLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_disputes"), ("core", "0002_audit_append_only")]
    operations = [
        append_only("disputes_event"),
        migrations.RunPython(ship, unship),
    ]
