from django.db import migrations

from linli.core.db import append_only
from linli.iot.shipped import ship_defaults


def ship(apps, schema_editor):
    ship_defaults(apps.get_model("iot", "AlarmRule"))


def unship(apps, schema_editor):
    apps.get_model("iot", "AlarmRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("iot", "0001_iot"), ("core", "0002_audit_append_only")]
    operations = [
        append_only("iot_alarmevent"),
        migrations.RunPython(ship, unship),
    ]
