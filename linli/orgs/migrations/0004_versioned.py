"""Version counters for the org tables that per-process caches copy (core.versioned)."""

from django.db import migrations

from linli.core.db import versioned


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_alter_unit_kind")]
    operations = [versioned("orgs_area"), versioned("orgs_unit")]
