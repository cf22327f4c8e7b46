"""The kind of service a need's words point to, so a new need is matched before staff
touch it. The first kind with a matching word wins; staff may change it."""

from linli.library.models import ServiceKind

KEYWORDS: dict[str, tuple[str, ...]] = {
    ServiceKind.HEALTH: ("看病", "就医", "义诊", "体检", "血压", "血糖", "买药", "医生", "健康"),
    ServiceKind.ELDERLY_CARE: ("老人", "助老", "助餐", "送餐", "陪护", "照护", "护理", "养老",
                               "独居", "助浴"),
    ServiceKind.CHILDCARE: ("孩子", "小孩", "托管", "托育", "放学", "看护", "带娃"),
    ServiceKind.TUTORING: ("辅导", "作业", "功课", "学习", "课程", "培训", "兴趣班"),
    ServiceKind.REPAIR: ("维修", "修理", "修", "漏水", "水管", "电路", "家电", "门锁"),
    ServiceKind.HOUSEKEEPING: ("保洁", "家政", "打扫", "清洗", "收纳"),
    ServiceKind.LEGAL: ("法律", "律师", "合同", "纠纷", "维权", "欠薪", "遗嘱"),
    ServiceKind.COUNSELLING: ("心理", "情绪", "焦虑", "孤单", "寂寞", "抑郁"),
    ServiceKind.VENUE: ("场地", "活动室", "书屋", "会议室", "借用"),
}


def suggest(text: str) -> str:
    """The suggested kind, or "" when no word matches."""
    text = text or ""
    for kind, words in KEYWORDS.items():
        if any(w in text for w in words):
            return str(kind)
    return ""
