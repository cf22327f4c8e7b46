"""Pytest fixtures that share one demo among the tests of a worker, instead of building it
again in every test that needs it (the demo takes most of a minute on a busy machine, and
some fifty tests read it). linli/conftest.py imports them.

Two kinds of tests read the demo, and each kind gets it its own way:

- `demo`, for tests that run in a transaction (pytest-django's `db`): the demo is built
  once inside a transaction that stays open while such tests follow one another; each test
  runs in a savepoint on top and is rolled back to the untouched demo. The transaction is
  rolled back before any other test (`prepare_for`, called from linli/conftest.py's
  `pytest_runtest_setup`), so nobody else ever sees the demo; the collection puts the
  tests that read it next to each other, so a worker builds it about once.
- `demo_committed`, for tests that need it committed (a live server, a browser): on SQLite
  the first such test builds it and keeps a copy of the whole in-memory database, and every
  later one gets that copy back in a fraction of a second (SQLite's backup API) after the
  previous test's data was flushed. On PostgreSQL (no browser tests run there) it is built.

Either way uploads go to one media folder per worker, which the fixture sets as MEDIA_ROOT,
so the photos the demo stored are where its rows say.
"""

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# A test whose fixtures include this one reads the demo inside the shared transaction.
SHARED = "demo_transaction"


@dataclass
class DemoState:
    """One worker's demo: the open transaction (if any), the committed copy (SQLite)."""

    blocker: Any
    media_root: Path
    atomic: Any = None
    logins: list[Any] = field(default_factory=list)
    snapshot: sqlite3.Connection | None = None
    committed_logins: list[Any] = field(default_factory=list)

    def open(self) -> list[Any]:
        """The demo inside the shared transaction, built if it is not open yet."""
        if self.atomic is None:
            from django.db import transaction
            from django.test import override_settings

            from linli.core.demo import demo_load

            with self.blocker.unblock():
                atomic = transaction.atomic()
                atomic.__enter__()
                try:
                    with override_settings(MEDIA_ROOT=str(self.media_root)):
                        self.logins = demo_load()
                except BaseException:
                    transaction.set_rollback(True)
                    atomic.__exit__(None, None, None)
                    raise
                self.atomic = atomic
        return self.logins

    def close(self) -> None:
        """Roll the shared transaction back: the database is empty of the demo again."""
        if self.atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None

    def committed(self) -> list[Any]:
        """The demo committed to the test database (a transactional test's)."""
        from django.db import connection

        from linli.core.demo import demo_load

        if connection.vendor != "sqlite":
            return demo_load()
        connection.ensure_connection()
        if self.snapshot is None:
            self.committed_logins = demo_load()
            self.snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.snapshot)
        else:
            self.snapshot.backup(connection.connection)
        return self.committed_logins


_state: DemoState | None = None


def reads_shared_demo(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return SHARED in names and "transactional_db" not in names


def prepare_for(item: pytest.Item) -> None:
    """Before `item`'s fixtures are set up: the shared demo open if `item` reads it there
    (the test's own savepoint must come after it), rolled back otherwise."""
    if _state is None:
        return  # no demo yet: `demo_transaction` builds it when a test first asks
    if reads_shared_demo(item):
        _state.open()
    else:
        _state.close()


@pytest.fixture(scope="session")
def demo_state(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[DemoState]:
    global _state
    _state = DemoState(blocker=django_db_blocker, media_root=tmp_path_factory.mktemp("demo"))
    yield _state
    _state.close()
    if _state.snapshot is not None:
        _state.snapshot.close()
    _state = None


@pytest.fixture(scope="module")
def demo_transaction(demo_state) -> DemoState:
    """The shared transaction, open. Module-scoped so that pytest sets it up before any
    test's own transaction (`db`, or the `django_db` mark's); later tests of the module
    find it open through `prepare_for`."""
    demo_state.open()
    return demo_state


@dataclass(frozen=True)
class Demo:
    logins: list[Any]
    media_root: Path


@pytest.fixture
def demo(demo_transaction, db, settings) -> Demo:
    """The demo, shared and rolled back after this test (which runs in a savepoint)."""
    settings.MEDIA_ROOT = str(demo_transaction.media_root)
    return Demo(logins=demo_transaction.logins, media_root=demo_transaction.media_root)


@pytest.fixture
def demo_committed(demo_state, transactional_db, settings) -> Demo:
    """The demo committed, for a live server or a browser; flushed after the test."""
    settings.MEDIA_ROOT = str(demo_state.media_root)
    return Demo(logins=demo_state.committed(), media_root=demo_state.media_root)
