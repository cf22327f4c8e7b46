"""The seven standard care tags (特殊群体), as migration 0004 seeds them.

`care_tags_ensure` puts back any that are missing, without touching a tag a deployment has
edited: the demo calls it, because test runs that empty tables also remove seeded rows.
"""

from linli.people.models import CareTag

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


def care_tags_ensure() -> None:
    for code, name, sensitive, days in STANDARD_TAGS:
        CareTag.objects.get_or_create(code=code, defaults={
            "name": name, "is_sensitive": sensitive, "default_visit_days": days})
