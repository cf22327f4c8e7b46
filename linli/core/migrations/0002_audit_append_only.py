from django.db import migrations

from linli.core.db import append_only, guard_table


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [guard_table(), append_only("core_auditentry")]
