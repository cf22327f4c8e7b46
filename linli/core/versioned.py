"""Version counters: per-process caches of read-mostly rows that never serve a stale one.

Every report reads the same few rows: the API token and its user with their role
assignments, the category, its time limits, the default route. Each process keeps them in
memory (`Versioned`), and each cache names the tables it copies. Every such table has a
database trigger (`core.db.versioned`, in the table's own migration) that writes a new
random version for the table in the same transaction as any INSERT, UPDATE, DELETE or
TRUNCATE, whoever runs it: a web process, a Celery worker, the admin, an import, psql. A
request reads every version once (one small SELECT, `versions`) and an entry copied under
other versions is loaded again. So a revoked token, a disabled user or a deactivated
category is refused by the next request in every process, without anyone remembering to
clear a cache. Versions are random rather than counted up, so a restored or rolled-back
database can never bring back a number that a cache holds for other data.

Within one request the versions are those read first: a request that changes a cached
table and then reads it through a cache in the same request sees the copy it started with.
Outside requests (commands, workers, the demo build) every read asks the database.
"""

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.signals import request_finished, request_started
from django.db import connection, models
from django.db.models.base import ModelState

from linli.core.db import VERSION_TABLE, prepared_cursor

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_local = threading.local()


def _read() -> dict[str, int]:
    with prepared_cursor() as cursor:  # every request sends it
        cursor.execute(f"SELECT name, version FROM {VERSION_TABLE}")  # noqa: S608 - a constant
        return dict(cursor.fetchall())


def versions() -> dict[str, int]:
    """Each tracked table's version: read once per request, on every call outside one."""
    snapshot = getattr(_local, "snapshot", None)
    if snapshot is None:
        snapshot = _read()
        if getattr(_local, "in_request", False):
            _local.snapshot = snapshot
    return snapshot


def _request_started(**kwargs) -> None:
    _local.in_request, _local.snapshot = True, None


def _request_finished(**kwargs) -> None:
    _local.in_request, _local.snapshot = False, None


request_started.connect(_request_started, dispatch_uid="linli.core.versioned.started")
request_finished.connect(_request_finished, dispatch_uid="linli.core.versioned.finished")


def row_copy(row: V) -> V:
    """A shallow copy of a model instance, as `copy.copy` makes it (its own attributes,
    state and cache of loaded relations; the related rows themselves shared), in a third of
    the time: copy.copy goes through pickling's protocol. Anything else: copy.copy."""
    if not isinstance(row, models.Model):
        return copy.copy(row)
    new = row.__class__.__new__(row.__class__)
    new.__dict__.update(row.__dict__)
    new._state = ModelState()
    new._state.__dict__.update(row._state.__dict__)
    new._state.fields_cache = row._state.fields_cache.copy()
    return new


class Versioned(Generic[K, V]):
    """`load(key)`'s answers, kept while the versions of `tables` stay as they were.

    Every entry carries the versions it was loaded under and is used only while they are
    current, so two threads racing past a change can never file an old row under the new
    versions. The values are shared by every request of the process: callers must not
    change them; `copy` hands out a model instance of the caller's own."""

    def __init__(self, tables: tuple[str, ...], load: Callable[[K], V], *,
                 size: int = 10_000):
        self.tables, self.load, self.size = tables, load, size
        self._entries: dict[K, tuple[tuple[int, ...], V]] = {}

    def _stamp(self, known: dict[str, int]) -> tuple[int, ...]:
        return tuple(known.get(table, 0) for table in self.tables)

    def get(self, key: K) -> V:
        stamp = self._stamp(versions())
        entry = self._entries.get(key)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        value = self.load(key)
        # Inside a transaction that changed one of the tables, the row just read may never
        # be committed: answer with it, but keep it only if the versions did not move.
        if connection.in_atomic_block and self._stamp(_read()) != stamp:
            return value
        if len(self._entries) >= self.size:
            self._entries.clear()  # a bound, not an eviction policy: misses are cheap
        self._entries[key] = (stamp, value)
        return value

    def copy(self, key: K) -> V:
        """`get`, shallowly copied (None stays None): a row the caller may change."""
        value = self.get(key)
        return value if value is None else row_copy(value)

    def clear(self) -> None:
        self._entries.clear()
