from django.db import migrations

from linli.core.db import append_only
from linli.disputes.shipped import ship_defaults


def ship(apps, schema_editor):
    ship_defaults(apps.get_model("disputes", "GradeRule"),
                  apps.get_model("disputes", "KindLimit"))


def unship(apps, schema_editor):
    apps.get_model("disputes", "GradeRule").objects.all().delete()
    apps.get_model("disputes", "KindLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_disputes"), ("core", "0002_audit_append_only")]
    operations = [
        append_only("disputes_event"),
        migrations.RunPython(ship, unship),
    ]
