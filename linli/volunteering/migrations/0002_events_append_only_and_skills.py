from django.db import migrations

from linli.core.db import append_only

# The skills a new deployment starts with (a frozen copy of skills.DEFAULT_SKILLS, as
# migrations do not import app code that may change later).
SKILLS = [
    ("companionship", "陪伴聊天", "Companionship"),
    ("errands", "跑腿代购", "Errands and shopping"),
    ("appliance_repair", "家电维修", "Appliance repair"),
    ("plumbing_electrics", "水电维修", "Plumbing and electrics"),
    ("tutoring", "课业辅导", "Tutoring"),
    ("nursing", "医疗护理", "Nursing care"),
    ("legal_advice", "法律咨询", "Legal advice"),
    ("haircut", "理发", "Haircuts"),
    ("digital_help", "手机电脑帮助", "Help with phones and computers"),
    ("culture_sports", "文体活动", "Culture and sports"),
    ("patrol", "治安巡逻", "Safety patrols"),
]


def add_skills(apps, schema_editor):
    Skill = apps.get_model("volunteering", "Skill")
    for code, name_zh, name_en in SKILLS:
        Skill.objects.get_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial"), ("core", "0002_audit_append_only")]
    operations = [
        append_only("volunteering_event"),
        migrations.RunPython(add_skills, migrations.RunPython.noop),
    ]
