"""points_award (a fixed amount) and points_earned (under the community's rule): what
other apps call to pay a resident, each once per key and audited."""

import pytest

from linli.core.errors import Conflict, ValidationFailed
from linli.core.models import AuditEntry
from linli.points.models import Account, AccountKind, EarningRule, Entry, EntryKind
from linli.points.services import points_award, points_earned

pytestmark = pytest.mark.django_db


def _balance(community, user) -> int:
    return Account.objects.get(kind=AccountKind.RESIDENT, community=community,
                               owner=user).balance


def _audited() -> int:
    return AuditEntry.objects.filter(action="points.earned").count()


def _award(world, amount=30, key="volunteering.claim:1"):
    return points_award(actor=world.alice, community=world.community_a, resident=world.rita,
                        amount=amount, key=key, source=key, memo="扫楼道")


def test_an_award_pays_the_fixed_amount_from_the_issuer(world):
    entry = _award(world)
    issuer = Account.objects.get(kind=AccountKind.ISSUER, community=world.community_a)
    assert (entry.kind, entry.amount, entry.debit_id, entry.memo) == (
        EntryKind.EARN, 30, issuer.pk, "扫楼道")
    assert (entry.source, entry.earning_action) == ("volunteering.claim:1", "")
    assert _balance(world.community_a, world.rita) == 30


def test_an_award_is_audited_as_points_earned(world):
    _award(world)
    row = AuditEntry.objects.get(action="points.earned")
    assert (row.action, row.object_type, row.object_id, row.actor_id) == (
        "points.earned", "accounts.user", str(world.rita.pk), world.alice.pk)
    assert row.changes == {"amount": 30, "source": "volunteering.claim:1"}
    assert row.area_path == world.community_a.path


def test_a_replayed_award_pays_and_audits_once(world):
    first, again = _award(world), _award(world)
    assert first.pk == again.pk
    assert Entry.objects.count() == 1 and _audited() == 1
    assert _balance(world.community_a, world.rita) == 30


def test_an_award_key_reused_for_another_amount_is_a_conflict(world):
    _award(world)
    with pytest.raises(Conflict):
        _award(world, amount=31)
    assert Entry.objects.count() == 1 and _audited() == 1


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, 10_000_000])
def test_an_award_of_a_bad_amount_is_refused(world, amount):
    with pytest.raises(ValidationFailed):
        _award(world, amount=amount)
    assert Entry.objects.count() == 0 and _audited() == 0


@pytest.fixture
def hourly(world):
    return EarningRule.objects.create(community=world.community_a, action="volunteer_hour",
                                      points_per_unit=10, cap=25)


def _earn(world, units, key):
    return points_earned(actor=None, community=world.community_a, resident=world.rita,
                         action="volunteer_hour", units=units, key=key, source=key,
                         memo="送餐")


def test_earning_pays_the_rule_per_unit_and_is_audited(world, hourly):
    entry = _earn(world, 2, "claim:1")
    assert entry is not None
    assert (entry.amount, entry.earning_action, entry.memo) == (20, "volunteer_hour", "送餐")
    row = AuditEntry.objects.get(action="points.earned")
    assert (row.action, row.object_id, row.area_path) == (
        "points.earned", str(world.rita.pk), world.community_a.path)
    assert row.changes == {"amount": 20, "action": "volunteer_hour", "source": "claim:1"}


def test_a_replayed_earning_pays_and_audits_once(world, hourly):
    first, again = _earn(world, 2, "claim:1"), _earn(world, 2, "claim:1")
    assert first is not None and again is not None and first.pk == again.pk
    assert Entry.objects.count() == 1 and _audited() == 1
    assert _balance(world.community_a, world.rita) == 20


def test_earning_stops_at_the_cap(world, hourly):
    amounts = [getattr(_earn(world, 2, f"claim:{i}"), "amount", None) for i in range(3)]
    assert amounts == [20, 5, None]
    assert Entry.objects.count() == 2 and _audited() == 2
    assert _balance(world.community_a, world.rita) == 25


def test_earning_without_an_active_rule_or_units_pays_nothing(world, hourly):
    assert _earn(world, 0, "claim:0") is None
    hourly.is_active = False
    hourly.save()
    assert _earn(world, 2, "claim:1") is None
    assert Entry.objects.count() == 0 and _audited() == 0
