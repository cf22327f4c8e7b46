"""API calls with a bearer token skip the page machinery (session, messages): nothing of a
session is read or written for them, and everything else answers as before."""

import pytest

from linli.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def _bearer(world):
    _token, raw = api_token_create(actor=world.rita, name="lane")
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_call_is_its_users_and_sets_no_cookie(client, world):
    response = client.get("/api/accounts/me", headers=_bearer(world))
    assert response.status_code == 200 and response.json()["username"] == world.rita.username
    assert not response.cookies  # no session, no CSRF cookie


def test_a_token_call_to_an_open_endpoint_still_finds_a_user(client, world):
    assert client.get("/api/health", headers=_bearer(world)).status_code == 200


def test_a_bad_token_is_refused_even_beside_a_signed_in_session(client, world):
    client.force_login(world.rita)
    response = client.get("/api/accounts/me", headers={"Authorization": "Bearer lnl_x_y"})
    assert response.status_code == 401 and response.json()["code"] == "bad_token"
    # The session itself still works without the header.
    assert client.get("/api/accounts/me").status_code == 200


def test_pages_keep_their_session_and_messages(client, world):
    client.force_login(world.rita)
    response = client.get("/", headers={"Authorization": "Bearer lnl_x_y"})
    assert response.status_code == 200 and response.wsgi_request.user == world.rita
    assert hasattr(response.wsgi_request, "_messages")
