"""Fixtures of the core tests: the demo world the fuzz tests share (fuzzing.py)."""

import pytest
from django.test import override_settings

from linli.core.tests.fuzzing import fuzz_logins, sent_write


@pytest.fixture(scope="module")
def fuzz_world(request, demo_transaction):
    """The shared demo (linli/demo_fixtures.py) with tokens for the fuzz module; each test
    runs in its own savepoint on top (ask for `db` too)."""
    media = str(demo_transaction.media_root)
    with demo_transaction.blocker.unblock(), override_settings(MEDIA_ROOT=media):
        yield fuzz_logins()
    sent_write(request.module.__name__)
