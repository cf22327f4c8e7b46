"""The demo's contact households (党员联系户), after the shared base of demo.py: each member
keeps in touch with 3–5 households of their branch's area (a few with fewer: short of
contacts), visited over the last six months through the services, about 70 % this month,
some overdue; a few visits raised a case or a wish. member_a keeps in touch with four
households, one of them overdue."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from linli.core.errors import ApplicationError
from linli.party.models import Member, Organisation
from linli.party.services.contacts import (
    Raise,
    contact_assign,
    contact_visit_raise,
    contact_visit_record,
)

RAISED = ["老人身体还好，子女每周回来", "反映楼道灯不亮，晚上出门不便", "询问医保报销的办法",
          "希望小区多安排几次义诊", "家里水管有点渗水", "孩子上学接送有困难",
          "对物业打扫卫生满意", "想报名社区的书法班", "反映楼下夜市噪音大", "一切安好，没有诉求",
          "询问老年助餐点的开放时间", "希望有人帮忙修一下门锁"]
CASE_TEXT = "楼道灯不亮，晚上出门不便"
WISH_TEXT = "希望有志愿者帮忙修一下门锁"


def _branch_of(member: Member) -> Organisation | None:
    row = (member.memberships.filter(until__isnull=True, organisation__kind="branch")
           .select_related("organisation").first())
    return row.organisation if row is not None else None


def _households(org: Organisation, own_household_id: int | None) -> list:
    from linli.people.models import Household

    return list(Household.objects.filter(area_path__startswith=org.area_path)
                .exclude(pk=own_household_id or 0).order_by("pk"))


def _visit_days(rng: random.Random, today: date, since: date, overdue: bool) -> list[date]:
    """One visit in most of the last six months; this month about 70 %; an overdue
    contact's last visit lies two months back."""
    days = []
    for back in range(6, -1, -1):
        first = (today.replace(day=1) - timedelta(days=31 * back)).replace(day=1)
        if overdue and back < 2:
            continue
        if back == 0 and rng.random() > 0.8:
            continue
        if back > 0 and rng.random() > 0.85:
            continue
        last = today if back == 0 else first + timedelta(days=27)
        # Last month's visit late in it, so that only a skipped month makes one overdue.
        earliest = first + timedelta(days=12 if back == 1 else 0)
        day = earliest + timedelta(days=rng.randint(0, max(0, (last - earliest).days)))
        if since <= day <= today:
            days.append(day)
    return days


def _case_category():
    from linli.cases.models import Category

    return (Category.objects.filter(is_active=True).exclude(triage="")
            .order_by("code").first())


def _visit(member: Member, assignment, day: date, rng: random.Random, today: date,
           category) -> None:
    user = member.user
    raised = rng.choice(RAISED)
    also = None
    if day == today or (today - day).days < 5:
        roll = rng.random()
        if roll < 0.12 and category is not None:
            also, raised = Raise(kind="case", text=CASE_TEXT, category=category), CASE_TEXT
        elif roll < 0.2:
            start = timezone.make_aware(datetime.combine(today + timedelta(days=2), time(9)))
            also = Raise(kind="wish", text=WISH_TEXT, wish_category="repairs",
                         starts_at=start, ends_at=start + timedelta(days=5))
            raised = WISH_TEXT
    if also is not None:
        try:
            contact_visit_raise(actor=user, assignment=assignment, visited_on=day,
                                way="home", raised=raised, also=also)
            return
        except ApplicationError:
            pass  # a demo raise refused: the visit alone
    contact_visit_record(actor=user, assignment=assignment, visited_on=day,
                         way=rng.choice(["home", "home", "phone"]), raised=raised)


def demo_contacts(demo) -> None:
    rng = random.Random(20)
    today = demo.today
    category = _case_category()
    taken: set[int] = set()
    # member_a first, so the households of their branch are not all given away before.
    members = sorted(demo.members, key=lambda m: m.user is None
                     or m.user.username != "member_a")
    for index, member in enumerate(members):
        if member.user is None or member.resident is None:
            continue
        org = _branch_of(member)
        if org is None:
            continue
        staff = demo.staff.get(member.community.name)
        if staff is None:
            continue
        is_a = member.user.username == "member_a"
        wanted = 4 if is_a else (2 if index % 9 == 4 else rng.randint(3, 5))
        homes = [h for h in _households(org, member.resident.household_id)
                 if h.pk not in taken][:wanted]
        for n, home in enumerate(homes):
            taken.add(home.pk)
            since = today - timedelta(days=200)
            assignment = contact_assign(actor=staff, member=member, household=home,
                                        organisation=org, since=since)
            overdue = (n == 0) if is_a else rng.random() < 0.12
            for day in _visit_days(rng, today, since, overdue):
                if is_a and not overdue and day.month == today.month:
                    continue  # member_a's this-month visits are added below
                _visit(member, assignment, day, rng, today, category)
            if is_a and not overdue:
                contact_visit_record(actor=member.user, assignment=assignment,
                                     visited_on=today, way="home", raised=rng.choice(RAISED))

