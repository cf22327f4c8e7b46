"""The demo's notices in 花楼社区: a pinned policy notice, a safety tip, an outage for one
building, an urgent gas-leak check read by some households and not by many (`resident`'s
household not yet: the walk reads it), a scheduled one for tomorrow, an expired one, a
withdrawn one and one for the care group of elderly living alone. Made by the real
services with times in the past; marked delivered so that nobody is notified."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from linli.accounts.models import Role
from linli.community import services
from linli.community.models import Notice, NoticeKind
from linli.community.selectors_notices import audience_households
from linli.core.tasks import tasks_muted
from linli.people.models import CareTag


def _resident_logins(community) -> list:
    return list(get_user_model().objects.filter(
        assignments__role=Role.RESIDENT, assignments__area__path__startswith=community.path,
        resident_record__moved_out__isnull=True).distinct().order_by("pk"))


def _publish(author, notice: Notice, at) -> Notice:
    services.notice_transition(actor=author, notice=notice, action="publish", now=at)
    notice.refresh_from_db()
    if notice.publish_at <= timezone.now():  # delivered then: nobody is told now
        Notice.objects.filter(pk=notice.pk).update(
            delivered_at=notice.publish_at, audience=audience_households(notice).count())
    return notice


def demo_notices(demo) -> None:
    User = get_user_model()
    community = demo.tree.communities[0]
    author = User.objects.get(username="dispatcher")
    now = timezone.now()
    ago = lambda **kw: now - timedelta(**kw)  # noqa: E731

    def write(title, kind, body, *, at, area=None, **fields) -> Notice:
        notice = services.notice_create(actor=author, area=area or community, kind=kind,
                                        title=title, body=body, now=at, **fields)
        Notice.objects.filter(pk=notice.pk).update(created_at=at)
        return notice

    logins = _resident_logins(community)
    resident = User.objects.get(username="resident")
    with tasks_muted():
        policy = _publish(author, write(
            "2026年城乡居民医保缴费通知", NoticeKind.POLICY,
            "城乡居民医保集中缴费期至12月31日，可通过微信或社区服务站缴费。", at=ago(days=6),
            pinned=True), ago(days=6))
        safety = _publish(author, write(
            "冬季用电防火安全提示", NoticeKind.SAFETY,
            "请勿私拉电线给电动车充电，离家时关闭取暖器电源。", at=ago(days=3)), ago(days=3))
        dwelling = resident.resident_record.household.dwelling
        building = dwelling.ancestor_of_kind("building") or dwelling
        _publish(author, write(
            f"{building.name}明日停水通知", NoticeKind.OUTAGE,
            "因二次供水设备检修，明日9:00至15:00停水，请提前储水。", at=ago(days=1),
            area=building), ago(days=1))
        urgent = _publish(author, write(
            "燃气泄漏排查：请在家等候入户检查", NoticeKind.URGENT,
            "今日有居民报告闻到燃气味，燃气公司与网格员将逐户排查，请在家等候。",
            at=ago(hours=3)), ago(hours=3))
        scheduled = write("社区春晚节目征集", NoticeKind.EVENT,
                          "欢迎居民报名表演节目，明日起在社区服务站登记。",
                          at=ago(hours=1), publish_at=now + timedelta(days=1))
        services.notice_transition(actor=author, notice=scheduled, action="publish",
                                   now=ago(hours=1))
        _publish(author, write("国庆假期服务站值班安排", NoticeKind.POLICY,
                               "国庆假期服务站每日9:00至12:00值班。", at=ago(days=70),
                               expires_at=ago(days=60)), ago(days=70))
        withdrawn = _publish(author, write("错误的停电时间", NoticeKind.OUTAGE,
                                           "本周六全天停电。", at=ago(days=2)), ago(days=2))
        services.notice_transition(actor=author, notice=withdrawn, action="withdraw",
                                   note="停电时间有误，已另行通知。", now=ago(days=2, hours=-1))
        lonely = CareTag.objects.filter(code="lonely_elderly").first()
        if lonely is not None:
            _publish(author, write("独居老人冬季关爱走访", NoticeKind.EVENT,
                                   "网格员本周将上门走访，请保持电话畅通。",
                                   at=ago(days=2), care_tag=lonely), ago(days=2))
        others = [u for u in logins if u.pk != resident.pk]
        for i, user in enumerate(others):
            services.notice_read(actor=user, notice=urgent, now=ago(hours=2))
            if i % 2 == 0:
                services.notice_read(actor=user, notice=policy, now=ago(days=5))
                services.notice_read(actor=user, notice=safety, now=ago(days=2))
        services.notice_read(actor=resident, notice=policy, now=ago(days=5))
