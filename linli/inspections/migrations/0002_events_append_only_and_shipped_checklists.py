from django.db import migrations

from linli.core.db import append_only
from linli.inspections.shipped import ship_defaults


def ship(apps, schema_editor):
    ship_defaults(apps.get_model("inspections", "Template"),
                  apps.get_model("inspections", "TemplateItem"),
                  apps.get_model("inspections", "SeverityLimit"))


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_targets_campaigns_orders"),
                    ("core", "0002_audit_append_only")]
    operations = [
        append_only("inspections_orderevent"),
        # Going back keeps the checklists: campaigns and schedules refer to them, and
        # migrating forward again finds them there (ship_defaults adds only what is missing).
        migrations.RunPython(ship, migrations.RunPython.noop),
    ]
