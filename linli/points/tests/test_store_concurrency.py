"""Many people at the store at the same moment, on PostgreSQL with real threads: the stock
never goes below zero, a redemption is placed, completed or cancelled once, and concurrent
postings in opposite directions neither deadlock nor lose a point.

Each job runs in its own thread and database connection, loads what it needs, waits at a
barrier so all start together, then acts.
"""

from typing import cast

import pytest
from django.db.models import Sum

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.core.errors import Conflict, ValidationFailed
from linli.core.tests.threads import run_together
from linli.points.models import Account, AccountKind, Entry, EntryKind, Redemption, StoreItem
from linli.points.services import account_for, entry_correct, posting
from linli.points.store import redemption_cancel, redemption_complete, redemption_place
from linli.points.tests.conftest import balance, grant

pytestmark = [pytest.mark.postgres]



def placer(user_id: int, item_id: int, quantity: int, key: str):
    def job(barrier):
        actor, item = User.objects.get(pk=user_id), StoreItem.objects.get(pk=item_id)
        barrier.wait()
        return redemption_place(actor=actor, item=item, quantity=quantity, key=key).pk
    return job


def settler(service, user_id: int, redemption_id: int):
    def job(barrier):
        actor = User.objects.get(pk=user_id)
        redemption = Redemption.objects.get(pk=redemption_id)
        barrier.wait()
        return service(actor=actor, redemption=redemption).state
    return job


def residents(world, n: int, points: int) -> list[User]:
    people = []
    for i in range(n):
        user = cast(User, UserFactory(username=f"neighbour{i}"))
        assign(user, Role.RESIDENT, world.dwelling_a)
        grant(world.community_a, user, points)
        people.append(user)
    return people


def assert_ledger_consistent(community) -> None:
    assert Account.objects.aggregate(s=Sum("balance"))["s"] == 0
    held = Redemption.objects.filter(state="held").aggregate(s=Sum("points"))["s"] or 0
    assert balance(community, kind=AccountKind.HOLD) == held
    for account in Account.objects.all():
        credits = Entry.objects.filter(credit=account).aggregate(s=Sum("amount"))["s"] or 0
        debits = Entry.objects.filter(debit=account).aggregate(s=Sum("amount"))["s"] or 0
        assert account.balance == credits - debits


def test_stock_never_goes_below_zero(transactional_db, world):
    item = StoreItem.objects.create(community=world.community_a, name="大米 5kg",
                                    price_points=200, stock=3)
    people = residents(world, 5, 300)
    outcomes = run_together(*[placer(p.pk, item.pk, 1, "k") for p in people])
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["ok", "ok", "ok", "refused", "refused"], outcomes
    assert all(isinstance(v, ValidationFailed) and v.code == "out_of_stock"
               for k, v in outcomes if k == "refused")
    item.refresh_from_db()
    assert item.stock == 0 and Redemption.objects.filter(state="held").count() == 3
    assert sorted(balance(world.community_a, p) for p in people) == [100, 100, 100, 300, 300]
    assert balance(world.community_a, kind=AccountKind.HOLD) == 600
    assert_ledger_consistent(world.community_a)


def test_a_double_redemption_with_the_same_key_redeems_once(transactional_db, world):
    item = StoreItem.objects.create(community=world.community_a, name="食用油",
                                    price_points=150, stock=5)
    grant(world.community_a, world.rita, 1000)
    outcomes = run_together(*[placer(world.rita.pk, item.pk, 2, "same-key") for _ in range(3)])
    assert [kind for kind, _ in outcomes] == ["ok", "ok", "ok"], outcomes
    assert len({pk for _, pk in outcomes}) == 1
    item.refresh_from_db()
    assert Redemption.objects.count() == 1 and item.stock == 3
    assert balance(world.community_a, world.rita) == 700
    assert_ledger_consistent(world.community_a)


def test_the_monthly_limit_holds_under_concurrent_requests(transactional_db, world):
    item = StoreItem.objects.create(community=world.community_a, name="洗衣液",
                                    price_points=60, stock=10, per_person_limit=1)
    grant(world.community_a, world.rita, 1000)
    outcomes = run_together(*[placer(world.rita.pk, item.pk, 1, f"k{i}") for i in range(3)])
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused", "refused"], outcomes
    item.refresh_from_db()
    assert Redemption.objects.count() == 1 and item.stock == 9
    assert balance(world.community_a, world.rita) == 940


@pytest.fixture
def held(transactional_db, world):
    item = StoreItem.objects.create(community=world.community_a, name="理发服务",
                                    price_points=80, stock=4)
    grant(world.community_a, world.rita, 500)
    colleague = cast(User, UserFactory(username="alice2"))
    assign(colleague, Role.DISPATCHER, world.community_a)
    redemption = redemption_place(actor=world.rita, item=item, quantity=2, key="k1")
    return redemption, colleague


def test_a_double_completion_completes_once(world, held):
    redemption, colleague = held
    outcomes = run_together(*[settler(redemption_complete, world.alice.pk, redemption.pk),
                         settler(redemption_complete, colleague.pk, redemption.pk)])
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert isinstance(next(v for k, v in outcomes if k == "refused"), Conflict)
    assert Entry.objects.filter(kind=EntryKind.REDEEM).count() == 1
    assert balance(world.community_a, kind=AccountKind.STORE) == 160
    assert_ledger_consistent(world.community_a)


def test_completing_and_cancelling_at_once_does_one(world, held):
    redemption, _colleague = held
    outcomes = run_together(*[settler(redemption_complete, world.alice.pk, redemption.pk),
                         settler(redemption_cancel, world.rita.pk, redemption.pk)])
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    redemption.refresh_from_db()
    item = StoreItem.objects.get(pk=redemption.item_id)
    if redemption.state == "completed":
        assert (item.stock, balance(world.community_a, world.rita)) == (2, 340)
    else:
        assert (item.stock, balance(world.community_a, world.rita)) == (4, 500)
    assert Entry.objects.filter(kind__in=["redeem", "release"]).count() == 1
    assert_ledger_consistent(world.community_a)


def test_concurrent_postings_in_both_directions_neither_deadlock_nor_lose_points(
        transactional_db, world):
    a, b = residents(world, 2, 1000)
    account_a = account_for(kind=AccountKind.RESIDENT, community=world.community_a, owner=a)
    account_b = account_for(kind=AccountKind.RESIDENT, community=world.community_a, owner=b)

    def mover(index: int):
        def job(barrier):
            debit, credit = (account_a, account_b) if index % 2 else (account_b, account_a)
            barrier.wait()
            for n in range(25):
                posting(key=f"move:{index}:{n}", kind=EntryKind.GRANT, debit=debit,
                        credit=credit, amount=7)
            return index
        return job

    outcomes = run_together(*[mover(i) for i in range(4)])
    assert [kind for kind, _ in outcomes] == ["ok"] * 4, outcomes
    assert Entry.objects.filter(key__startswith="move:").count() == 100
    assert balance(world.community_a, a) == balance(world.community_a, b) == 1000
    assert_ledger_consistent(world.community_a)


def test_two_desks_reversing_one_grant_reverse_it_once(transactional_db, world):
    entry = grant(world.community_a, world.rita, 100)
    colleague = cast(User, UserFactory(username="alice2"))
    assign(colleague, Role.DISPATCHER, world.community_a)

    def reverser(user_id: int):
        def job(barrier):
            actor, fresh = User.objects.get(pk=user_id), Entry.objects.get(pk=entry.pk)
            barrier.wait()
            return entry_correct(actor=actor, entry=fresh, memo="发错了").pk
        return job

    outcomes = run_together(*[reverser(world.alice.pk), reverser(colleague.pk)])
    # The loser either saw the reversal before it started (Conflict) or, racing it, is
    # answered with the same reversal (the posting key is the entry's): never a second.
    assert all(kind == "ok" or isinstance(value, Conflict) for kind, value in outcomes)
    assert len({value for kind, value in outcomes if kind == "ok"}) == 1
    assert Entry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    assert balance(world.community_a, world.rita) == 0
    assert_ledger_consistent(world.community_a)


def test_one_key_for_two_different_postings_at_once_writes_one(transactional_db, world):
    a, b, c = residents(world, 3, 100)
    accounts = [account_for(kind=AccountKind.RESIDENT, community=world.community_a, owner=u)
                for u in (a, b, c)]

    def mover(debit, credit):
        def job(barrier):
            barrier.wait()
            return posting(key="same", kind=EntryKind.GRANT, debit=debit, credit=credit,
                           amount=5).pk
        return job

    outcomes = run_together(*[mover(accounts[0], accounts[1]), mover(accounts[2], accounts[1])])
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict) and refusal.code == "idempotency_mismatch"
    assert Entry.objects.filter(key="same").count() == 1
    assert balance(world.community_a, b) == 105
    assert_ledger_consistent(world.community_a)
