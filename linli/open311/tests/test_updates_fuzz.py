"""Generated values for every field of POST servicerequestupdates, in both formats: never
a server error, every answer is 201/200 with an update_id or the spec's error list with
the HTTP status as its code."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.cases.models import Case
from linli.open311.models import ApiKey
from linli.open311.tests.conftest import BASE, JID, form, parsed

FUZZ = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
ANY = st.one_of(st.text(max_size=40), st.integers(-(10**25), 10**25).map(str), st.just(""))


def value(*likely: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(likely), ANY)


UPDATE = st.fixed_dictionaries({}, optional={
    "jurisdiction_id": value(JID, "nowhere.test"),
    "service_request_id": value("REQUEST", "0", "1,2"),
    "update_id": value("u-1", "u-2", "x" * 129),
    "status": value("OPEN", "closed", "fixed"),
    "description": value("还在漏水", "<b>x</b>", "漏" * 2001),
    "updated_datetime": value("2026-01-05T09:30:00+08:00", "2999-01-01", "now"),
    "media_url": value("https://img.example.com/a.jpg", "ftp://x"),
    "media_url[]": value("https://img.example.com/b.jpg"),
})


@pytest.fixture
def filed(client, o311) -> Case:
    ApiKey.objects.update(rate_limit=100_000)  # the rate limit is tested elsewhere
    response = client.post(f"{BASE}/requests.json", form(o311))
    return Case.objects.get(pk=int(parsed(response)[0]["service_request_id"]))


@pytest.mark.parametrize("fmt", ["xml", "json"])
@given(body=UPDATE, key=st.one_of(st.just("valid"), ANY))
@FUZZ
def test_posting_updates_answers_in_the_spec_format(fmt, body, key, o311, filed):
    body = {k: str(filed.pk) if v == "REQUEST" else v for k, v in body.items()}
    body["api_key"] = o311.key if key == "valid" else key
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"{BASE}/servicerequestupdates.{fmt}", body)
    assert response.status_code in (200, 201, 400, 403, 404), response.content
    data = parsed(response)
    if response.status_code < 300:
        assert [set(item) for item in data] == [{"update_id"}]
    else:
        assert data and all(e["code"] == str(response.status_code) and e["description"]
                            for e in data), data
