"""Property tests of the ledger through the store services: whatever sequence of earnings,
corrections, redemptions, hand-overs, cancellations and restocks happens, points are
conserved, nothing goes negative, the hold account holds exactly what is held, and the
stock accounts for every item."""

import contextlib
import itertools
from typing import cast

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.core.errors import ApplicationError
from linli.points.catalogue import item_restock
from linli.points.models import Account, AccountKind, Entry, EntryKind, Redemption, StoreItem
from linli.points.services import account_for, entry_correct, posting
from linli.points.store import redemption_cancel, redemption_complete, redemption_place

pytestmark = pytest.mark.django_db

who = st.integers(0, 2)
operation = st.one_of(
    st.tuples(st.just("earn"), who, st.integers(1, 900)),
    st.tuples(st.just("reverse"), st.integers(0, 30), st.just(0)),
    st.tuples(st.just("place"), who, st.tuples(st.integers(0, 1), st.integers(1, 2))),
    st.tuples(st.just("replay"), who, st.just(0)),
    st.tuples(st.just("complete"), st.integers(0, 30), st.just(0)),
    st.tuples(st.just("cancel"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("restock"), st.integers(0, 1), st.integers(-3, 5)),
)
INITIAL_STOCK = [2, 4]


class Run:
    """One example's store: the residents, the items and what the test has put on the
    shelves, to check the stock against."""

    def __init__(self, world, people):
        self.world, self.people = world, people
        self.community = world.community_a
        self.issuer = account_for(kind=AccountKind.ISSUER, community=self.community)
        self.items = [
            StoreItem.objects.create(community=self.community, name="大米 5kg",
                                     price_points=200, stock=INITIAL_STOCK[0],
                                     per_person_limit=2),
            StoreItem.objects.create(community=self.community, name="洗衣液",
                                     price_points=60, stock=INITIAL_STOCK[1])]
        for person in people:  # a start, so that redemptions are not mostly refused
            posting(key=f"seed:{person.pk}", kind=EntryKind.GRANT, debit=self.issuer,
                    credit=account_for(kind=AccountKind.RESIDENT, community=self.community,
                                       owner=person), amount=500)
        self.restocked = [0, 0]
        self.keys = itertools.count()
        self.last: dict[int, tuple] = {}

    def nth(self, model, index: int):
        rows = list(model.order_by("id"))
        return rows[index % len(rows)] if rows else None

    def apply(self, op) -> None:
        name, a, b = op
        if name == "earn":
            posting(key=f"earn:{next(self.keys)}", kind=EntryKind.EARN, debit=self.issuer,
                    credit=account_for(kind=AccountKind.RESIDENT, community=self.community,
                                       owner=self.people[a]), amount=b)
        elif name == "reverse":
            entry = self.nth(Entry.objects.filter(kind=EntryKind.EARN), a)
            if entry is not None:
                entry_correct(actor=self.world.alice, entry=entry, memo="correction")
        elif name in ("place", "replay"):
            self.place(name, a, b)
        elif name == "restock":
            item_restock(actor=self.world.alice, item=self.items[a], quantity=b)
            self.restocked[a] += b
        else:
            self.settle(name, a, b)

    def place(self, name: str, person: int, choice) -> None:
        if name == "replay":
            if person not in self.last:
                return
            item, quantity, key = self.last[person]
        else:
            (index, quantity), key = choice, f"r{next(self.keys)}"
            item = self.items[index]
            self.last[person] = (item, quantity, key)
        redemption_place(actor=self.people[person], item=item, quantity=quantity, key=key)

    def settle(self, name: str, index: int, by_staff: bool) -> None:
        redemption = self.nth(Redemption.objects.all(), index)
        if redemption is None:
            return
        if name == "complete":
            redemption_complete(actor=self.world.alice, redemption=redemption)
        else:
            actor = self.world.alice if by_staff else redemption.resident
            redemption_cancel(actor=actor, redemption=redemption)

    def check(self) -> None:
        balances = dict(Account.objects.values_list("pk", "balance"))
        assert sum(balances.values()) == 0
        issued = -balances[self.issuer.pk]
        assert sum(v for pk, v in balances.items() if pk != self.issuer.pk) == issued
        assert all(v >= 0 for pk, v in balances.items() if pk != self.issuer.pk)
        held = Redemption.objects.filter(state="held").aggregate(s=Sum("points"))["s"] or 0
        hold = Account.objects.filter(kind=AccountKind.HOLD).first()
        assert (hold.balance if hold else 0) == held
        for index, item in enumerate(self.items):
            item.refresh_from_db()
            out = Redemption.objects.filter(item=item, state__in=["held", "completed"]) \
                .aggregate(q=Sum("quantity"))["q"] or 0
            assert item.stock + out == INITIAL_STOCK[index] + self.restocked[index]
        for pk, value in balances.items():
            credits = Entry.objects.filter(credit_id=pk).aggregate(s=Sum("amount"))["s"] or 0
            debits = Entry.objects.filter(debit_id=pk).aggregate(s=Sum("amount"))["s"] or 0
            assert value == credits - debits


@pytest.fixture
def people(world):
    others = [cast(User, UserFactory(username=f"neighbour{i}")) for i in range(2)]
    for user in others:
        assign(user, Role.RESIDENT, world.dwelling_a)
    return [world.rita, *others]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operation, max_size=30))
def test_store_sequences_conserve_points_stock_and_holds(world, people, ops):
    sid = transaction.savepoint()  # each example starts with an empty ledger and store
    run = Run(world, people)
    for op in ops:
        # A refusal (over the balance or the stock, already settled) changes nothing:
        # the invariants below would catch a half-done move.
        with contextlib.suppress(ApplicationError):
            run.apply(op)
        run.check()
    transaction.savepoint_rollback(sid)
