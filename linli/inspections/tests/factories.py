"""Builders for inspection tests. Inspections and orders are made through the real
services; targets and campaigns are rows as the services would write them.

The world (linli/conftest.py): gina is the grid worker of grid A1, alice the dispatcher of
community A, bob of community B, leo the street's leader.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from linli.inspections import services
from linli.inspections.models import (
    Campaign,
    CampaignItem,
    Order,
    Result,
    SeverityLimit,
    Target,
    Template,
    TemplateItem,
)
from linli.inspections.services import AnswerInput, InspectionInput
from linli.inspections.shipped import ship_defaults
from linli.orgs.models import AreaKind

GAS = "燃气安全检查表"
# A point in the demo street (Wuhan, Jianghan) and one about 30 m / 200 m from it.
LAT, LNG = Decimal("30.575000"), Decimal("114.290000")
NEAR = (Decimal("30.575270"), Decimal("114.290000"))
FAR = (Decimal("30.576800"), Decimal("114.290000"))


def ship() -> None:
    ship_defaults(Template, TemplateItem, SeverityLimit)


def target(world, *, area=None, name="老王餐馆", kind="restaurant", operator="王建国",
           lat=LAT, lng=LNG, **fields) -> Target:
    area = area or world.building_a
    community = area.ancestor_of_kind(AreaKind.COMMUNITY)
    grid = area.ancestor_of_kind(AreaKind.GRID)
    return Target.objects.create(community=community, grid=grid, area=area,
                                 area_path=area.path, name=name, kind=kind,
                                 operator=operator, lat=lat, lng=lng, **fields)


def campaign(world, *, template=GAS, areas=None, name="燃气安全排查", days=14,
             starts_on=None, actor=None, target_kinds=None) -> Campaign:
    ship()
    chosen = Template.objects.get(name=template)
    areas = areas or [world.community_a]
    start = starts_on or timezone.localdate()
    paths = sorted(a.path for a in areas)
    from linli.orgs.models import Area
    from linli.orgs.paths import common_path
    holder = Area.objects.get(path=common_path(paths))
    row = Campaign.objects.create(
        name=name, topic=chosen.topic, template=chosen, area=holder, area_path=holder.path,
        target_kinds=target_kinds or [], starts_on=start, ends_on=start + timedelta(days=days),
        created_by=actor or world.alice)
    row.areas.set(areas)
    for item in chosen.items.filter(is_active=True):
        CampaignItem.objects.create(campaign=row, template_item=item, position=item.position,
                                    text=item.text, severity=item.severity,
                                    requirement=item.requirement)
    return row


PLAN = {"measures": "停用并更换", "responsibility": "王建国", "funds": "经营者自筹 2000 元",
        "contingency": "发现泄漏立即关阀、开窗、疏散并拨打燃气抢修电话"}


def answers(c: Campaign, *, fail=(), na=(), note="软管老化开裂") -> list[AnswerInput]:
    """Every item of the campaign answered: the items at positions `fail` failed (with a
    note, and the five fixes when major), those at `na` not applicable, the rest passed."""
    out = []
    for item in c.items.all():
        if item.position in fail:
            answer = AnswerInput(item_id=item.pk, result=Result.FAIL, note=note)
            if item.severity == "major":
                answer.measures, answer.responsibility = PLAN["measures"], PLAN["responsibility"]
                answer.funds, answer.contingency = PLAN["funds"], PLAN["contingency"]
            out.append(answer)
        else:
            result = Result.NOT_APPLICABLE if item.position in na else Result.PASS
            out.append(AnswerInput(item_id=item.pk, result=result))
    return out


def inspect(world, c: Campaign, t: Target, *, actor=None, fail=(1,), key="", now=None,
            **data):
    data = {"acknowledged_name": "王建国", **data}
    given = InspectionInput(answers=answers(c, fail=fail), **data)
    return services.inspection_submit(actor=actor or world.gina, campaign=c, target=t,
                                      data=given, idempotency_key=key, now=now).inspection


def order(world, *, position=1, now=None, **kw) -> Order:
    """One issued order: a new target in grid A1 inspected by gina with item `position`
    of the gas checklist failed."""
    c = kw.pop("campaign", None) or campaign(world)
    t = kw.pop("target", None) or target(world, name=f"商铺{Target.objects.count() + 1}")
    inspection = inspect(world, c, t, fail=(position,), now=now, **kw)
    return inspection.orders.get()
