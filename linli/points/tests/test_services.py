import pytest
from django.db import IntegrityError, transaction

from linli.core.errors import Conflict, ValidationFailed
from linli.core.models import AppendOnlyError
from linli.points.models import Account, AccountKind, EarningRule, Entry, EntryKind
from linli.points.services import account_for, entry_reverse, points_earned, posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(world):
    community = world.community_a
    return (account_for(kind=AccountKind.ISSUER, community=community),
            account_for(kind=AccountKind.RESIDENT, community=community, owner=world.rita))


def _balance(account: Account) -> int:
    account.refresh_from_db()
    return account.balance


def test_a_replayed_posting_pays_once(accounts):
    issuer, rita = accounts
    first = posting(key="claim:1", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=10)
    again = posting(key="claim:1", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=10)
    assert first.pk == again.pk
    assert Entry.objects.count() == 1 and _balance(rita) == 10 and _balance(issuer) == -10


def test_the_same_key_for_a_different_posting_is_refused(accounts):
    issuer, rita = accounts
    posting(key="claim:1", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=10)
    with pytest.raises(Conflict):
        posting(key="claim:1", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=11)
    assert Entry.objects.count() == 1 and _balance(rita) == 10


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, 10_000_000])
def test_bad_amounts_are_refused(accounts, amount):
    issuer, rita = accounts
    with pytest.raises(ValidationFailed):
        posting(key="x", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=amount)
    assert Entry.objects.count() == 0


def test_spending_more_than_the_balance_is_refused(world, accounts):
    issuer, rita = accounts
    store = account_for(kind=AccountKind.STORE, community=world.community_a)
    posting(key="e", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=5)
    with pytest.raises(ValidationFailed) as exc:
        posting(key="r", kind=EntryKind.REDEEM, debit=rita, credit=store, amount=6)
    assert exc.value.code == "insufficient_points"
    assert _balance(rita) == 5 and _balance(store) == 0


def test_the_database_refuses_an_overdraft_even_past_the_service(world, accounts):
    _issuer, rita = accounts
    store = account_for(kind=AccountKind.STORE, community=world.community_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(key="raw", kind=EntryKind.REDEEM, debit=rita, credit=store,
                             amount=1)
    assert _balance(rita) == 0 and Entry.objects.count() == 0


def test_entries_cannot_be_changed_or_deleted(accounts):
    issuer, rita = accounts
    entry = posting(key="e", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=5)
    entry.amount = 500
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).amount == 5


def test_the_database_refuses_to_edit_an_entry(accounts):
    from django.db import connection

    from linli.core.db import set_purge_allowed

    issuer, rita = accounts
    entry = posting(key="e", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=5)
    set_purge_allowed(connection, False)
    with (pytest.raises(Exception, match="append-only"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute("UPDATE points_entry SET amount = 500 WHERE id = %s", [entry.pk])
    set_purge_allowed(connection, True)
    assert Entry.objects.get(pk=entry.pk).amount == 5


def test_a_reversal_moves_points_back_once(accounts):
    issuer, rita = accounts
    entry = posting(key="e", kind=EntryKind.EARN, debit=issuer, credit=rita, amount=5)
    reversal = entry_reverse(actor=None, entry=entry, memo="confirmed by mistake")
    assert reversal.reverses == entry and _balance(rita) == 0 and _balance(issuer) == 0
    with pytest.raises(Conflict):
        entry_reverse(actor=None, entry=entry, memo="again")
    assert Entry.objects.count() == 2


def test_earning_respects_the_rule_and_its_monthly_cap(world):
    community = world.community_a
    EarningRule.objects.create(community=community, action="volunteer_hour",
                               points_per_unit=10, cap=25)
    first = points_earned(actor=None, community=community, resident=world.rita,
                          action="volunteer_hour", units=2, key="claim:1")
    second = points_earned(actor=None, community=community, resident=world.rita,
                           action="volunteer_hour", units=2, key="claim:2")
    third = points_earned(actor=None, community=community, resident=world.rita,
                          action="volunteer_hour", units=1, key="claim:3")
    assert first is not None and second is not None
    assert (first.amount, second.amount, third) == (20, 5, None)
    rita = Account.objects.get(kind=AccountKind.RESIDENT, owner=world.rita)
    assert rita.balance == 25


def test_no_rule_earns_nothing(world):
    assert points_earned(actor=None, community=world.community_a, resident=world.rita,
                         action="volunteer_hour", units=3, key="k") is None
    assert Entry.objects.count() == 0
