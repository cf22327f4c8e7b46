from django.db import migrations

from linli.core.db import append_only
from linli.iot.shipped import ship_defaults


def ship(apps, schema_editor):
    ship_defaults(apps.get_model("iot", "AlarmRule"))


class Migration(migrations.Migration):
    dependencies = [("iot", "0001_iot"), ("core", "0002_audit_append_only")]
    operations = [
        append_only("iot_alarmevent"),
        # Going back keeps the rules: alarms refer to them (a replay applies get_or_create).
        migrations.RunPython(ship, migrations.RunPython.noop),
    ]
