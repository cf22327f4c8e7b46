"""The seven standard care tags (特殊群体). Administrators edit the list afterwards; a tag
already present (by code) is left as the deployment has it."""

from django.db import migrations

# code, name, sensitive (masked until revealed), default visit interval in days
STANDARD_TAGS = [
    ("lonely_elderly", "独居老人", False, 7),
    ("disabled_care", "失能/半失能", True, 7),
    ("disability", "残疾人", True, 30),
    ("subsistence", "低保", True, 30),
    ("left_behind_child", "留守儿童", True, 30),
    ("community_correction", "社区矫正", True, 30),
    ("severe_mental", "严重精神障碍", True, 14),
]


def seed(apps, schema_editor):
    CareTag = apps.get_model("people", "CareTag")
    for code, name, sensitive, days in STANDARD_TAGS:
        CareTag.objects.get_or_create(code=code, defaults={
            "name": name, "is_sensitive": sensitive, "default_visit_days": days})


class Migration(migrations.Migration):
    dependencies = [("people", "0003_visit_due_on_consent_category")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
