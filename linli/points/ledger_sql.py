"""The two statements of a posting, in SQL: lock the account rows, insert the entry.

`posting()` is the hottest write in the system (bench/points.py drives a million of them),
and through the ORM it cost well over twice the database's own time: a replay lookup, the
lock query's model building, a savepoint around the INSERT so an IntegrityError could be
inspected, the model's field-by-field init and save. Here the INSERT skips a duplicate
with `ON CONFLICT DO NOTHING` instead of failing, so neither the lookup nor the savepoint
is needed on the common path, and a posting is the same four round trips as a hand-written
transfer (BEGIN, lock, insert, COMMIT). Both statements work on PostgreSQL and on SQLite
(3.35+ for RETURNING); SQLite has no row locks and needs none: it serialises writers.
"""

from typing import cast

from django.db import DEFAULT_DB_ALIAS, connections, models

from linli.core.db import prepared_cursor
from linli.points.models import Account, Entry

# Every column but the id, in the model's order: the keys `insert_entry` takes.
COLUMNS = [f.attname for f in Entry._meta.concrete_fields if not f.primary_key]
# Built once from the models' own table and column names; values always go as parameters.
_LOCK = (f"SELECT id, kind, balance FROM {Account._meta.db_table} "  # noqa: S608
         "WHERE id IN (%s, %s) ORDER BY id")
_INSERT = (f"INSERT INTO {Entry._meta.db_table} ({', '.join(COLUMNS)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING RETURNING id")
_RELATED = {name: cast(models.ForeignKey, Entry._meta.get_field(name))
            for name in ("debit", "credit", "reverses")}


def _run(sql: str, params: list) -> list[tuple]:
    """One statement in the current transaction, prepared once per connection on
    PostgreSQL (`core.db.prepared_cursor`), like the hand-written baseline: the server
    stops re-planning the same two statements a million times."""
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lock_accounts(first_id: int, second_id: int) -> dict[int, tuple[str, int]]:
    """Lock both account rows in id order (the order every writer uses, so concurrent
    postings cannot deadlock); returns {id: (kind, balance)} as of the lock."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = _LOCK + (" FOR UPDATE" if db.features.has_select_for_update else "")
    return {row[0]: (row[1], row[2]) for row in _run(sql, [first_id, second_id])}


def insert_entry(values: dict, related: dict) -> Entry | None:
    """Insert an entry from its column values; None when a unique column (the key, or the
    entry it reverses) already holds the value, in which case nothing was written. The
    trigger moves the two balances; a CHECK violation (overdraft) raises IntegrityError.
    Returns the entry as the ORM would load it, with `related` objects attached."""
    db = connections[DEFAULT_DB_ALIAS]
    params = [values[name] for name in COLUMNS]
    # The ORM's own adaptation (naive UTC text on SQLite), so lookups match.
    params[-1] = db.ops.adapt_datetimefield_value(params[-1])
    rows = _run(_INSERT, params)
    if not rows:
        return None
    entry = Entry.from_db(DEFAULT_DB_ALIAS, ["id", *COLUMNS],
                          [rows[0][0], *(values[name] for name in COLUMNS)])
    for name, obj in related.items():
        if obj is not None:
            _RELATED[name].set_cached_value(entry, obj)
    return entry
