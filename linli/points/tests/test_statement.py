"""The statement: every page, read from either end of the history, gives the same lines
and running balances as walking the whole history."""

import pytest

from linli.points.models import AccountKind, Entry, EntryKind
from linli.points.services import account_for, entry_reverse, posting
from linli.points.statement import statement_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    community = world.community_a
    issuer = account_for(kind=AccountKind.ISSUER, community=community)
    rita = account_for(kind=AccountKind.RESIDENT, community=community, owner=world.rita)
    other = account_for(kind=AccountKind.RESIDENT, community=community, owner=world.gina)
    for n in range(137):
        if n % 5 == 3:
            posting(key=f"out{n}", kind=EntryKind.GRANT, debit=rita, credit=other, amount=2)
        else:
            posting(key=f"in{n}", kind=EntryKind.EARN, debit=issuer, credit=rita,
                    amount=n + 1)
        posting(key=f"noise{n}", kind=EntryKind.GRANT, debit=issuer, credit=other, amount=1)
    entry_reverse(actor=None, entry=Entry.objects.get(key="in7"), memo="错发")
    rita.refresh_from_db()
    return rita


def walk(account) -> list[tuple[int, int, int]]:
    """(id, delta, balance after) for every entry, newest first, the slow obvious way."""
    rows, balance = [], 0
    for entry in Entry.objects.filter(debit=account) | Entry.objects.filter(credit=account):
        delta = entry.amount if entry.credit_id == account.pk else -entry.amount
        balance += delta
        rows.append((entry.pk, delta, balance))
    return sorted(rows, reverse=True)


@pytest.mark.parametrize("per_page", [10, 50, 7])
def test_every_page_matches_the_whole_history(history, per_page):
    expected = walk(history)
    assert expected[0][2] == history.balance
    assert len(expected) == 138
    got = []
    pages = statement_page(history, 1, per_page).num_pages
    assert pages == -(-138 // per_page)
    for number in range(1, pages + 1):
        page = statement_page(history, number, per_page)
        assert page.number == number and page.count == 138
        got += [(line.entry.pk, line.delta, line.balance) for line in page.lines]
    assert got == expected


def test_reversed_entries_are_marked(history):
    lines = [line for n in range(1, 4) for line in statement_page(history, n).lines]
    reversed_keys = [line.entry.key for line in lines if line.reversed]
    reversals = [line.entry.reverses.key for line in lines if line.entry.reverses]
    assert reversed_keys == reversals == ["in7"]


def test_pages_out_of_range_show_the_nearest(history):
    assert statement_page(history, 99).number == 3
    assert statement_page(history, -4).number == 1


def test_an_empty_account_has_one_empty_page(world):
    account = account_for(kind=AccountKind.RESIDENT, community=world.community_a,
                          owner=world.rita)
    page = statement_page(account)
    assert (page.number, page.num_pages, page.count, page.lines) == (1, 1, 0, [])
