"""The client address behind reverse proxies: the audit log's IP and the per-IP lockout
read the right end of X-Forwarded-For, never what the client wrote at its left end."""

import pytest
from django.test import RequestFactory

from linli.accounts.tests.factories import PASSWORD
from linli.core.models import AuditEntry
from linli.core.proxies import client_address, header_meta_key

PROXY = "10.0.0.1"  # the nearest proxy, the peer Linli sees
WRONG = "Not-The-Password-1"
IP_LOCKED = ("Too many failed logins from this network address. Login from here is locked; "
             "try again in 15 minutes.")


@pytest.fixture
def behind_proxies(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXIES = 1
    return settings


def _login(client, username: str, password: str, forwarded: str):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _meta(forwarded: str | None, remote: str = PROXY) -> dict:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return meta


@pytest.mark.parametrize(("header", "key"), [
    ("X-Forwarded-For", "HTTP_X_FORWARDED_FOR"),
    ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_FOR"),  # the form .env.example once showed
    (" x-real-ip ", "HTTP_X_REAL_IP"),
])
def test_the_header_may_be_named_as_sent_or_as_wsgi_has_it(header, key):
    assert header_meta_key(header) == key


def test_without_a_header_setting_the_header_is_ignored(settings):
    settings.CLIENT_IP_HEADER = ""
    assert client_address(_meta("203.0.113.9")) == PROXY


@pytest.mark.parametrize(("forwarded", "client"), [
    ("203.0.113.9", "203.0.113.9"),
    ("1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client wrote 1.2.3.4 itself
    ("not-an-ip, 1.2.3.4,203.0.113.9", "203.0.113.9"),  # garbage on the left is never read
    ("2001:db8::1", "2001:db8::1"),
    ("2001:DB8:0::1", "2001:db8::1"),  # stored in one spelling, so lockout counts agree
])
def test_one_trusted_proxy_gives_the_address_it_appended(behind_proxies, forwarded, client):
    assert client_address(_meta(forwarded)) == client


@pytest.mark.parametrize(("forwarded", "client"), [
    ("203.0.113.9, 10.0.0.2", "203.0.113.9"),  # outer proxy saw the client, inner the outer
    ("1.2.3.4, 5.6.7.8, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ("10.0.0.2", PROXY),  # fewer entries than proxies: not through the chain, no guess
])
def test_two_trusted_proxies_give_the_address_the_outer_one_saw(behind_proxies, forwarded,
                                                                client):
    behind_proxies.TRUSTED_PROXIES = 2
    assert client_address(_meta(forwarded)) == client


@pytest.mark.parametrize("forwarded", [
    "", "garbage", "1.2.3.4, garbage", "203.0.113.9:4711", "1.2.3.4, ", "999.1.1.1",
    "1.2.3.4,,",
])
def test_a_garbage_header_falls_back_to_the_connecting_peer(behind_proxies, forwarded):
    assert client_address(_meta(forwarded)) == PROXY


def test_no_trusted_proxies_ignores_the_header(behind_proxies):
    behind_proxies.TRUSTED_PROXIES = 0
    assert client_address(_meta("203.0.113.9")) == PROXY


def test_a_garbage_remote_addr_gives_no_address(settings):
    settings.CLIENT_IP_HEADER = ""
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="").META) is None


@pytest.mark.django_db
def test_rotating_the_left_end_does_not_get_past_the_per_ip_lockout(client, world,
                                                                    behind_proxies):
    client.cookies["linli_language"] = "en"
    for i in range(5):
        _login(client, f"guess{i}", WRONG, f"198.51.100.{i}, 203.0.113.9")
    response = _login(client, "rita", PASSWORD, "198.51.100.77, 203.0.113.9")
    assert " ".join(response.context["form"].non_field_errors()) == IP_LOCKED
    # Another client behind the same proxy is not locked out.
    assert _login(client, "rita", PASSWORD, "203.0.113.10").status_code == 302


@pytest.mark.django_db
def test_the_audit_records_the_address_the_trusted_proxy_saw(client, world, behind_proxies):
    behind_proxies.TRUSTED_PROXIES = 2
    _login(client, "rita", PASSWORD, "192.0.2.66, 203.0.113.9, 10.0.0.2")
    entry = AuditEntry.objects.get(action="login.succeeded")
    assert (entry.object_label, entry.ip) == ("rita", "203.0.113.9")
