"""Helpers for the accounts tests: an English client, a controllable clock, API logins."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection

from linli.accounts.tests.factories import PASSWORD

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Shanghai


@pytest.fixture
def client(client):
    # Messages are asserted in their English msgids; the Chinese default is tested apart.
    client.cookies["linli_language"] = "en"
    return client


@pytest.fixture
def clock():
    """Time starts at START and runs on; `clock.shift(timedelta(...))` jumps ahead."""
    with time_machine.travel(START, tick=True) as traveller:
        yield traveller


def page_login(client, username: str, password: str = PASSWORD, ip: str = "127.0.0.1",
               **extra):
    return client.post("/accounts/login/", {"username": username, "password": password,
                                            **extra}, REMOTE_ADDR=ip)


def api_login(client, username: str, password: str = PASSWORD, ip: str = "127.0.0.1",
              **extra):
    return client.post("/api/accounts/tokens", {"username": username, "password": password,
                                                **extra},
                       content_type="application/json", REMOTE_ADDR=ip)


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def logged_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value is not None else None


def database_contains(text: str, tables: list[str] | None = None) -> list[str]:
    """The tables (all of them unless named) where any column of any row contains `text`."""
    found = []
    with connection.cursor() as cursor:
        for table in tables or connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in str(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    return found


@pytest.fixture
def admins(world):
    """Area administrators of community A and of community B, beside the district's ada."""
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import UserFactory, assign

    world.admin_a = UserFactory.create(username="admin_a")
    assign(world.admin_a, Role.ADMIN, world.community_a)
    world.admin_b = UserFactory.create(username="admin_b")
    assign(world.admin_b, Role.ADMIN, world.community_b)
    return world
