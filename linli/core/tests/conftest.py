"""Fixtures of the core tests: the demo world the fuzz tests share (fuzzing.py)."""

import pytest

from linli.core.tests.fuzzing import demo_world, sent_write


@pytest.fixture(scope="module")
def fuzz_world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, once per fuzz module, rolled back at its end; each test runs in its own
    savepoint on top (ask for `db` too)."""
    with django_db_blocker.unblock(), demo_world(tmp_path_factory.mktemp("media")) as found:
        yield found
    sent_write(request.module.__name__)
