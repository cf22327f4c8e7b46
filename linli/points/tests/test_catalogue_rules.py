"""The catalogue and earning-rule services: bad input refused clearly with nothing changed,
every change audited, only the community's desk allowed."""

import pytest

from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.points.catalogue import item_create, item_delete, item_restock, item_update
from linli.points.models import EarningRule, StoreItem
from linli.points.rules import earning_rule_create, earning_rule_update
from linli.points.services import entry_correct
from linli.points.tests.conftest import grant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fields", [
    {"name": "  "}, {"name": "x" * 101}, {"price_points": 0}, {"price_points": -5},
    {"price_points": "80"}, {"stock": -1}, {"per_person_limit": 0}, {"kind": "rental"},
    {"description": "长" * 1001},
])
def test_bad_items_are_refused(world, fields):
    data = {"name": "理发服务", "price_points": 80, "stock": 5} | fields
    with pytest.raises(ValidationFailed):
        item_create(actor=world.alice, community=world.community_a, **data)
    assert StoreItem.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_items_belong_to_a_community(world):
    with pytest.raises(ValidationFailed):
        item_create(actor=world.ada, community=world.street, name="米", price_points=1)


@pytest.mark.parametrize("who", ["rita", "bob", "gina", "leo", "uma"])
def test_only_the_desk_changes_the_catalogue(world, rice, who):
    actor = getattr(world, who)
    with pytest.raises(PermissionDenied):
        item_create(actor=actor, community=world.community_a, name="油", price_points=1)
    with pytest.raises(PermissionDenied):
        item_update(actor=actor, item=rice, price_points=1)
    with pytest.raises(PermissionDenied):
        item_restock(actor=actor, item=rice, quantity=5)
    with pytest.raises(PermissionDenied):
        item_delete(actor=actor, item=rice)
    rice.refresh_from_db()
    assert (StoreItem.objects.count(), rice.price_points, rice.stock) == (1, 200, 3)


def test_an_admin_above_the_community_runs_its_store(world, rice):
    item = item_update(actor=world.ada, item=rice, price_points=180, is_active=False)
    assert (item.price_points, item.is_active) == (180, False)
    audit = AuditEntry.objects.get(action="store.item_updated")
    assert audit.changes == {"price_points": ["200", "180"], "is_active": ["True", "False"]}


def test_stock_is_not_edited_but_restocked(world, rice):
    with pytest.raises(ValidationFailed):
        item_update(actor=world.alice, item=rice, stock=100)
    with pytest.raises(ValidationFailed):
        item_restock(actor=world.alice, item=rice, quantity=0)
    item = item_restock(actor=world.alice, item=rice, quantity=-3, note="受潮")
    assert item.stock == 0
    assert AuditEntry.objects.get(action="store.item_restocked").changes == {
        "quantity": -3, "stock": 0, "note": "受潮"}


def test_the_same_name_twice_in_one_store_conflicts(world, rice):
    with pytest.raises(Conflict):
        item_create(actor=world.alice, community=world.community_a, name="大米 5kg",
                    price_points=1)
    other = item_create(actor=world.bob, community=world.community_b, name="大米 5kg",
                        price_points=1)
    assert other.community == world.community_b


@pytest.mark.parametrize("fields", [{"points_per_unit": 0}, {"points_per_unit": 10_001},
                                    {"cap": 0}, {"cap_period": "week"},
                                    {"action": "gossip"}])
def test_bad_rules_are_refused(world, fields):
    data = {"action": "volunteer_hour", "points_per_unit": 10} | fields
    with pytest.raises(ValidationFailed):
        earning_rule_create(actor=world.alice, community=world.community_a, **data)
    assert EarningRule.objects.count() == 0


def test_rules_are_audited_and_kept_to_the_desk(world):
    rule = earning_rule_create(actor=world.alice, community=world.community_a,
                               action="volunteer_hour", points_per_unit=10, cap=200)
    with pytest.raises(PermissionDenied):
        earning_rule_update(actor=world.bob, rule=rule, points_per_unit=99)
    with pytest.raises(ValidationFailed):
        earning_rule_update(actor=world.alice, rule=rule, community=world.community_b)
    earning_rule_update(actor=world.alice, rule=rule, cap=None, is_active=False)
    rule.refresh_from_db()
    assert (rule.points_per_unit, rule.cap, rule.is_active) == (10, None, False)
    assert list(AuditEntry.objects.filter(action__startswith="points.rule_").values_list(
        "action", flat=True).order_by("id")) == ["points.rule_created", "points.rule_updated"]


def test_a_reversal_of_points_already_spent_is_refused(world, rice):
    from linli.points.store import redemption_place

    entry = grant(world.community_a, world.rita, 200)
    redemption_place(actor=world.rita, item=rice, quantity=1, key="k")
    with pytest.raises(ValidationFailed) as exc:
        entry_correct(actor=world.alice, entry=entry, memo="发错了")
    assert exc.value.code == "insufficient_points"
