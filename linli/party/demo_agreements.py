"""The demo's co-building agreements and property ratings, after the shared base of demo.py.

- 花楼 × 武汉市第一医院: a monthly free clinic (two months missed) and a quarterly
  health lecture (one missed); 花楼 × 民族路小学: the playground open four weekends a
  month and a summer camp (all delivered); 水塔 × 水塔物业: a monthly clean-up (every
  third month missed). In December the rates come out near 81 %, 100 % and 67 %.
- Twelve months of ratings for every estate (8–15 households a month where it has them);
  one estate scored low last month (an open supervision item) and another four months
  ago (an item resolved since). The `resident` login's household has not rated this
  month: the walk does.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from linli.accounts.models import User
from linli.orgs.models import Area, AreaKind, Unit
from linli.party.models import SCORE_ITEMS, Frequency, PropertyRating
from linli.party.services import agreements as svc
from linli.party.services.property import (
    property_company,
    supervision_open_low,
    supervision_resolve,
)
from linli.people.models import Household, Resident

PROPERTY = "property"  # the community's own property company
Item = tuple[str, str, str, int, set[int]]  # what, for whom, how often, times, months missed
PLAN: list[tuple[str, str, str, list[Item]]] = [
    ("花楼社区", "武汉市第一医院", "花楼社区 × 武汉市第一医院 共建协议",
     [("义诊", "老年居民", Frequency.MONTHLY, 1, {3, 8}),
      ("健康讲座", "社区居民", Frequency.QUARTERLY, 1, {8})]),
    ("花楼社区", "民族路小学", "花楼社区 × 民族路小学 共建协议",
     [("周末开放操场", "社区青少年", Frequency.MONTHLY, 4, set()),
      ("暑期托管夏令营", "双职工家庭子女", Frequency.YEARLY, 1, set())]),
    ("水塔社区", PROPERTY, "水塔社区 × 水塔物业 环境共建协议",
     [("楼道清理", "全体住户", Frequency.MONTHLY, 1, {2, 5, 8, 11})]),
]


def _month_start(today: date, back: int) -> date:
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _deliver(staff: User, commitment, days: list[date], what: str, today: date) -> None:
    for day in days:
        if day <= today:
            svc.delivery_record(actor=staff, commitment=commitment, delivered_on=day,
                                given=what, people_served=20 + day.day, now=_at(today))


def _commitment_days(frequency: str, times: int, missed: set[int], year: int) -> list[date]:
    if frequency == Frequency.YEARLY:
        return [date(year, 7, 15)]
    months = range(1, 13) if frequency == Frequency.MONTHLY else (2, 5, 8, 11)
    return [date(year, m, 2 + 6 * k) for m in months if m not in missed for k in range(times)]


def _agreements(demo) -> None:
    today = demo.today
    start = date(today.year, 1, 1)
    for community_name, unit_name, title, items in PLAN:
        staff = demo.staff[community_name]
        community = Area.objects.get(kind=AreaKind.COMMUNITY, name=community_name)
        # The property company by what it is (its demo name may differ), others by name.
        unit = (property_company(community) if unit_name == PROPERTY
                else Unit.objects.get(name=unit_name))
        if unit is None:
            continue
        agreement = svc.agreement_create(
            actor=staff, community=community, unit=unit, title=title, signed_on=start,
            starts_on=start, ends_on=date(today.year, 12, 31),
            commitments=[svc.CommitmentIn(what=w, for_whom=f, frequency=q, times=t)
                         for w, f, q, t, _m in items], now=_at(today))
        for commitment, (what, _f, frequency, times, missed) in zip(
                agreement.commitments.order_by("position"), items, strict=True):
            _deliver(staff, commitment, _commitment_days(frequency, times, missed, today.year),
                     what, today)


def _rater(household: Household, fallback: User) -> User:
    person = (Resident.objects.filter(household=household, user__isnull=False)
              .select_related("user").first())
    return person.user if person is not None and person.user is not None else fallback


def _ratings(demo, low: dict[int, set[int]]) -> None:
    """Twelve past months per estate; `low`: estate pk → the months back that score low."""
    rng = random.Random(20)
    fallback = next(iter(demo.staff.values()))
    for estate in Area.objects.filter(kind=AreaKind.ESTATE).order_by("path"):
        unit = property_company(estate)
        households = list(Household.objects.filter(area_path__startswith=estate.path)
                          .order_by("pk")[:40])
        if unit is None or not households:
            continue
        raters = {h.pk: _rater(h, fallback) for h in households}
        rows = []
        for back in range(1, 13):
            month = _month_start(demo.today, back)
            base = 2 if back in low.get(estate.pk, set()) else 4
            for h in rng.sample(households, min(len(households), rng.randint(8, 15))):
                scores = {i: max(1, min(5, base + rng.choice((-1, 0, 0, 1)))) for i in SCORE_ITEMS}
                comment = "楼道垃圾清理不及时" if base == 2 and rng.random() < .5 else ""
                rows.append(PropertyRating(estate=estate, unit=unit, household=h,
                                           rated_by=raters[h.pk], month=month, comment=comment,
                                           area_path=estate.path, **scores))
        PropertyRating.objects.bulk_create(rows)


def demo_agreements(demo) -> None:
    _agreements(demo)
    estates = list(Area.objects.filter(kind=AreaKind.ESTATE).order_by("path"))
    if not estates:
        return
    low = {estates[0].pk: {1}, estates[-1].pk: {4}}
    _ratings(demo, low)
    # The older low month: opened when its month was swept, resolved since.
    older = _month_start(demo.today, 3)
    supervision_open_low(now=_at(older + timedelta(days=1)))
    from linli.party.models import PropertySupervision

    for item in PropertySupervision.objects.all():
        staff = next(iter(demo.staff.values()))
        for user in demo.staff.values():
            if item.area_path.startswith(_community_path(user)):
                staff = user
        supervision_resolve(actor=staff, item=item, note="约谈物业公司，增加保洁频次，已整改",
                            now=_at(older + timedelta(days=10)))
    supervision_open_low(now=_at(demo.today))  # last month: stays open


def _community_path(user: User) -> str:
    from linli.accounts import scope

    paths = scope.area_paths(user)
    return paths[0] if paths else "/nowhere/"
