"""Version counters for the intake's read-mostly tables (core.versioned): categories, their
time limits and the default routes."""

from django.db import migrations

from linli.core.db import versioned


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_description_4000")]
    operations = [versioned("cases_category"), versioned("cases_timelimit"),
                  versioned("cases_route")]
