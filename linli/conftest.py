"""Shared test set-up: real databases, service checks, and the actors every scope test uses."""

import os
import socket
from types import SimpleNamespace

import pytest

from linli.browser import (  # noqa: F401 (fixtures)
    browser,
    new_page,
    page,
    phone_page,
    take_turns_on_shared_connections,
)
from linli.core.db import set_purge_allowed
from linli.demo_fixtures import (  # noqa: F401 (fixtures)
    demo,
    demo_committed,
    demo_state,
    demo_transaction,
    prepare_for,
    reads_shared_demo,
)

REQUIRE_SERVICES = os.environ.get("LINLI_TEST_REQUIRE_SERVICES") == "1"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # History tables refuse DELETE/TRUNCATE; let Django empty them between transactional
    # tests. Tests of the guard itself clear the flag inside their own transaction.
    from django.db import connection

    with django_db_blocker.unblock():
        set_purge_allowed(connection, True)


def service_reachable(host: str, port: int) -> str | None:
    """None if a TCP connection opens, else the reason it did not."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return None
    except OSError as exc:
        return f"{host}:{port} unreachable ({exc})"


def require_service(name: str, host: str, port: int) -> None:
    problem = service_reachable(host, port)
    if problem is None:
        return
    message = f"{name} is not running: {problem}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (CI runs every test; start the service)")
    pytest.skip(message)


@pytest.fixture
def postgres_only(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")


def pytest_configure(config):
    take_turns_on_shared_connections()


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL; run with DATABASE_URL set")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
    # Browser tests last: Playwright's event loop stays running in the thread until the
    # session ends, which would upset any later test that starts an event loop itself.
    # Just before them, the files whose tests read the shared demo, side by side, so that
    # a worker builds the demo about once (linli/demo_fixtures.py).
    demo_files = {item.path for item in items if reads_shared_demo(item)}
    items.sort(key=lambda item: ("browser" in item.keywords, item.path in demo_files,
                                 reads_shared_demo(item)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    prepare_for(item)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production uses Argon2 (tested in accounts/tests/test_login.py); most tests only need
    # a password to work, so they hash fast.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


class World(SimpleNamespace):
    """One street with two communities, the actors of every scope test:

    alice: dispatcher of community A · bob: dispatcher of community B ·
    gina: grid worker of grid A1 · rita: resident of dwelling A1-1-1-101 ·
    uma: member of the property unit serving A · leo: leader of the street ·
    ada: admin of the district · nobody: a user without roles.
    """


@pytest.fixture
def world(db):
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import UserFactory, assign
    from linli.orgs.tests.factories import UnitFactory, make_area

    w = World()
    w.district = make_area("district", "江汉区", code="420103")
    w.street = make_area("street", "民族街道", w.district, code="420103001")
    w.community_a = make_area("community", "花楼社区", w.street, code="420103001001")
    w.community_b = make_area("community", "水塔社区", w.street, code="420103001002")
    w.grid_a1 = make_area("grid", "花楼第一网格", w.community_a, code="420103001001001")
    w.grid_a2 = make_area("grid", "花楼第二网格", w.community_a, code="420103001001002")
    w.grid_b1 = make_area("grid", "水塔第一网格", w.community_b, code="420103001002001")
    w.estate_a = make_area("estate", "花楼小区", w.grid_a1)
    w.building_a = make_area("building", "1栋", w.estate_a)
    w.entrance_a = make_area("entrance", "1单元", w.building_a)
    w.dwelling_a = make_area("dwelling", "101", w.entrance_a)
    w.estate_b = make_area("estate", "水塔小区", w.grid_b1)
    w.dwelling_b = make_area("dwelling", "201", make_area("building", "2栋", w.estate_b))
    w.unit_a = UnitFactory(name="花楼物业", service_areas=[w.community_a])
    w.unit_b = UnitFactory(name="水塔物业", service_areas=[w.community_b])
    w.alice = UserFactory(username="alice")
    assign(w.alice, Role.DISPATCHER, w.community_a)
    w.bob = UserFactory(username="bob")
    assign(w.bob, Role.DISPATCHER, w.community_b)
    w.gina = UserFactory(username="gina")
    assign(w.gina, Role.GRID_WORKER, w.grid_a1)
    w.rita = UserFactory(username="rita")
    assign(w.rita, Role.RESIDENT, w.dwelling_a)
    w.uma = UserFactory(username="uma")
    assign(w.uma, Role.UNIT_MEMBER, w.community_a, unit=w.unit_a)
    w.leo = UserFactory(username="leo")
    assign(w.leo, Role.LEADER, w.street)
    w.ada = UserFactory(username="ada")
    assign(w.ada, Role.ADMIN, w.district)
    w.nobody = UserFactory(username="nobody")
    return w
