"""Property tests of the ledger: whatever sequence of earnings, reversals, holds,
redemptions and cancellations happens, points are conserved and nothing goes negative."""

import contextlib

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.errors import ApplicationError
from linli.points.models import Account, AccountKind, Entry, EntryKind
from linli.points.services import account_for, entry_reverse, posting

pytestmark = pytest.mark.django_db

operation = st.one_of(
    st.tuples(st.just("earn"), st.integers(0, 2), st.integers(1, 50)),
    st.tuples(st.just("hold"), st.integers(0, 2), st.integers(1, 60)),
    st.tuples(st.just("redeem"), st.integers(0, 2), st.integers(1, 60)),
    st.tuples(st.just("cancel"), st.integers(0, 2), st.integers(1, 60)),
    st.tuples(st.just("reverse"), st.integers(0, 30), st.just(0)),
)


def _apply(op, accounts, counter):
    name, who, amount = op
    issuer, store, hold, residents = accounts
    key = f"op-{next(counter)}"
    if name == "earn":
        posting(key=key, kind=EntryKind.EARN, debit=issuer, credit=residents[who], amount=amount)
    elif name == "hold":
        posting(key=key, kind=EntryKind.HOLD, debit=residents[who], credit=hold, amount=amount)
    elif name == "redeem":
        posting(key=key, kind=EntryKind.REDEEM, debit=hold, credit=store, amount=amount)
    elif name == "cancel":
        posting(key=key, kind=EntryKind.RELEASE, debit=hold, credit=residents[who],
                amount=amount)
    else:
        entries = list(Entry.objects.exclude(kind=EntryKind.REVERSAL).order_by("id"))
        if entries:
            entry_reverse(actor=None, entry=entries[who % len(entries)], memo="correction")


def _check_invariants():
    balances = dict(Account.objects.values_list("pk", "balance"))
    assert sum(balances.values()) == 0  # double entry: points are only ever moved
    issuer = Account.objects.get(kind=AccountKind.ISSUER)
    issued = -issuer.balance
    assert sum(b for pk, b in balances.items() if pk != issuer.pk) == issued
    for account in Account.objects.exclude(kind=AccountKind.ISSUER):
        assert account.balance >= 0
    for pk, balance in balances.items():
        credits = Entry.objects.filter(credit_id=pk).aggregate(s=Sum("amount"))["s"] or 0
        debits = Entry.objects.filter(debit_id=pk).aggregate(s=Sum("amount"))["s"] or 0
        assert balance == credits - debits


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(operation, max_size=30))
def test_any_sequence_conserves_points_and_never_overdraws(world, ops):
    from django.db import transaction

    sid = transaction.savepoint()  # each example starts from empty accounts
    community = world.community_a
    residents = [account_for(kind=AccountKind.RESIDENT, community=community, owner=u)
                 for u in (world.rita, world.gina, world.nobody)]
    accounts = (account_for(kind=AccountKind.ISSUER, community=community),
                account_for(kind=AccountKind.STORE, community=community),
                account_for(kind=AccountKind.HOLD, community=community), residents)
    counter = iter(range(10_000))
    for op in ops:
        # A refusal (overdraft, already reversed) must change nothing: checked below.
        with contextlib.suppress(ApplicationError):
            _apply(op, accounts, counter)
        _check_invariants()
    transaction.savepoint_rollback(sid)
