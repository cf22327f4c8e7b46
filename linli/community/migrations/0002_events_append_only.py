from django.db import migrations

from linli.core.db import append_only


class Migration(migrations.Migration):
    """The history of activities, notices and honour entries refuses UPDATE and DELETE in
    the database too, like every other history table (ADR 0003); 0001 left it out."""

    dependencies = [("community", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [append_only("community_event")]
