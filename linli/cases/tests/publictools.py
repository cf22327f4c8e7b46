"""The setting of the public case tests (the `pw` fixture in cases/tests/conftest.py):
community A publishes to everyone, a second resident (ruth) in A, a resident (bea) of B,
and public and private cases in A."""

from decimal import Decimal

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, Publication
from linli.cases.services import case_report, case_transition
from linli.cases.tests.factories import category, route
from linli.orgs.tests.factories import make_area


def publish(community, *, anonymous: bool = True) -> Publication:
    return Publication.objects.update_or_create(community=community, defaults={
        "is_published": True, "anonymous_allowed": anonymous})[0]


def moved(case: Case, world, *steps: str) -> Case:
    actors = {"accept": world.alice, "dispatch": world.alice, "acknowledge": world.uma,
              "resolve": world.uma, "verify": world.gina, "close": world.alice,
              "reject": world.alice, "hold": world.alice}
    data = {"dispatch": {"unit": world.unit_a}, "resolve": {"note": "已修复，更换了水管"},
            "reject": {"note": "不属于受理范围"}, "hold": {"note": "等待物业维修基金审批（内部）"}}
    for step in steps:
        case = case_transition(actor=actors[step], case=case, action=step, **data.get(step, {}))
    return case


def public_world(world):
    """World plus: leak category routed in A; ruth (resident of A, another flat); bea
    (resident of B); rita's public leak reported at her home with a pin and a flat number;
    a private case; a case of a non-public category; community A published to everyone."""
    w = world
    w.leak = category()
    route(w.leak, w.community_a, w.unit_a)
    w.secret_cat = category("L1099", name_zh="家庭矛盾", is_public=False)
    route(w.secret_cat, w.community_a, w.unit_a)
    w.dwelling_a2 = make_area("dwelling", "102", w.entrance_a)
    w.ruth = UserFactory(username="ruth", display_name="居民 鲁思")
    assign(w.ruth, Role.RESIDENT, w.dwelling_a2)
    w.bea = UserFactory(username="bea")
    assign(w.bea, Role.RESIDENT, w.dwelling_b)
    w.public = case_report(actor=w.rita, category=w.leak, area=w.dwelling_a,
                           title="101室门口水管漏水",
                           description="我家门口水管漏水，电话13800000001",
                           address="1栋1单元101室", lat=Decimal("30.581234"),
                           lng=Decimal("114.291234"))
    w.private = case_report(actor=w.rita, category=w.leak, area=w.building_a,
                            title="不公开的事", description="不要公开", is_public=False)
    w.hidden = case_report(actor=w.rita, category=w.secret_cat, area=w.building_a,
                           title="家里的事", description="家庭矛盾")
    w.building_a.lat, w.building_a.lng = Decimal("30.580000"), Decimal("114.290000")
    w.building_a.save()
    w.publication = publish(w.community_a)
    return w
