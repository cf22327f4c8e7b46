"""The checklists and rectification deadlines Linli ships with. Migration 0002 writes them
into a new database; administrators edit them afterwards (the admin site). `ship_defaults`
puts back whatever is missing — the demo and the tests call it, because a test run that
empties every table also removes seeded rows — and leaves existing rows as they are.

The items follow what street offices check: 城镇燃气管理条例 and GB 50028 for gas, 消防法 and
GB 25201 for fire, GB 50054 for low-voltage wiring, and the stairwell rules of 消防法 art. 28.
"""

from decimal import Decimal

from django.db import models

# severity → (amount, unit) on the working calendar
LIMITS = {
    "minor": (Decimal(3), "work_days"),
    "general": (Decimal(10), "work_days"),
    "major": (Decimal(30), "work_days"),
}

# (name, topic, target kinds, [(item, severity, requirement)])
TEMPLATES: list[tuple[str, str, list[str], list[tuple[str, str, str]]]] = [
    ("燃气安全检查表", "gas", ["restaurant", "shop", "workshop", "building"], [
        ("燃气软管使用金属波纹管或长度不超过2米且无老化龟裂", "general",
         "更换为燃气专用金属波纹管，软管长度不超过2米"),
        ("安装可燃气体报警器并能正常报警", "general", "安装可燃气体报警器并联动切断阀"),
        ("燃具带熄火保护装置", "general", "更换带熄火保护装置的燃具"),
        ("钢瓶存放在通风处，未超量存放（不超过2瓶）", "general",
         "清理超量钢瓶，移至通风处存放"),
        ("钢瓶在检验有效期内且有充装标签", "major", "停止使用过期钢瓶，交有资质单位处置"),
        ("燃气管道未被占压、包封或私自改装", "major",
         "拆除包封占压，恢复管道原状，私改部分由燃气公司整改"),
        ("餐饮场所地下室、半地下室未使用液化石油气", "major", "立即停止使用，改用电能或管道燃气"),
        ("从业人员知道关阀和应急处置方法", "minor", "开展燃气安全培训并张贴应急处置流程"),
    ]),
    ("消防安全检查表", "fire", [], [
        ("灭火器配置数量足够、压力正常、在有效期内", "general", "补充或更换灭火器，每月检查压力"),
        ("疏散通道、安全出口畅通，未锁闭", "major", "立即清理疏散通道，拆除出口锁具"),
        ("应急照明和疏散指示标志完好有效", "general", "维修或更换应急照明和疏散指示标志"),
        ("消火栓完好，未被遮挡、圈占", "general", "清除遮挡物，维修消火栓"),
        ("无人员住宿与经营、仓储合用（“三合一”）", "major",
         "立即搬离住宿人员，实施防火分隔"),
        ("电动自行车未在楼道、门厅停放或充电", "general", "移至集中停放充电点，清理楼道"),
        ("消防控制室有人值守（如设有）", "general", "落实24小时双人值班制度"),
    ]),
    ("用电安全检查表", "electrical", [], [
        ("电气线路穿管保护，无私拉乱接", "general", "由持证电工重新敷设线路并穿管保护"),
        ("配电箱有漏电保护装置且动作正常", "general", "加装或更换漏电保护器"),
        ("无超负荷用电，插座未串接使用", "minor", "拆除串接插座，减少同时使用的大功率电器"),
        ("电气设备周围无可燃物堆放", "minor", "清理电气设备周围可燃物"),
        ("电线无老化、破损、裸露", "major", "更换老化破损线路，整改前断电停用"),
    ]),
    ("楼道清理检查表", "stairwell", ["estate", "building"], [
        ("楼道内无杂物堆放", "general", "清理楼道杂物"),
        ("楼道内无可燃物（纸箱、泡沫、旧家具）", "general", "立即清理楼道可燃物"),
        ("楼道内无电动自行车停放、飞线充电", "major", "移走电动自行车，拆除飞线"),
        ("楼道照明完好", "minor", "维修楼道照明"),
        ("常闭式防火门保持关闭、闭门器完好", "general", "修复闭门器，保持防火门常闭"),
    ]),
    ("安全体检日检查表", "checkup", ["estate", "building", "lift", "public"], [
        ("电梯在检验有效期内，维保记录完整", "major", "联系维保单位检验，整改前停用电梯"),
        ("电梯紧急报警装置能正常使用", "general", "维修紧急报警装置"),
        ("燃气立管、引入管无锈蚀、无泄漏", "major", "通知燃气公司检修，关闭相关阀门"),
        ("消防设施（消火栓、喷淋、报警）完好有效", "general", "维修消防设施，恢复正常状态"),
        ("屋面、外墙无脱落风险", "general", "设置警示区域，安排维修"),
        ("井盖、护栏等公共设施完好", "minor", "更换或修复公共设施"),
    ]),
]


def ship_defaults(template: type[models.Model], item: type[models.Model],
                  limit: type[models.Model]) -> None:
    """Take the model classes, so the migration can pass its historical models."""
    for severity, (amount, unit) in LIMITS.items():
        limit._default_manager.get_or_create(severity=severity, defaults={
            "amount": amount, "unit": unit})
    for name, topic, kinds, items in TEMPLATES:
        row, created = template._default_manager.get_or_create(
            name=name, defaults={"topic": topic, "target_kinds": kinds})
        if not created:
            continue
        for position, (text, severity, requirement) in enumerate(items, start=1):
            item._default_manager.create(template=row, position=position, text=text,
                                         severity=severity, requirement=requirement)
