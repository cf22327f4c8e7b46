"""急难愁盼: the class a need's words suggest, for staff to confirm.

急 (urgent): danger or harm now, someone who cannot cope alone today. 难 (hard): a
lasting difficulty the resident cannot solve alone. 愁 (worrying): a worry about daily
life. 盼 (hoped for): a wish for something better. The first class with a matching word
wins, in that order, so "希望尽快修好漏水" is 急, not 盼. Staff confirm or change it;
what they choose is what counts.
"""

from linli.library.models import Urgency

KEYWORDS: dict[str, tuple[str, ...]] = {
    Urgency.URGENT: ("紧急", "急需", "马上", "立即", "漏水", "漏气", "燃气", "煤气", "着火",
                     "火灾", "断电", "停电", "停水", "摔倒", "晕倒", "生病", "住院", "无人照顾",
                     "独居", "危险", "坍塌", "倒塌", "救", "断粮", "冻", "受伤"),
    Urgency.HARD: ("困难", "难", "看病", "就医", "买药", "残疾", "失能", "瘫痪", "行动不便",
                   "加装电梯", "电梯", "停车", "托管", "照护", "护理", "失业", "低保", "欠薪"),
    Urgency.WORRYING: ("担心", "发愁", "愁", "焦虑", "噪音", "吵", "异味", "放学", "没人接",
                       "孤单", "寂寞", "安全隐患", "不放心", "养老"),
    Urgency.HOPED: ("希望", "盼", "建议", "想要", "能否", "增设", "增加", "开设", "组织",
                    "活动", "课程", "兴趣班", "绿化", "健身"),
}


def suggest(text: str) -> tuple[str, list[str]]:
    """The suggested class ("" when no word matches) and the words that matched."""
    text = text or ""
    for urgency, words in KEYWORDS.items():
        found = [w for w in words if w in text]
        if found:
            return str(urgency), found
    return "", []
