"""Word lists for the demo registers: synthetic names, findings and needs. No real people."""

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁"
                "谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程魏苏吕丁任沈")
GIVEN_MALE = ["建国", "志强", "伟", "磊", "军", "勇", "明", "涛", "超", "浩然", "子豪", "宇轩",
              "国平", "德华", "长江", "海波", "建华", "俊杰", "文博", "天宇", "家乐", "振华"]
GIVEN_FEMALE = ["秀兰", "桂英", "淑珍", "玉梅", "丽", "静", "敏", "燕", "婷", "芳", "雨涵",
                "欣怡", "梓涵", "秀英", "凤英", "海燕", "晓红", "佳怡", "思琪", "美玲", "春梅"]
# Mobile prefixes used for the demo phones: 13x, 15x and 18x.
PHONE_PREFIXES = [f"13{d}" for d in range(10)] + [f"15{d}" for d in (0, 1, 2, 3, 5, 6, 7, 8,
                                                                   9)] + [
    f"18{d}" for d in range(10)]
AREA_CODE = "420103"  # 武汉市江汉区

# The demo logins who are residents, with the gender their name suggests.
LOGIN_GENDERS = {"resident": "female", "resident_b": "male", "resident_c": "female",
                 "resident_d": "male", "resident_e": "female", "resident_f": "male",
                 "volunteer": "female"}

FINDINGS = [
    "身体状况良好，居家环境整洁，水电气使用正常。",
    "老人血压偏高，已提醒按时服药，建议家属多陪伴。",
    "电话联系，本人表示近况良好，无特殊需求。",
    "家中燃气软管老化，已联系物业更换。",
    "情绪稳定，按时参加社区活动。",
    "低保材料已协助准备，下月复核。",
    "孩子学习正常，已与学校老师沟通。",
    "行动不便，需协助购买生活用品，已联系志愿者。",
]
NEEDS = [
    "每周一次上门探访，关注血压和用药。",
    "协助代购生活用品，定期检查燃气和用电安全。",
    "关注情绪变化，协调心理咨询资源。",
    "协助办理补贴申领，跟进康复服务。",
    "关注学习和生活，联系学校和志愿者辅导。",
]
CONTACT_RELATIONS = ["儿子", "女儿", "侄子", "外甥女", "邻居", "楼栋长"]
