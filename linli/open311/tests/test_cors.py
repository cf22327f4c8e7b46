"""CORS: every Open311 resource answers a preflight (OPTIONS) with what a web page on
another origin may do: read (GET, HEAD), never file (no POST in the preflight)."""

import pytest

from linli.open311.tests.conftest import BASE, JID, form, parsed

PATHS = [f"{BASE}/{p}" for p in (
    "discovery.json", "services.xml", "services/L1003.json", "requests.json", "requests/1.xml",
    "tokens/abc.json", "servicerequestupdates.xml")] + [
    "/open311/discovery.xml", "/open311/test/v2/requests.json",
    "/open311/test/v2/servicerequestupdates.json"]


@pytest.mark.parametrize("path", PATHS)
def test_a_preflight_answers_204_with_what_a_page_may_do(client, o311, path):
    response = client.options(path, HTTP_ORIGIN="https://map.example.org",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept-language")
    assert response.status_code == 204
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    headers = [h.strip() for h in response["Access-Control-Allow-Headers"].split(",")]
    assert {"Accept-Language", "Content-Type", "Idempotency-Key"} <= set(headers)
    assert int(response["Access-Control-Max-Age"]) >= 600


def test_the_preflight_of_the_filing_resource_lists_post_in_allow_only(client, o311):
    """`Allow` says what the resource takes; the CORS methods what a web page may send."""
    response = client.options(f"{BASE}/requests.json")
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert "POST" not in response["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_a_preflight_for_anything_but_a_read_is_not_allowed(client, o311, method):
    """POST is CORS-safelisted: only a preflight without Allow-Origin stops a browser
    from sending it (with an Idempotency-Key, say)."""
    response = client.options(f"{BASE}/requests.json", HTTP_ORIGIN="https://x.example",
                              HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
                              HTTP_ACCESS_CONTROL_REQUEST_HEADERS="idempotency-key")
    assert response.status_code == 204
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert not response.has_header("Access-Control-Allow-Origin")
    assert not response.has_header("Access-Control-Allow-Methods")


def test_a_read_carries_allow_origin_and_a_filing_does_not(client, o311):
    got = client.get(f"{BASE}/requests.json", {"jurisdiction_id": JID},
                     HTTP_ORIGIN="https://map.example.org")
    assert got.status_code == 200 and got["Access-Control-Allow-Origin"] == "*"
    filed = client.post(f"{BASE}/requests.json", form(o311),
                        HTTP_ORIGIN="https://map.example.org")
    assert filed.status_code == 201
    assert not filed.has_header("Access-Control-Allow-Origin")


def test_a_refused_method_lists_options_in_allow(client, o311):
    response = client.delete(f"{BASE}/requests.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert parsed(response) == [{"code": "405",
                                 "description": "DELETE is not allowed here."}]


def test_options_on_an_unknown_resource_is_the_404_error_list(client, o311):
    response = client.options(f"{BASE}/nothing.json")
    assert response.status_code == 404
    assert parsed(response)[0]["code"] == "404"
