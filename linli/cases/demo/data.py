"""Data for the demo cases (`cases.py` holds the logic): the paths cases take through the
lifecycle and how many take each, the time between steps, and the words: per category,
where such a problem sits, how often it comes up, what residents write and what the unit
answers (placeholders: {estate} {building} {entrance} {room}); and made-up photos."""

import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from linli.cases.models import LimitUnit

# Which demo unit handles a category by default ("property" = the community's own company).
ROUTES = {
    "01001": "repair", "01003": "repair", "01004": "repair", "01013": "property",
    "01037": "repair", "01054": "property", "01076": "property", "02025": "urban",
    "03005": "cleaning", "04013": "property", "06001": "urban", "06010": "cleaning",
    "06011": "cleaning", "06028": "urban", "06042": "cleaning", "07001": "urban",
    "08001": "urban", "09009": "urban", "09012": "urban",
    "L1001": "property", "L1002": "property", "L1003": "property", "L1004": "property",
    "L1005": "property", "L1006": "property", "L1007": "police", "L1008": "property",
    "L1009": "property", "L1010": "property", "L2001": "gas", "L2002": "repair",
    "L2003": "police", "L3001": "property", "L3002": "judicial", "L3003": "judicial",
}


@dataclass(frozen=True)
class Text:
    level: str  # the area kind a report points at: estate, building, entrance, dwelling
    weight: int
    titles: tuple[str, ...]
    descriptions: tuple[str, ...]
    resolution: str


def _t(level, weight, titles, descriptions, resolution) -> Text:
    return Text(level, weight, tuple(titles), tuple(descriptions), resolution)


TEXTS: dict[str, Text] = {
    "01001": _t("estate", 3,
             ["{estate}东门井盖松动", "{estate}{building}前供水井盖破损"],
             ["井盖踩上去晃动，晚上看不清，老人小孩经过很危险。",
              "井盖裂了一道缝，边上已经塌下去一块，怕有人踩空。"],
             "已更换新井盖并加固井座，现场恢复通行。"),
    "01003": _t("estate", 2,
             ["{estate}雨水井盖缺失", "{estate}北门雨水井盖被压坏"],
             ["雨水井盖不见了，只放了一块木板挡着。",
              "货车压过后井盖断成两半。"],
             "已补装雨水井盖，设置警示标志后撤除。"),
    "01004": _t("estate", 2,
             ["{estate}雨水箅子堵塞", "{estate}路口雨水箅子缺失"],
             ["下雨后路口积水很深，箅子被落叶和垃圾堵住了。",
              "雨水箅子少了一块，自行车轮子会卡进去。"],
             "已清掏雨水口并更换破损箅子。"),
    "01013": _t("building", 2,
             ["{building}消防栓没有水", "{building}楼道灭火器过期"],
             ["消防栓箱门坏了，打开看水带也不见了。",
              "灭火器压力表指在红区，标签显示已过期两年。"],
             "已补齐水带并更换过期灭火器，箱门修复。"),
    "01037": _t("estate", 4,
             ["{estate}门口路灯不亮", "{estate}{building}旁路灯一闪一闪"],
             ["门口路灯坏了一个多星期，晚上回家黑乎乎的。",
              "路灯一直闪，晚上影响休息，也怕是线路问题。"],
             "已更换灯具和镇流器，夜间复查正常点亮。"),
    "01054": _t("estate", 2,
             ["{estate}充电桩扫码没反应", "{estate}充电桩插座烧黑"],
             ["扫码后一直显示连接中，充不上电。",
              "有一个插座烧黑了，有焦味，担心起火。"],
             "已更换故障模块和插座，测试充电正常。"),
    "01076": _t("entrance", 4,
             ["{building}{entrance}电梯停运", "{building}{entrance}电梯关门异响"],
             ["电梯从早上就停在三楼不动，楼上老人下不了楼。",
              "电梯关门时咣当响，有时门关一半又弹开。"],
             "维保单位已更换门机皮带并调试，电梯恢复运行。"),
    "02025": _t("estate", 2,
             ["{estate}门口电动车乱停", "{estate}非机动车棚雨棚破损"],
             ["电动车停满人行道，轮椅推不过去。",
              "车棚顶被风掀开一块，下雨车子全淋湿。"],
             "已规范停放并划线，车棚顶棚修复。"),
    "03005": _t("estate", 3,
             ["{estate}垃圾箱盖子坏了", "{estate}{building}旁垃圾桶破损"],
             ["垃圾箱盖子掉了，招苍蝇，味道很大。",
              "垃圾桶底部破了个洞，污水流了一地。"],
             "已更换新垃圾桶并冲洗地面。"),
    "04013": _t("estate", 2,
             ["{estate}绿化带被踩秃", "{estate}{building}前树枝断裂"],
             ["绿化带被人踩出一条路，草都死了。",
              "大风把树枝刮断了，挂在半空很危险。"],
             "已修剪断枝并补种草皮，设置护栏。"),
    "06001": _t("building", 2,
             ["{building}顶楼违规搭建", "{estate}一楼住户私自扩建院子"],
             ["顶楼有人在平台上搭彩钢棚，挡住了排水。",
              "一楼住户把院墙往外砌了两米，占了公共通道。"],
             "已下达整改通知，违建部分已拆除。"),
    "06010": _t("estate", 4,
             ["{estate}路边垃圾没人清", "{estate}{building}后面堆满垃圾"],
             ["路边一堆垃圾放了两天没人收，已经发臭了。",
              "楼后空地被人倒了很多生活垃圾。"],
             "已清运垃圾并对周边消杀。"),
    "06011": _t("estate", 2,
             ["{estate}装修渣土乱堆", "{estate}空地建筑垃圾堆积"],
             ["有人装修把渣土直接倒在路边，堵了半条路。",
              "空地上的建筑垃圾越堆越多，扬尘很大。"],
             "已清运渣土，并提醒装修户按规定袋装堆放。"),
    "06028": _t("building", 3,
             ["{building}楼下广场舞太吵", "{estate}夜宵摊噪音扰民"],
             ["每天晚上九点多还放音乐，声音特别大，孩子没法睡觉。",
              "楼下夜宵摊一直营业到凌晨两点，吵得睡不着。"],
             "已与相关人员沟通，约定音量和时间，夜间巡查无复发。"),
    "06042": _t("estate", 4,
             ["{estate}垃圾站满了没清运", "{estate}分类垃圾箱满溢"],
             ["垃圾站已经满出来了，一地都是，夏天味道很大。",
              "厨余垃圾桶满了溢出来，引来很多野猫。"],
             "已增加清运频次，现场清理干净。"),
    "07001": _t("entrance", 3,
             ["{building}{entrance}楼道小广告", "{estate}电线杆贴满开锁广告"],
             ["楼道墙上贴满了疏通、开锁的小广告。",
              "电线杆和墙面都是喷涂的办证电话。"],
             "已铲除小广告并粉刷墙面，对喷涂号码进行停机处理。"),
    "08001": _t("estate", 2,
             ["{estate}夜间施工噪音", "{estate}附近工地扬尘"],
             ["工地晚上十一点还在打桩，影响休息。",
              "工地没有覆盖，风一吹灰很大，窗户都不敢开。"],
             "已责令工地停止夜间施工，落实覆盖降尘。"),
    "09009": _t("estate", 3,
             ["{estate}门口车辆乱停堵路", "{estate}消防车道口停车"],
             ["小区门口有车停在路中间，救护车都进不来。",
              "有车长期停在路口，一辆车占两个位置。"],
             "已联系车主挪车，并在路口增设禁停标识。"),
    "09012": _t("estate", 2,
             ["{estate}消防通道被占用", "{building}前消防通道堆放杂物"],
             ["消防通道停满了车，万一着火消防车进不来。",
              "有人在消防通道上堆了旧家具和纸箱。"],
             "已清理消防通道，划设禁停标线。"),
    "L1001": _t("entrance", 4,
             ["{building}{entrance}楼道堆放杂物", "{building}{entrance}楼梯口堆满纸箱"],
             ["楼道里堆了旧沙发和纸箱，影响通行，也有火灾隐患。",
              "邻居把废品堆在楼梯口，味道难闻。"],
             "已联系住户清理楼道杂物，楼道恢复畅通。"),
    "L1002": _t("entrance", 6,
             ["{building}{entrance}楼道灯不亮", "{building}{entrance}声控灯失灵"],
             ["{entrance}三楼到五楼的楼道灯都不亮，晚上上楼要打手电。",
              "声控灯怎么拍都不亮，老人上下楼不方便。"],
             "已更换楼道灯和声控开关，测试正常。"),
    "L1003": _t("dwelling", 5,
             ["{room}室厨房水管漏水", "{building}{entrance}{room}卫生间漏水到楼下"],
             ["厨房水管接口一直滴水，地面积水。",
              "卫生间地面渗水，楼下邻居天花板都湿了。"],
             "已更换老化水管接头，关阀试压无渗漏。"),
    "L1004": _t("building", 4,
             ["{building}下水道堵塞返水", "{building}{entrance}一楼污水外冒"],
             ["一楼下水道堵了，污水从地漏冒出来。",
              "楼下化粪池满了，污水流到路上。"],
             "已疏通主管道并清掏化粪池。"),
    "L1005": _t("dwelling", 3,
             ["{building}{entrance}{room}屋顶渗水", "{building}顶楼墙面渗漏"],
             ["一下雨天花板就滴水，墙皮都泡起来了。",
              "顶楼外墙裂缝，雨水渗进卧室。"],
             "已重做屋面防水并修补墙面裂缝。"),
    "L1006": _t("entrance", 3,
             ["{building}{entrance}门禁刷卡打不开", "{building}{entrance}单元门关不上"],
             ["门禁刷卡没反应，只能等别人开门。",
              "单元门闭门器坏了，门一直敞着。"],
             "已更换门禁读卡器和闭门器，测试正常。"),
    "L1007": _t("building", 2,
             ["{building}高空抛物", "{building}楼上往下扔垃圾"],
             ["楼上有人往下扔酒瓶，差点砸到人。",
              "经常有人从楼上往下扔烟头和垃圾袋。"],
             "已调取监控找到抛物住户并进行教育，签订承诺书。"),
    "L1008": _t("dwelling", 2,
             ["邻居家狗夜里叫", "楼上养猫气味大"],
             ["隔壁家的狗每天夜里叫，睡不好觉。",
              "楼上养了很多猫，楼道里味道很大。"],
             "已上门沟通。"),
    "L1009": _t("entrance", 4,
             ["{building}{entrance}飞线充电", "{building}{entrance}楼道里给电动车充电"],
             ["有人从三楼窗户拉电线下来给电动车充电。",
              "电动车推进楼道里充电，晚上很危险。"],
             "已拆除飞线，劝导车主到充电桩充电。"),
    "L1010": _t("estate", 3,
             ["{estate}物业保洁不到位", "{estate}物业维修不及时"],
             ["楼道一个星期没人打扫，电话打给物业也没人管。",
              "报修一周了物业还没来人。"],
             "物业已整改保洁排班并回访住户。"),
    "L2001": _t("building", 2,
             ["{building}{entrance}楼道有燃气味", "{building}燃气管道锈蚀"],
             ["楼道里一股煤气味，不知道哪家漏气。",
              "外墙燃气管锈得很厉害，接口处有点漏。"],
             "已关阀检漏，更换漏气接头，复测无泄漏。"),
    "L2002": _t("building", 2,
             ["{building}电表箱冒火花", "{building}{entrance}楼道电线裸露"],
             ["电表箱里有噼啪声，还冒过火花。",
              "楼道里电线外皮破了，铜线露在外面。"],
             "已更换电表箱内老化线路并包扎裸露电线。"),
    "L2003": _t("estate", 2,
             ["{estate}夜间有陌生人撬车", "{estate}围墙破洞有人翻越"],
             ["昨晚好几辆电动车被撬，监控好像也坏了。",
              "围墙有个洞，晚上经常有人翻进来。"],
             "已加强夜间巡逻，修复围墙并更换监控探头。"),
    "L3001": _t("dwelling", 2,
             ["独居老人家中无人应答", "{building}{entrance}独居老人摔倒求助"],
             ["隔壁独居的老人两天没出门了，敲门没人应。",
              "老人在家摔倒起不来，打电话求助。"],
             "已上门查看，协助送医并联系家属。"),
    "L3002": _t("dwelling", 3,
             ["咨询高龄津贴怎么申请", "咨询居住证办理"],
             ["家里老人满80岁了，想问高龄津贴怎么申请。",
              "外地亲戚想办居住证，需要带什么材料？"],
             "已答复。"),
    "L3003": _t("dwelling", 3,
             ["楼上漏水邻居不肯维修", "邻居占用公共楼道发生争吵"],
             ["楼上漏水到我家，找他们几次都不肯修。",
              "邻居把鞋柜放到公共楼道，说了几次吵起来了。"],
             "已组织双方调解，达成协议并签字。"),
}

REJECT_NOTES = (
    "不属于社区管辖范围，已告知拨打12345市民服务热线。",
    "描述不清且无法联系上报人，无法核实。",
    "现场核查未发现所述问题。",
    "属于物业合同纠纷，已告知通过法律途径解决。",
)
ADVICE_NOTES = {
    "L1008": ("属于邻里私事，建议先与邻居友好沟通；如需要，社区可以组织调解。",
              "已联系楼栋长上门提醒养宠住户，建议双方协商解决。"),
    "L3002": ("已电话答复：携带身份证、户口簿到社区党群服务中心窗口办理，工作日上午9点至下午5点。",
              "已答复办理材料和流程，并告知可在“鄂汇办”线上申请。"),
}
HOLD_NOTES = ("涉及房屋维修资金使用，需业主大会表决，暂挂账。",
              "需街道协调专项资金，暂缓处理。",
              "涉及多个部门职责，等待街道联席会议明确责任。")
FAIL_NOTES = ("现场核查问题仍然存在，请返工。", "只做了临时处理，请彻底修复。")
# What a reporter writes when they check the result themselves (the NOTES are the grid
# worker's words); as many choices as theirs, so the demo's random sequence stays the same.
REPORTER_NOTES = {"verify": ("已经修好了，谢谢。", "看过了，问题已解决。"),
                  "fail": ("还是老样子，没有修好。", "只是临时处理了一下，没有彻底修好。")}
REOPEN_NOTES = ("问题没有解决，又坏了。", "处理后两天又出现同样的问题。")
EXTENSION_REASONS = ("配件需要厂家定制，到货需要时间。", "需要协调停水停电，和住户约定时间。",
                     "涉及多户住户，需逐户沟通。")
RATING_COMMENTS = {
    "satisfied": ("处理很及时，谢谢师傅！", "社区办事效率高，点赞。", ""),
    "basic": ("解决了，就是等得有点久。", "问题解决了，希望以后能更快。"),
    "unsatisfied": ("问题没有彻底解决。", "处理太慢了，前后拖了好久。"),
}
CALLER_NAMES = ("来电市民 刘先生", "来电市民 张女士", "来电市民 王阿姨", "来电市民 陈先生")

PRIVATE = {"L1008", "L3002"}
EMERGENCY = {"L2001", "L3001"}
LONG_LIMIT = {"06001", "L1005"}  # handling limits above 5 working days

_HANDLE = ["accept", "dispatch", "acknowledge"]
_CLOSE = [*_HANDLE, "resolve", "verify", "close"]
PATHS: dict[str, list[str]] = {
    "reported": [], "reported_overdue": [],
    "accepted": ["accept"],
    "reopened_open": [*_CLOSE, "rate:unsatisfied", "reopen"],
    "rejected": ["reject"],
    "advised": ["advise"],
    "dispatched": ["accept", "dispatch"],
    "returned": ["accept", "dispatch:wrong", "return", "dispatch"],
    "in_progress": _HANDLE, "in_progress_overdue": _HANDLE,
    "in_progress_ext": [*_HANDLE, "ext"],
    "resolved": [*_HANDLE, "resolve"],
    "rework": [*_HANDLE, "resolve", "fail"],
    "rework_ext": [*_HANDLE, "resolve", "fail", "ext"],
    "verified": [*_HANDLE, "resolve", "verify"],
    "closed": _CLOSE,
    "closed_satisfied": [*_CLOSE, "rate:satisfied"],
    "closed_basic": [*_CLOSE, "rate:basic"],
    "closed_unsatisfied": [*_CLOSE, "rate:unsatisfied"],
    "closed_rework": [*_HANDLE, "resolve", "fail", "resolve", "verify", "close", "rate:basic"],
    "closed_ext_approved": [*_HANDLE, "ext", "ext:approve", "resolve", "verify", "close",
                            "rate:satisfied"],
    "closed_ext_denied": [*_HANDLE, "ext", "ext:deny", "resolve", "verify", "close"],
    "closed_reopened": [*_CLOSE, "rate:unsatisfied", "reopen", "dispatch", "acknowledge",
                        "resolve", "verify", "close", "rate:satisfied"],
    "closed_unheld": ["accept", "hold", "unhold", "dispatch", "acknowledge", "resolve",
                      "verify", "close", "rate:satisfied"],
    "on_hold": ["accept", "hold"],
    "merged": ["merge"], "merged_accepted": ["accept", "merge"],
}
# (path, how many, how many days ago the report came in)
PLAN: list[tuple[str, int, tuple[float, float]]] = [
    ("reported", 14, (0.02, 3)), ("reported_overdue", 4, (18, 25)),
    ("accepted", 8, (0.5, 6)), ("reopened_open", 2, (8, 14)), ("rejected", 10, (1, 58)),
    ("advised", 7, (1, 58)), ("dispatched", 10, (0.3, 5)), ("returned", 3, (1, 6)),
    ("in_progress", 14, (0.5, 8)), ("in_progress_ext", 5, (2, 10)),
    ("in_progress_overdue", 4, (20, 30)), ("resolved", 9, (1, 6)), ("rework", 5, (3, 10)),
    ("rework_ext", 1, (4, 10)), ("verified", 8, (2, 7)), ("closed", 14, (5, 59)),
    ("closed_satisfied", 34, (4, 59)), ("closed_basic", 12, (4, 59)),
    ("closed_unsatisfied", 6, (4, 59)), ("closed_rework", 5, (8, 59)),
    ("closed_ext_approved", 4, (8, 59)), ("closed_ext_denied", 2, (8, 59)),
    ("closed_reopened", 4, (12, 59)), ("closed_unheld", 2, (25, 59)),
    ("on_hold", 6, (5, 40)), ("merged", 6, (0, 0)), ("merged_accepted", 3, (0, 0)),
]
OPEN_PATHS = {"accepted", "reopened_open", "dispatched", "returned", "in_progress",
              "in_progress_ext", "in_progress_overdue", "resolved", "rework", "rework_ext",
              "verified"}
# Hours after the previous step (low, high): working hours for staff, whose clock is the
# deadlines' clock; clock hours, moved into waking hours, for residents; clock hours times
# 0.1 for emergencies, which nobody leaves for the morning.
GAPS = {"accept": (0.1, 6), "reject": (0.2, 8), "advise": (0.3, 10), "merge": (0.1, 5),
        "dispatch": (0.05, 1), "acknowledge": (0.1, 3), "return": (0.3, 4),
        "resolve": (0.5, 14), "verify": (0.2, 6), "fail": (0.2, 6), "close": (0.1, 3),
        "rate": (1, 40), "reopen": (1, 20), "hold": (0.5, 8), "unhold": (16, 80),
        "ext": (1, 8)}
# Handling steps take a share of the category's handling limit instead; one resolution in
# SLOW_SHARE takes SLOW_FACTOR times longer, which is what makes some cases late.
HANDLING_SHARE = {"acknowledge": (0.01, 0.08), "resolve": (0.1, 0.6), "verify": (0.02, 0.12),
                  "fail": (0.02, 0.12), "close": (0.01, 0.06)}
SLOW_SHARE = 0.2
SLOW_FACTOR = 1.8
NOTES = {"dispatch": ("请尽快处理。", "请按时限处置并上传照片。", ""),
         "acknowledge": ("已签收，安排人员上门。", "已签收。"),
         "verify": ("现场核查，问题已解决。", "已回访居民，确认解决。"),
         "close": ("结案。", "处置到位，予以结案。"), "reject": REJECT_NOTES,
         "hold": HOLD_NOTES, "fail": FAIL_NOTES,
         "reopen": REOPEN_NOTES, "unhold": ("已明确责任单位，恢复办理。",)}
EXTRA_TIME = {LimitUnit.WORK_DAYS: Decimal(2), LimitUnit.WORK_HOURS: Decimal(4),
              LimitUnit.CLOCK_HOURS: Decimal(2)}


# --- photos -------------------------------------------------------------------------------

def jpegs() -> list[bytes]:
    """Three small made-up scenes: a grey wall with a red patch, a green verge, a door."""
    out = []
    scenes = [((128, 132, 138), (196, 64, 48)), ((96, 124, 84), (222, 210, 96)),
              ((150, 138, 118), (70, 66, 60))]
    for background, accent in scenes:
        image = Image.new("RGB", (480, 360), background)
        draw = ImageDraw.Draw(image)
        draw.rectangle((150, 80, 330, 280), fill=accent)
        draw.ellipse((40, 250, 140, 330), outline=(240, 240, 240), width=6)
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        out.append(buffer.getvalue())
    return out


def uploads(photos: list[bytes], rng: random.Random, most: int) -> list[SimpleUploadedFile]:
    chosen = rng.sample(range(len(photos)), rng.randint(1, most))
    return [SimpleUploadedFile(f"photo-{i}.jpg", photos[i], content_type="image/jpeg")
            for i in chosen]
