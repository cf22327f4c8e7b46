"""The demo's providers in 花楼社区: fifteen organisations of every kind and five skilled
residents who consented to be listed (the `volunteer` login is one: 水电维修).

The providers part adds their partners' contributions and the rest; the services part and
the needs part find these providers by name (`ORGANISATIONS`, `skilled`)."""

from django.utils import timezone

from linli.accounts.models import User
from linli.library.models import Mode, Provider, ProviderKind, ServiceKind
from linli.orgs.models import Area, Unit
from linli.people.models import Resident

K = ServiceKind
# name, kind, service kinds, skills, cooperation modes, unit (by name)
ORGANISATIONS = [
    ("江汉区乐龄助老服务中心", ProviderKind.SOCIAL_ORG, [K.ELDERLY_CARE], "助浴 助餐 陪诊",
     [Mode.SERVICE], ""),
    ("花楼社区卫生服务站", ProviderKind.AGENCY, [K.HEALTH], "测血压 血糖 慢病随访",
     [Mode.SERVICE], ""),
    ("童心托育服务社", ProviderKind.SOCIAL_ORG, [K.CHILDCARE, K.TUTORING], "四点半课堂 托管",
     [Mode.SERVICE], ""),
    ("安居家政服务有限公司", ProviderKind.AGENCY, [K.HOUSEKEEPING], "保洁 收纳 月嫂",
     [Mode.POINTS], ""),
    ("民族街道法律服务所", ProviderKind.AGENCY, [K.LEGAL], "法律咨询 调解 遗嘱",
     [Mode.SERVICE], ""),
    ("暖心心理咨询工作室", ProviderKind.AGENCY, [K.COUNSELLING], "心理疏导 情绪减压",
     [Mode.SERVICE], ""),
    ("花楼社区青年志愿服务队", ProviderKind.VOLUNTEER_TEAM, [K.REPAIR, K.ELDERLY_CARE],
     "小家电维修 代购 陪伴", [Mode.SERVICE], ""),
    ("巧手家电维修店", ProviderKind.SHOP, [K.REPAIR], "家电维修 水电维修", [Mode.POINTS], ""),
    ("惠民大药房", ProviderKind.SHOP, [K.HEALTH], "药品 健康咨询",
     [Mode.POINTS, Mode.DONATION], ""),
    ("爱家超市", ProviderKind.SHOP, [K.OTHER], "送货上门", [Mode.POINTS, Mode.DONATION], ""),
    ("武汉市第一医院", ProviderKind.UNIT, [K.HEALTH], "义诊 健康讲座", [Mode.SERVICE, Mode.NAMING],
     ""),
    ("民族路小学", ProviderKind.UNIT, [K.TUTORING, K.VENUE], "操场开放 课后辅导",
     [Mode.VENUE], ""),
    ("花楼物业服务中心", ProviderKind.UNIT, [K.REPAIR], "公共设施维修 上门维修",
     [Mode.SERVICE], "花楼物业服务中心"),
    ("花楼社区党群服务中心", ProviderKind.UNIT, [K.VENUE], "社区书屋 活动室 健康小屋",
     [Mode.VENUE], ""),
    ("花楼社区老年大学", ProviderKind.SOCIAL_ORG, [K.TUTORING], "书法 太极 智能手机课",
     [Mode.SERVICE], ""),
]
# title after the surname, service kinds, skills; the first is the `volunteer` login
SKILLED = [
    ("师傅", [K.REPAIR], "水电维修 换灯泡 疏通管道"),
    ("老师", [K.TUTORING], "退休教师 数学辅导 作文"),
    ("律师", [K.LEGAL], "法律咨询 合同审查"),
    ("医生", [K.HEALTH], "退休医生 测血压 用药指导"),
    ("阿姨", [K.OTHER], "剪纸 手工 编织"),
]


def _skilled_people(community: Area) -> list[Resident]:
    """The `volunteer` login's registry person, then four residents without a login."""
    rows = Resident.objects.filter(moved_out__isnull=True, anonymised_at__isnull=True,
                                   area_path__startswith=community.path)
    first = list(rows.filter(user__username="volunteer")[:1])
    others = list(rows.filter(user__isnull=True, relation="head").order_by("pk")[:4])
    return first + others


def skilled_name(person: Resident, title: str) -> str:
    return f"{person.name[0]}{title}"


def demo_providers(demo) -> None:
    community = demo.tree.communities[0]
    staff = User.objects.get(username="dispatcher")
    now = timezone.now()
    for name, kind, kinds, skills, modes, unit in ORGANISATIONS:
        Provider.objects.create(
            community=community, area=community, area_path=community.path, kind=kind,
            name=name, service_kinds=kinds, skills=skills, modes=modes,
            unit=Unit.objects.filter(name=unit).first() if unit else None,
            description=f"{name}为花楼社区居民提供{skills}等服务。", created_by=staff)
    for person, (title, kinds, skills) in zip(_skilled_people(community), SKILLED,
                                              strict=False):
        Provider.objects.create(
            community=community, area=community, area_path=community.path,
            kind=ProviderKind.SKILLED, name=skilled_name(person, title), service_kinds=kinds,
            skills=skills, resident=person, consent_at=now,
            consent_via="self" if person.user_id else "paper", consent_by=person.user or staff,
            created_by=staff)
