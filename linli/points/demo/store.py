"""The demo's points store (爱心超市): a stocked catalogue in every community, the earning
rules, and redemptions in every state for residents who have points.

Runs after the volunteering demo, which pays residents for confirmed work. Residents the
store demo needs who have too few points get a staff grant (key "demo.grant:<username>")
of the difference, so the statement shows where every point came from. Notifications
are muted: these redemptions happened "before" the demo starts.
"""

from django.contrib.auth import get_user_model

from linli.accounts.models import Role, RoleAssignment
from linli.core.demo import DemoContext
from linli.core.tasks import tasks_muted
from linli.orgs.models import Area, AreaKind
from linli.points.catalogue import item_create
from linli.points.models import Account, AccountKind, EarningRule, EntryKind, StoreItem
from linli.points.rules import earning_rule_create
from linli.points.services import account_for, posting
from linli.points.store import redemption_cancel, redemption_complete, redemption_place

User = get_user_model()

# name, kind, price, stock, monthly limit per person, description
CATALOGUE = [
    ("大米 5kg", "goods", 200, 20, 2, "东北大米，每袋5公斤"),
    ("食用油 1.8L", "goods", 150, 15, 1, "压榨花生油"),
    ("洗衣液 2kg", "goods", 60, 30, None, ""),
    ("酱油 500ml", "goods", 30, 40, None, ""),
    ("毛巾两条装", "goods", 40, 25, None, ""),
    ("理发服务", "service", 80, 10, 1, "社区理发志愿队，每周三上午"),
    ("家电维修", "service", 120, 8, 1, "小家电上门检修一次（不含配件）"),
]
# action, points per unit, cap, cap period
RULES = [
    ("volunteer_hour", 10, 200, "month"),
    ("activity_attendance", 5, 50, "month"),
    ("adopted_proposal", 50, 200, "year"),
    ("mediation_help", 20, 100, "month"),
    ("meeting_attendance", 5, 30, "month"),
]
TOP_UP = 800  # enough for the redemptions below


def _desk(community: Area):
    """Someone who may run the community's store: its dispatcher, else an administrator."""
    row = RoleAssignment.objects.filter(role=Role.DISPATCHER, area=community).first()
    return row.user if row else User.objects.filter(is_superuser=True).first()


def _residents(community: Area) -> list:
    """The community's residents, those with the most points (from volunteering) first."""
    rows = (RoleAssignment.objects.filter(role=Role.RESIDENT,
                                          area__path__startswith=community.path)
            .select_related("user").order_by("user__username"))
    people = list({row.user.pk: row.user for row in rows}.values())
    balances = dict(Account.objects.filter(kind=AccountKind.RESIDENT, community=community)
                    .values_list("owner_id", "balance"))
    return sorted(people, key=lambda user: -balances.get(user.pk, 0))


def _stock(community: Area, desk) -> dict[str, StoreItem]:
    items = {}
    for name, kind, price, stock, limit, description in CATALOGUE:
        items[name] = item_create(actor=desk, community=community, name=name, kind=kind,
                                  price_points=price, stock=stock, per_person_limit=limit,
                                  description=description)
    return items


def _rules(community: Area, desk) -> None:
    # The volunteering demo may already have set some up.
    existing = set(EarningRule.objects.filter(community=community)
                   .values_list("action", flat=True))
    for action, points, cap, period in RULES:
        if action not in existing:
            earning_rule_create(actor=desk, community=community, action=action,
                                points_per_unit=points, cap=cap, cap_period=period)


def _top_up(community: Area, resident, desk) -> None:
    account = account_for(kind=AccountKind.RESIDENT, community=community, owner=resident)
    if account.balance < TOP_UP:
        posting(key=f"demo.grant:{resident.username}", kind=EntryKind.GRANT,
                debit=account_for(kind=AccountKind.ISSUER, community=community),
                credit=account, amount=TOP_UP - account.balance, actor=desk,
                memo="社区积分启动奖励", source="demo")


def _redemptions(items: dict[str, StoreItem], people: list, desk) -> None:
    first, second = people[0], people[-1]
    place = redemption_place
    place(actor=first, item=items["大米 5kg"], quantity=1, key="demo-1")  # waits at the desk
    haircut = place(actor=first, item=items["理发服务"], quantity=1, key="demo-2")
    redemption_complete(actor=desk, redemption=haircut)
    oil = place(actor=second, item=items["食用油 1.8L"], quantity=1, key="demo-3")
    redemption_cancel(actor=second, redemption=oil)
    repair = place(actor=second, item=items["家电维修"], quantity=1, key="demo-4")
    redemption_cancel(actor=desk, redemption=repair, note="维修师傅本月排满，请下月再约")
    place(actor=second, item=items["洗衣液 2kg"], quantity=2, key="demo-5")  # waits
    soap = place(actor=first, item=items["酱油 500ml"], quantity=1, key="demo-6")
    redemption_complete(actor=desk, redemption=soap)


def demo_store() -> None:
    with tasks_muted():
        for community in Area.objects.filter(kind=AreaKind.COMMUNITY).order_by("path"):
            desk = _desk(community)
            if desk is None:
                continue
            _rules(community, desk)
            items = _stock(community, desk)
            people = _residents(community)[:2]
            if not people:
                continue
            for resident in people:
                _top_up(community, resident, desk)
            _redemptions(items, people, desk)


def demo_step_store(demo: DemoContext) -> None:
    demo_store()


DEMO_STEPS = [(80, demo_step_store)]
