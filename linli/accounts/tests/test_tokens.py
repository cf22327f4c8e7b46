"""API tokens: hashed at rest, shown once, revocable, expiring, scoped like their user."""

from datetime import timedelta

import pytest

from linli.accounts import services
from linli.accounts.models import ApiToken
from linli.accounts.tests.conftest import api_login, bearer, database_contains
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _token(client, name: str = "rita", **extra) -> str:
    response = api_login(client, name, **extra)
    assert response.status_code == 201, response.content
    return response.json()["token"]


def _secret(token: str) -> str:
    return token.split("_", 2)[2]


def test_the_token_is_shown_once_and_only_its_hash_is_stored(client, world):
    response = api_login(client, "rita", name="phone app")
    body = response.json()
    token = body["token"]
    row = ApiToken.objects.get()
    assert body == {"token": token, "id": row.pk, "name": "phone app",
                    "expires_at": body["expires_at"]}
    assert token.startswith(f"lnl_{row.prefix}_") and len(row.prefix) == 12
    assert len(_secret(token)) >= 40
    assert database_contains(_secret(token)) == []
    assert database_contains(token) == []
    listed = client.get("/api/accounts/tokens", **bearer(token)).json()
    assert [set(t) for t in listed] == [{"id", "name", "prefix", "created_at", "expires_at",
                                         "revoked_at", "last_used_at"}]
    assert _secret(token) not in str(listed)


def test_a_token_authenticates_as_its_user_and_records_use(client, world):
    token = _token(client)
    response = client.get("/api/accounts/me", **bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == "rita"
    assert ApiToken.objects.get().last_used_at is not None


def test_the_default_lifetime_is_api_token_days(client, world, settings):
    _token(client)
    row = ApiToken.objects.get()
    lifetime = row.expires_at - row.created_at
    assert abs(lifetime - timedelta(days=settings.API_TOKEN_DAYS)) < timedelta(seconds=1)


def test_an_expired_token_is_refused(client, world, clock):
    token = _token(client, days=1)
    assert client.get("/api/accounts/me", **bearer(token)).status_code == 200
    clock.shift(timedelta(days=1, seconds=1))
    response = client.get("/api/accounts/me", **bearer(token))
    assert response.status_code == 401
    assert response.json() == {"code": "token_expired",
                               "message": "This API token has expired. Create a new one."}


def test_a_revoked_token_is_refused(client, world):
    token = _token(client)
    token_id = ApiToken.objects.get().pk
    assert client.delete(f"/api/accounts/tokens/{token_id}", **bearer(token)).status_code == 204
    response = client.get("/api/accounts/me", **bearer(token))
    assert response.status_code == 401
    assert response.json() == {"code": "token_revoked",
                               "message": "This API token has been revoked."}
    assert AuditEntry.objects.filter(action="token.revoked", actor=world.rita).count() == 1


@pytest.mark.parametrize("raw", ["nonsense", "lnl_", "lnl_00000000_abc", "lnl__"])
def test_a_garbage_token_is_refused(client, world, raw):
    response = client.get("/api/accounts/me", **bearer(raw))
    assert response.status_code == 401
    assert response.json() == {"code": "bad_token", "message": "The API token is not valid."}


def test_a_right_prefix_with_a_wrong_secret_is_refused(client, world):
    token = _token(client)
    forged = token[: -4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert client.get("/api/accounts/me", **bearer(forged)).json()["code"] == "bad_token"


def test_a_disabled_users_token_is_refused(client, world):
    token = _token(client)
    world.rita.is_active = False
    world.rita.save(update_fields=["is_active"])
    response = client.get("/api/accounts/me", **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "account_disabled"


def test_a_token_carries_its_users_scope(client, world):
    bob_token = _token(client, "bob", otp=_enrolled_code(world.bob))
    response = client.get(f"/api/orgs/areas/{world.community_a.pk}", **bearer(bob_token))
    assert response.status_code == 404
    assert client.get(f"/api/orgs/areas/{world.community_b.pk}",
                      **bearer(bob_token)).status_code == 200


def test_a_token_cannot_revoke_another_users_token(client, world):
    rita_token = _token(client)
    gina_token = _token(client, "gina")
    gina_id = ApiToken.objects.get(user=world.gina).pk
    response = client.delete(f"/api/accounts/tokens/{gina_id}", **bearer(rita_token))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=gina_id).revoked_at is None
    assert client.get("/api/accounts/me", **bearer(gina_token)).status_code == 200


def test_token_list_shows_only_the_callers_tokens(client, world):
    rita_token = _token(client)
    _token(client, "gina")
    listed = client.get("/api/accounts/tokens", **bearer(rita_token)).json()
    assert [t["id"] for t in listed] == [ApiToken.objects.get(user=world.rita).pk]


@pytest.mark.parametrize("days", [-1, 367])
def test_a_lifetime_out_of_range_is_refused(client, world, days):
    response = api_login(client, "rita", days=days)
    assert response.status_code == 400
    assert response.json()["message"] == "A token lives between 1 and 366 days."
    assert ApiToken.objects.count() == 0


def test_the_service_refuses_a_nameless_token(world):
    with pytest.raises(ValidationFailed):
        services.api_token_create(actor=world.rita, name="  ")
    assert ApiToken.objects.count() == 0


def test_only_the_owner_or_their_admin_revokes(world):
    token, _secret_text = services.api_token_create(actor=world.alice, name="x")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=world.bob, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    services.api_token_revoke(actor=world.ada, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


class TestProfilePage:
    def test_a_token_made_on_the_page_is_shown_once(self, client, world):
        client.force_login(world.rita)
        response = client.post("/accounts/me/", {"tk-name": "tablet", "tk-days": "30"})
        token = response.context["new_token"]
        assert token.startswith("lnl_")
        assert f'<code id="new-token">{token}</code>' in response.content.decode()
        again = client.get("/accounts/me/").content.decode()
        assert _secret(token) not in again and "tablet" in again
        assert client.get("/api/accounts/me", **bearer(token)).status_code == 200

    def test_a_token_is_revoked_on_the_page(self, client, world):
        token = _token(client)
        row = ApiToken.objects.get()
        client.force_login(world.rita)
        response = client.post(f"/accounts/me/tokens/{row.pk}/revoke/")
        assert response.status_code == 302 and response.url == "/accounts/me/"
        row.refresh_from_db()
        assert row.revoked_at is not None
        assert client.get("/api/accounts/me", **bearer(token)).status_code == 401

    def test_another_users_token_is_not_revoked_on_the_page(self, client, world):
        _token(client, "gina")
        row = ApiToken.objects.get()
        client.force_login(world.rita)
        client.post(f"/accounts/me/tokens/{row.pk}/revoke/")
        row.refresh_from_db()
        assert row.revoked_at is None


def _enrolled_code(user) -> str:
    from linli.accounts.tests.factories import enrol_otp

    return enrol_otp(user).now()
