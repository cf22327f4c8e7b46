"""The demo's honour boards in 花楼社区: one board per kind with approved entries (the black
list names a property company for blocking a fire lane, with its reply recorded, and the
behaviour 高空抛物), nominations by `resident`, one waiting for staff to approve. Made by
the real services with times in the past, notifying nobody."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from linli.community.models import Board, BoardKind, HonourEntry, Period
from linli.community.services import honours as services
from linli.core.tasks import tasks_muted

User = get_user_model()


def _user(username: str):
    return User.objects.get(username=username)


def _approved(board: Board, actor, staff, when, **fields) -> HonourEntry:
    made = services.entry_nominate(actor=actor, board=board, now=when,
                                   period=timezone.localdate(when), **fields)
    services.entry_transition(actor=staff, entry=made, action="approve",
                              now=when + timedelta(hours=5))
    made.refresh_from_db()
    return made


def demo_honours(demo) -> None:
    tree = demo.tree
    huanglou = tree.communities[0]
    staff, resident = _user("dispatcher"), _user("resident")
    now = timezone.now()
    day = timedelta(days=1)
    with tasks_muted():
        boards = {kind: services.board_create(actor=staff, area=huanglou, kind=kind,
                                              title=title, period=period)
                  for kind, title, period in [
                      (BoardKind.GOOD_DEEDS, "善行义举榜", Period.MONTH),
                      (BoardKind.RED, "红榜", Period.MONTH),
                      (BoardKind.BLACK, "黑榜", Period.MONTH),
                      (BoardKind.FAMILIES, "最美家庭", Period.QUARTER),
                      (BoardKind.LEADERS, "优秀楼栋长", Period.QUARTER)]}
        Board.objects.filter(pk__in=[b.pk for b in boards.values()]).update(
            created_at=now - 60 * day)
        good = boards[BoardKind.GOOD_DEEDS]
        _approved(good, resident, staff, now - 3 * day, subject_kind="person",
                  subject_name="王秀英",
                  reason="十年如一日照顾楼上独居的李奶奶，买菜送药从不间断。")
        _approved(good, staff, staff, now - 36 * day, subject_kind="behaviour",
                  subject_name="拾金不昧", reason="环卫工人在花楼街捡到装有现金的钱包，交还失主。")
        services.entry_nominate(actor=resident, board=good, subject_kind="person",
                                subject_name="刘师傅", now=now - timedelta(hours=2),
                                reason="义务为小区老人修理电器，分文不取。")
        red = boards[BoardKind.RED]
        _approved(red, staff, staff, now - 5 * day, subject_kind="service",
                  unit=tree.units["repair"], reason="暴雨夜两小时内抢修爆裂水管，恢复全楼供水。")
        black = boards[BoardKind.BLACK]
        lane = _approved(black, staff, staff, now - 6 * day, subject_kind="unit",
                         unit=tree.units["property_a"],
                         reason="花楼小区3栋旁消防通道长期被杂物和车辆堵塞，经多次提醒未整改。")
        services.reply_add(actor=_user("property"), entry=lane, now=now - 4 * day,
                           text="已于本周清理通道并设置禁停标识，今后每日巡查。")
        _approved(black, resident, staff, now - 8 * day, subject_kind="behaviour",
                  subject_name="高空抛物", reason="5栋多次有人从高层抛下垃圾袋，险些砸中行人。")
        _approved(boards[BoardKind.FAMILIES], resident, staff, now - 10 * day,
                  subject_kind="household", subject_name="陈家（2栋）",
                  reason="三代同堂，孝老爱亲，积极参加社区志愿服务。")
        _approved(boards[BoardKind.LEADERS], staff, staff, now - 12 * day,
                  subject_kind="person", subject_name="赵建国",
                  reason="及时上报楼栋隐患，组织邻里清理楼道杂物。")
