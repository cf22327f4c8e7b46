"""The demo's safety inspections: about 150 targets in the street's six grids, two campaigns
and a monthly safety check-up day, walked through the real services with the clock set in
the past.

- 冬季燃气安全排查 (gas, the whole street, restaurants, shops, workshops and buildings) ran
  from 40 to 12 days ago: every target was inspected, and its orders are now in every
  state — signed off after the re-check, rectified and waiting for it, rejected at the
  re-check and reissued, overdue, escalated to the community with the gas company told, and
  one major hazard raised as a case.
- 消防安全排查 (fire, community 花楼) runs now: about half its targets are inspected, the
  rest wait on the grid workers' lists.
- 安全体检日 (the check-up of lifts, gas risers and fire equipment) recurs on the first Monday
  of every month.

Seeded: the same targets, answers and states whatever day the demo is loaded. Loading
notifies nobody (old history).
"""

import io
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from linli.accounts.models import User
from linli.cases.models import Category
from linli.core.demo import DemoContext
from linli.core.images import CleanImage, image_clean
from linli.core.tasks import tasks_muted
from linli.inspections import services, supervision
from linli.inspections.models import (
    Campaign,
    Order,
    Result,
    Severity,
    SeverityLimit,
    Target,
    TargetKind,
    Template,
    TemplateItem,
)
from linli.inspections.services import AnswerInput, InspectionInput
from linli.inspections.shipped import ship_defaults
from linli.orgs.demo import DemoTree
from linli.orgs.models import Area, AreaKind

SEED = 1414

# Premises per grid besides its estates and buildings: (kind, names to draw from).
PREMISES: list[tuple[str, list[str]]] = [
    (TargetKind.RESTAURANT, ["老王热干面", "蔡林记", "四季美汤包", "小李烧烤", "湘味小厨",
                             "福记餐馆", "粤海茶餐厅", "重庆老火锅", "兰州拉面"]),
    (TargetKind.SHOP, ["好邻居便利店", "平价超市", "五金杂货", "新华书屋", "惠民药店",
                       "鲜果铺", "日用百货", "电动车维修", "理发店"]),
    (TargetKind.WORKSHOP, ["裁缝铺", "小家电维修", "印刷小作坊", "面点加工坊"]),
    (TargetKind.LIFT, ["1栋电梯", "2栋电梯"]),
    (TargetKind.PUBLIC, ["社区活动室", "老年食堂", "垃圾分类亭"]),
]
PER_GRID = 19  # premises per grid: with 2 estates and 4 buildings, 25 targets a grid
OPERATORS = ["王建国", "李秀英", "张伟", "刘芳", "陈军", "杨静", "赵强", "黄丽", "周涛", "吴敏",
             "徐磊", "孙燕", "马超", "朱红", "胡斌", "郭丽娟"]
NOTES = {
    "fail": ["现场发现问题，已当面告知经营者", "已拍照留存，要求限期整改", "经营者表示尽快整改",
             "隐患明显，已口头警示"],
    "rectify": ["已按要求整改，附整改后照片", "已更换并经物业确认", "经营者已自行整改完毕"],
    "sign_off": ["现场复查合格，同意销号", "复查整改到位"],
    "reject": ["复查发现未整改到位，重新下达", "整改不彻底，仍存在隐患"],
    "escalate": ["逾期未整改，上报社区并通知主管单位", "经营者拒不整改，提请联合执法"],
}


def _photo(rng: random.Random, label: str) -> CleanImage:
    """A small coloured picture standing for a site photo (the demo has no camera)."""
    image = Image.new("RGB", (480, 360), tuple(rng.randint(60, 200) for _ in range(3)))
    ImageDraw.Draw(image).rectangle((40, 40, 440, 320), outline=(255, 255, 255), width=6)
    ImageDraw.Draw(image).text((60, 60), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return image_clean(out.getvalue(), "demo.jpg")


def _user(username: str) -> User:
    return User.objects.get(username=username)


class Walk:
    """The demo's people and clock."""

    def __init__(self, tree: DemoTree, now: datetime):
        self.tree, self.now, self.rng = tree, now, random.Random(SEED)
        a, b = tree.communities
        self.grid_workers = dict(zip([g.pk for g in tree.grids],
                                     [_user(n) for n in ("grid", "grid_a2", "grid_a3",
                                                         "grid_b", "grid_b2", "grid_b3")],
                                     strict=True))
        self.dispatchers = {a.pk: _user("dispatcher"), b.pk: _user("dispatcher_b")}
        self.property = {a.pk: _user("property"), b.pk: _user("property_b")}
        self.leader = _user("leader")

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    # --- targets ---------------------------------------------------------------------------

    def targets(self) -> list[Target]:
        made = []
        for grid in self.tree.grids:
            estates = list(Area.objects.filter(parent=grid, kind=AreaKind.ESTATE).order_by("id"))
            actor = self.grid_workers[grid.pk]
            for estate in estates:
                made.append(self._target(actor, estate, estate.name, TargetKind.ESTATE))
                for building in Area.objects.filter(parent=estate).order_by("id"):
                    made.append(self._target(actor, building, f"{estate.name}{building.name}",
                                             TargetKind.BUILDING))
            kinds = [kind for kind, names in PREMISES for _name in names]
            for i in range(PER_GRID):
                kind = kinds[(i * 7 + grid.pk) % len(kinds)]
                names = dict(PREMISES)[kind]
                estate = estates[i % len(estates)]
                name = f"{names[(i + grid.pk) % len(names)]}（{estate.name}{i + 1:02d}号）"
                made.append(self._target(actor, estate, name, kind))
        return made

    def _target(self, actor, area: Area, name: str, kind: str) -> Target:
        rng = self.rng
        operator = "" if kind in (TargetKind.ESTATE, TargetKind.BUILDING) else rng.choice(
            OPERATORS)
        if kind in (TargetKind.ESTATE, TargetKind.BUILDING, TargetKind.LIFT):
            operator = "花楼物业服务中心" if area.path.startswith(
                self.tree.communities[0].path) else "水塔物业服务中心"
        lat = (area.lat or Decimal("30.58")) + Decimal(rng.randint(-60, 60)) / 100000
        lng = (area.lng or Decimal("114.28")) + Decimal(rng.randint(-60, 60)) / 100000
        contact = rng.choice(OPERATORS)
        return services.target_create(
            actor=actor, area=area, name=name, kind=kind, address=f"{area.full_name()}",
            operator=operator, contact_name=contact,
            contact_phone=f"139{rng.randint(10000000, 99999999)}", lat=lat, lng=lng)

    # --- campaigns ---------------------------------------------------------------------

    def campaigns(self) -> tuple[Campaign, Campaign]:
        gas = Template.objects.get(topic="gas", name="燃气安全检查表")
        fire = Template.objects.get(topic="fire", name="消防安全检查表")
        start = self.days_ago(40)
        winter = services.campaign_create(
            actor=self.leader, name="冬季燃气安全排查", template=gas,
            areas=list(self.tree.communities), starts_on=start.date(),
            ends_on=(start + timedelta(days=28)).date(),
            target_kinds=list(gas.target_kinds), now=start)
        a = self.tree.communities[0]
        begun = self.days_ago(9)
        december = services.campaign_create(
            actor=self.dispatchers[a.pk], name="消防安全排查", template=fire, areas=[a],
            starts_on=begun.date(), ends_on=(begun + timedelta(days=30)).date(), now=begun)
        checkup = Template.objects.get(topic="checkup")
        services.schedule_create(
            actor=self.leader, name="安全体检日", template=checkup,
            areas=list(self.tree.communities), ordinal=1, weekday=0, every_months=1,
            duration_days=5, target_kinds=list(checkup.target_kinds), now=self.now)
        return winter, december

    # --- inspections -------------------------------------------------------------------

    def inspect(self, campaign: Campaign, target: Target, at: datetime, fails: int) -> None:
        rng = self.rng
        items = list(campaign.items.all())
        failing = set(rng.sample([i.pk for i in items], k=min(fails, len(items))))
        answers = []
        for item in items:
            if item.pk not in failing:
                result = Result.NOT_APPLICABLE if rng.random() < 0.08 else Result.PASS
                answers.append(AnswerInput(item_id=item.pk, result=result))
                continue
            answer = AnswerInput(item_id=item.pk, result=Result.FAIL,
                                 note=rng.choice(NOTES["fail"]),
                                 clean_photos=[_photo(rng, f"finding {item.position}")])
            if item.severity == Severity.MAJOR:
                answer.measures = item.requirement
                answer.responsibility = target.operator or "物业服务中心"
                answer.funds = "由经营者（产权人）自筹"
                answer.contingency = "整改完成前停止使用，配备灭火器，发现异常立即疏散并报警"
            answers.append(answer)
        owner = "" if not failing else rng.choice(OPERATORS)
        responsible = None
        if target.kind in (TargetKind.ESTATE, TargetKind.BUILDING, TargetKind.LIFT):
            responsible = self.property[target.community_id].pk
        data = InspectionInput(answers=answers, acknowledged_name=owner,
                               responsible_party=target.operator or "物业服务中心",
                               responsible_user_id=responsible, lat=target.lat,
                               lng=target.lng)
        services.inspection_submit(actor=self.grid_workers[target.grid_id or 0],
                                   campaign=campaign, target=target, data=data, now=at)

    # --- the orders' lives ---------------------------------------------------------------

    def move(self, order: Order, action: str, actor: User, at: datetime, **data) -> None:
        note = self.rng.choice(NOTES[action]) if action in NOTES else ""
        services.order_transition(actor=actor, order=order, action=action, note=note, now=at,
                                  **data)

    def rectify(self, order: Order, at: datetime) -> None:
        actor = (User.objects.get(pk=order.responsible_user_id) if order.responsible_user_id
                 else self.grid_workers[order.grid_id or 0])
        self.move(order, "rectify", actor, at,
                  before=[_photo(self.rng, "before")], after=[_photo(self.rng, "after")])

    def recheck(self, order: Order, action: str, at: datetime) -> None:
        """The community's dispatcher re-checks on site (never who rectified it)."""
        target = order.target
        data = {"lat": target.lat, "lng": target.lng} if action == "sign_off" else {}
        self.move(order, action, self.dispatchers[order.community_id], at, **data)

    def lives(self, orders: list[Order]) -> None:
        """Walk each order of the ended campaign to a state: most rectified and signed off,
        some waiting for the re-check, some rejected at it, the rest left to run late."""
        rng = self.rng
        for i, order in enumerate(orders):
            issued = order.issued_at
            fate = ("closed", "closed", "closed", "rectified", "closed", "rejected",
                    "late", "closed", "rectified", "late")[i % 10]
            if order.due_at > self.now and fate == "late":
                fate = "open"  # a major hazard's long deadline: still running
            if fate in ("closed", "rectified", "rejected"):
                fixed = issued + timedelta(days=rng.uniform(1, 6))
                self.rectify(order, fixed)
                if fate == "closed":
                    self.recheck(order, "sign_off", fixed + timedelta(days=rng.uniform(0.2, 2)))
                elif fate == "rejected":
                    self.recheck(order, "reject", fixed + timedelta(days=1))
            order.refresh_from_db()

    def late(self) -> None:
        """The sweep marks what ran past its deadline; the community escalates a few, and
        one major hazard becomes a case."""
        supervision.supervise_overdue(now=self.now)
        overdue = list(Order.objects.filter(state="overdue").order_by("id"))
        gas_unit = self.tree.units.get("gas")
        for order in overdue[::3]:
            self.move(order, "escalate", self.dispatchers[order.community_id], self.now,
                      competent_unit_id=gas_unit.pk if gas_unit else None)
        major = (Order.objects.filter(severity=Severity.MAJOR, case__isnull=True,
                                      state__in=["overdue", "escalated", "issued"])
                 .order_by("id").first())
        # 燃气安全隐患 (L2001) in the shipped category tree.
        category = Category.objects.filter(code="L2001", is_active=True).first()
        if major is not None and category is not None:
            services.order_raise_case(actor=self.dispatchers[major.community_id], order=major,
                                      category=category, note="重大燃气隐患，转案件联合处置",
                                      now=self.now)


def demo_inspections(tree: DemoTree, *, now: datetime | None = None) -> int:
    """Load the targets, campaigns, inspections and orders; returns how many orders."""
    ship_defaults(Template, TemplateItem, SeverityLimit)
    walk = Walk(tree, now or timezone.now())
    with tasks_muted():
        targets = walk.targets()
        winter, december = walk.campaigns()
        in_winter = [t for t in targets if t.kind in winter.target_kinds]
        for i, target in enumerate(in_winter):
            at = walk.days_ago(40 - (i * 26 / len(in_winter))) + timedelta(hours=9)
            walk.inspect(winter, target, at, fails=(0, 1, 0, 2, 1, 0, 3)[i % 7])
        walk.lives(list(Order.objects.filter(campaign=winter).order_by("issued_at", "id")))
        a = tree.communities[0]
        in_a = [t for t in targets if t.community_id == a.pk]
        for i, target in enumerate(in_a[::2]):  # every grid has some left to do
            at = walk.days_ago(8 - i * 7 / len(in_a)) + timedelta(hours=10)
            walk.inspect(december, target, at, fails=(0, 1, 0, 0, 2)[i % 5])
        for order in Order.objects.filter(campaign=december).order_by("id")[:4]:
            walk.rectify(order, min(order.issued_at + timedelta(days=1), walk.now))
        walk.late()
    return Order.objects.count()


def demo_step_inspections(demo: DemoContext) -> None:
    demo_inspections(demo.tree)


def demo_present() -> bool:
    return Target.objects.exists()


DEMO_STEPS = [(78, demo_step_inspections)]
