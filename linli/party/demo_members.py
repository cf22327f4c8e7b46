"""The demo's posts, dual registrations and service hours (after the shared base of
demo.py), written through the services as party staff and the members would.

In each community: five posts (设岗定责); of its ten in-service members, two have reported
and wait for a decision, one was declined, the rest were accepted with posts and have
service records over the year — every third of them too few, so the service page shows
who is behind the target. The `member` login has no member record yet (the walk has them
report to the community)."""

from datetime import date, timedelta

from linli.party.models import MemberKind
from linli.party.services.members import registration_report, registration_transition
from linli.party.services.posts import post_create, service_record

POSTS = [("楼栋长", "联系本楼栋住户，收集诉求，协助网格员开展工作。", None),
         ("政策宣传员", "宣传惠民政策，每月入户或线上宣讲一次。", 4),
         ("矛盾调解员", "参与邻里纠纷调解，配合人民调解委员会。", 3),
         ("文明督导员", "督导垃圾分类、文明养犬和楼道整洁。", None),
         ("志愿服务岗", "参加社区志愿服务活动，每季度不少于两次。", None)]
WHAT = ["入户走访宣传", "楼道环境督导", "参加周末志愿服务", "协助调解邻里纠纷", "值守疫苗接种点"]


def _service(staff, member, posts, today: date, few: bool) -> None:
    """Roughly every five weeks since January; a member who does few serves every third."""
    day = date(today.year, 1, 8) + timedelta(days=member.pk % 7)
    n = 0
    while day <= today:
        if not few or n % 3 == 0:
            service_record(actor=staff, member=member, served_on=day,
                           hours=2 + (member.pk + n) % 3, what=WHAT[n % len(WHAT)],
                           post=posts[n % len(posts)])
        n += 1
        day += timedelta(days=35)


def _community_step(demo, community, staff) -> None:
    posts = [post_create(actor=staff, community=community, name=name, duties=duties,
                         places=places) for name, duties, places in POSTS]
    in_service = [m for m in demo.members
                  if m.community_id == community.pk and m.kind == MemberKind.IN_SERVICE
                  and m.user_id is not None]
    for index, member in enumerate(in_service):
        chosen = [posts[index % len(posts)], posts[(index + 2) % len(posts)]]
        made = registration_report(actor=member.user, employer=member.employer,
                                   employer_org=f"{member.employer}机关党支部",
                                   posts=chosen)
        if index == 2:
            registration_transition(actor=staff, registration=made, action="decline",
                                    note="工作单位证明未附，请补充后重新报到。")
        elif index > 2:
            registration_transition(actor=staff, registration=made, action="accept")
            _service(staff, member, chosen, demo.today, few=index % 3 == 0)
        # index 0 and 1 wait for a decision, reported in the last few days
        _backdate(made, demo.today - timedelta(days=3 + index if index < 2 else 300 - 20 * index))


def _backdate(registration, day) -> None:
    """The demo's registrations were made over the year, not all today: their report
    date, and for an accepted one the posts it gave, date from `day`."""
    from datetime import datetime, time

    from django.utils import timezone

    from linli.party.models import DualRegistration, PostHolding

    moment = timezone.make_aware(datetime.combine(day + timedelta(days=2), time(10)))
    DualRegistration.objects.filter(pk=registration.pk).update(reported_on=day)
    DualRegistration.objects.filter(pk=registration.pk, accepted_at__isnull=False).update(
        accepted_at=moment)
    PostHolding.objects.filter(member_id=registration.member_id).update(
        since=day + timedelta(days=2))


def demo_members(demo) -> None:
    for committee in demo.committees.values():
        community = committee.area
        staff = demo.staff.get(community.name)
        if staff is not None:
            _community_step(demo, community, staff)
