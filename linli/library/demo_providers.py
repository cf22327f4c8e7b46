"""The demo's providers in 花楼社区: fifteen organisations of every kind and five skilled
residents who consented to be listed (the `volunteer` login offered their own skills
online: 水电维修; four signed the consent on paper, recorded by the dispatcher), and the
partners' contributions in every cooperation mode (one voided with its reason).

Everything is written through the services, as the pages would. The services part and
the needs part find these providers by name (`ORGANISATIONS`, `skilled_name`)."""

from datetime import timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.library import services
from linli.library.models import Gives, Mode, ProviderKind, ServiceKind
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


# name: (description, phone, address)
DETAILS = {
    "江汉区乐龄助老服务中心": ("政府购买服务的助老社会组织，为高龄、独居老人提供助浴、助餐和陪诊。",
                    "027-82710001", "花楼街88号"),
    "花楼社区卫生服务站": ("家庭医生签约，测血压血糖，慢病随访。", "027-82710002", "花楼街102号"),
    "武汉市第一医院": ("共建单位：每月到社区义诊，冠名“一医健康小屋”。", "027-85332000",
                "中山大道215号"),
    "爱家超市": ("社区合伙人：积分兑换米面油，节日为困难家庭捐赠物资。", "027-82710010",
             "花楼街66号"),
    "民族路小学": ("共建单位：周末开放操场和多功能厅，换取社区志愿者的课后辅导。", "027-82710020",
              "民族路12号"),
    "惠民大药房": ("社区合伙人：居民可用积分兑换常用药品和血压计。", "027-82710030",
              "花楼街120号"),
}
# name, mode, gives, amount, description, days ago
CONTRIBUTIONS = [
    ("武汉市第一医院", Mode.NAMING, Gives.MONEY, 20000, "冠名“一医健康小屋”，资助设备", 60),
    ("武汉市第一医院", Mode.SERVICE, Gives.HOURS, 12, "专家义诊（内科、眼科）", 20),
    ("武汉市第一医院", Mode.SERVICE, Gives.HOURS, 8, "健康讲座：高血压防治", 5),
    ("爱家超市", Mode.DONATION, Gives.GOODS, 50, "米面油礼包送困难家庭", 30),
    ("爱家超市", Mode.POINTS, Gives.GOODS, 120, "积分兑换：食用油、洗衣液", 10),
    ("民族路小学", Mode.VENUE, Gives.VENUE, 16, "周末开放多功能厅办四点半课堂", 14),
    ("民族路小学", Mode.VENUE, Gives.VENUE, 6, "操场借用：社区运动会", 3),
    ("惠民大药房", Mode.POINTS, Gives.GOODS, 40, "积分兑换常用药品和体温计", 12),
    ("惠民大药房", Mode.DONATION, Gives.MONEY, 2000, "捐赠社区应急药箱", 40),
    ("江汉区乐龄助老服务中心", Mode.SERVICE, Gives.HOURS, 36, "上门助浴、陪诊服务", 7),
    ("花楼社区青年志愿服务队", Mode.SERVICE, Gives.HOURS, 24, "小家电义务维修日", 9),
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
    made = {}
    for name, kind, kinds, skills, modes, unit in ORGANISATIONS:
        description, phone, address = DETAILS.get(
            name, (f"{name}为花楼社区居民提供{skills}等服务。", "", ""))
        made[name] = services.provider_create(actor=staff, data=services.ProviderData(
            name=name, kind=kind, area=community, description=description,
            service_kinds=list(kinds), skills=skills, modes=list(modes), phone=phone,
            address=address, unit=Unit.objects.filter(name=unit).first() if unit else None))
    for person, (title, kinds, skills) in zip(_skilled_people(community), SKILLED,
                                              strict=False):
        data = services.SkillsData(title=title, skills=skills, service_kinds=list(kinds),
                                   description=f"热心邻居，{skills}。")
        if person.user_id:
            services.skills_offer(actor=person.user, data=data, consent=True)
        else:
            services.skilled_register(actor=staff, person=person, data=data, consent=True)
    today = timezone.localdate()
    for name, mode, gives, amount, description, days in CONTRIBUTIONS:
        services.contribution_record(actor=staff, provider=made[name], mode=mode, gives=gives,
                                     amount=amount, description=description,
                                     given_on=today - timedelta(days=days))
    wrong = services.contribution_record(
        actor=staff, provider=made["爱家超市"], mode=Mode.DONATION, gives=Gives.GOODS,
        amount=500, description="米面油礼包（数量录错）", given_on=today - timedelta(days=30))
    services.contribution_void(actor=staff, contribution=wrong, reason="数量多录了一个零")
