from django.db import migrations

from linli.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("deliberation", "0001_topics_bodies_meetings_votes"),
                    ("core", "0002_audit_append_only")]
    operations = [append_only("deliberation_topicevent"), append_only("deliberation_voteevent")]
