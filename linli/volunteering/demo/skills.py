"""The skills a new deployment starts with; administrators edit the list afterwards.

Migration 0002 adds these when the table is made; the demo loads them again (idempotent),
so a database emptied by a test run's flush still gets them.
"""

from linli.volunteering.models import Skill

DEFAULT_SKILLS = [
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


def skills_load() -> int:
    """Add the default skills that are missing; returns how many were added."""
    existing = set(Skill.objects.values_list("code", flat=True))
    missing = [Skill(code=code, name_zh=zh, name_en=en)
               for code, zh, en in DEFAULT_SKILLS if code not in existing]
    Skill.objects.bulk_create(missing)
    return len(missing)
