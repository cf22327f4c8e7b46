"""The live server the browser tests use takes turns where its threads share a connection."""

import pytest
from django.db import connection

from linli.browser import TakingTurnsServer


@pytest.mark.django_db(transaction=True)
def test_the_live_server_takes_turns_only_on_a_shared_connection(django_db_setup, live_server):
    # The test database first: pytest-django shares the connection of an in-memory SQLite
    # database that exists when the (session-wide) live server starts.
    server = live_server.thread.httpd
    assert isinstance(server, TakingTurnsServer)
    shared = connection.vendor == "sqlite"  # in-memory: every thread uses the test's one
    assert bool(server.connections_override) is shared
    assert (getattr(server.get_app(), "__name__", "") == "one_at_a_time") is shared
