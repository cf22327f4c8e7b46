"""One page of an account's statement, newest first, with the balance after each entry.

A resident may have tens of thousands of entries, so a page never loads the others: it
reads its own rows, then one aggregate gives the balance after the page's newest entry,
from whichever end of the account's history is nearer (the current balance minus what came
later, or the sum of what came before). Each aggregate is one statement, so it sees one
snapshot even while new postings land.
"""

from dataclasses import dataclass

from django.db import connection

from linli.points.models import Account, Entry

PER_PAGE = 50


@dataclass(frozen=True)
class Line:
    entry: Entry
    delta: int          # + into the account, - out of it
    balance: int        # the balance just after this entry
    reversed: bool      # a later reversal undid it


@dataclass(frozen=True)
class Statement:
    account: Account
    lines: list[Line]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _count(account: Account) -> int:
    # An entry never has the same account on both sides (CHECK), so the two sides add up;
    # each count is an index-only range scan, unlike one count over an OR.
    return (Entry.objects.filter(debit=account).count()
            + Entry.objects.filter(credit=account).count())


_AFTER = """
SELECT {start}
  + COALESCE((SELECT SUM(amount) FROM points_entry WHERE credit_id = %s AND id {op} %s), 0)
  {sign} COALESCE((SELECT SUM(amount) FROM points_entry WHERE debit_id = %s AND id {op} %s), 0)
{source}"""


def balance_after(account: Account, entry_id: int, *, from_start: bool) -> int:
    """The balance just after entry `entry_id`: summed forward from the first entry, or
    back from the current balance, whichever touches fewer rows."""
    if from_start:
        sql = _AFTER.format(start="0", op="<=", sign="-", source="")
    else:
        # balance - (credits later) + (debits later)
        sql = _AFTER.format(start="balance -", op=">", sign="+",
                            source="FROM points_account WHERE id = %s")
    params = [account.pk, entry_id, account.pk, entry_id]
    if not from_start:
        params.append(account.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


# The page's ids from the two sides of the account, each an index range scan on
# (debit_id, id) / (credit_id, id) that stops after `depth` rows, merged. One OR query
# would read every entry of the account, and join them all, before sorting out a page.
_PAGE_IDS = """
SELECT id FROM (SELECT id FROM points_entry WHERE debit_id = %s ORDER BY id {order} LIMIT %s) d
UNION ALL
SELECT id FROM (SELECT id FROM points_entry WHERE credit_id = %s ORDER BY id {order} LIMIT %s) c
ORDER BY id {order} LIMIT %s OFFSET %s"""


def _page_ids(account: Account, offset: int, size: int, count: int) -> list[int]:
    """Ids of entries [offset, offset + size) newest first, read from whichever end of the
    history is nearer, so no page reads more than half of it."""
    if offset * 2 < count:
        order, skip = "DESC", offset
    else:
        order, skip = "ASC", max(count - offset - size, 0)
        size = min(size, count - offset)
    depth = skip + size
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_IDS.format(order=order),
                       [account.pk, depth, account.pk, depth, size, skip])
        ids = [row[0] for row in cursor.fetchall()]
    return sorted(ids, reverse=True)


def _page_rows(account: Account, offset: int, size: int, count: int) -> list[Entry]:
    ids = _page_ids(account, offset, size, count)
    return list(Entry.objects.filter(pk__in=ids)
                .select_related("debit", "credit", "actor", "reverses").order_by("-id"))


def _lines(account: Account, rows: list[Entry], top_balance: int) -> list[Line]:
    reversed_ids = set(Entry.objects.filter(reverses_id__in=[e.pk for e in rows])
                       .values_list("reverses_id", flat=True))
    lines, balance = [], top_balance
    for entry in rows:
        delta = entry.amount if entry.credit_id == account.pk else -entry.amount
        lines.append(Line(entry, delta, balance, entry.pk in reversed_ids))
        balance -= delta  # the balance before this entry is the one after the next row
    return lines


def statement_page(account: Account, number: int = 1, per_page: int = PER_PAGE) -> Statement:
    count = _count(account)
    num_pages = max(1, -(-count // per_page))
    number = min(max(1, number), num_pages)
    offset = (number - 1) * per_page
    rows = _page_rows(account, offset, per_page, count)
    if not rows:
        return Statement(account, [], number, num_pages, count)
    top = balance_after(account, rows[0].pk, from_start=offset * 2 >= count)
    return Statement(account, _lines(account, rows, top), number, num_pages, count)
