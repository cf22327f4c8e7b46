"""Generated values for every documented GeoReport v2 parameter (docs/open311.md), in both
formats: never a server error, and every refusal is the spec's error list in the format
the URL asked for (issue 12 item 7). Open311 has no OpenAPI, so hypothesis does this.
"""

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linli.core.tests.fuzzing import EXAMPLES, SEED, SENT
from linli.open311.demo import DEMO_JURISDICTION

pytestmark = [pytest.mark.fuzz, pytest.mark.parametrize("fmt", ["xml", "json"])]

FUZZ = settings(
    max_examples=EXAMPLES * 2, derandomize=SEED is None, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a client may send: the valid values, their near misses, and anything at all.
BIG = st.integers(min_value=-(10**30), max_value=10**30).map(str)
DATES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.sampled_from(["2026-12-06", "2026-12-06T08:00:00+08:00", "9999-12-31", "0001-01-01",
                     "2026-02-30", "2026-12-06T25:00:00Z", "now"]),
)
TEXT = st.text(max_size=60)
ANY = st.one_of(TEXT, BIG, st.just(""))


def value(*likely: Any) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from([str(v) for v in likely]), ANY) if likely else ANY


def params(**fields: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, str]]:
    """Any subset of the fields, each with a generated value."""
    return st.fixed_dictionaries({}, optional=fields)


JURISDICTION = value(DEMO_JURISDICTION, "nowhere.test")
SERVICE_CODE = value("01076", "01001", "01076,01001")
REQUEST_ID = st.one_of(st.integers(min_value=0, max_value=10**25).map(str), ANY)
READ = params(jurisdiction_id=JURISDICTION, extensions=value("true", "false"))
LIST = params(
    jurisdiction_id=JURISDICTION, service_request_id=value("1", "1,2", "0,x"),
    service_code=SERVICE_CODE, start_date=DATES, end_date=DATES,
    status=value("open", "closed", "open,closed"), extensions=value("true"),
)
UPDATES = params(jurisdiction_id=JURISDICTION, start_date=DATES, end_date=DATES)
FILE = params(
    jurisdiction_id=JURISDICTION, service_code=SERVICE_CODE,
    lat=st.one_of(st.floats(allow_nan=True).map(str), value("30.58", "91", "-0")),
    long=st.one_of(st.floats(allow_nan=True).map(str), value("114.29", "181")),
    address_string=TEXT, address_id=value("1"), description=st.text(max_size=2100),
    media_url=value("https://example.org/a.jpg", "javascript:alert(1)", "http://" + "x" * 600),
    first_name=TEXT, last_name=TEXT, email=TEXT, phone=TEXT, device_id=TEXT,
    account_id=TEXT, **{"attribute[trapped]": value("yes", "no"),
                        "attribute[trapped][]": value("yes")},
)


def answer_check(response, fmt: str) -> None:
    """No server error; the body is well-formed in the asked format; a refusal is the
    spec's error list, each error's code the HTTP status."""
    assert response.status_code < 500, f"{response.status_code}: a server error"
    expected_type = "application/json" if fmt == "json" else "text/xml"
    assert response["Content-Type"].startswith(expected_type), response["Content-Type"]
    if fmt == "json":
        body = json.loads(response.content)
        errors = body if response.status_code >= 400 else []
        codes = [(e["code"], e["description"]) for e in errors]
    else:
        root = ET.fromstring(response.content)
        errors = list(root) if response.status_code >= 400 else []
        if response.status_code >= 400:
            assert root.tag == "errors", root.tag
        codes = [(e.findtext("code"), e.findtext("description")) for e in errors]
    for code, description in codes:
        assert code == str(response.status_code), (code, response.status_code)
        assert description, "an error without a description"
    if response.status_code >= 400:
        assert codes, "a refusal without an error in it"


def send(method: str, path: str, fmt: str, data: dict[str, str], headers=None,
         segment: str = "") -> None:
    """`path` with `{fmt}` and perhaps `{segment}` (a generated path segment, quoted)."""
    SENT[f"{__name__} {method} {path}"] += 1
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    url = path.format(fmt=fmt, segment=quote(segment, safe=""))
    if method == "POST":
        response = client.post(url, urlencode(data),
                               content_type="application/x-www-form-urlencoded",
                               headers=headers or {})
    else:
        response = client.get(url, data)
    try:
        answer_check(response, fmt)
    except (AssertionError, ValueError, ET.ParseError) as problem:
        # Hypothesis prints the inputs of a pytest-parametrized test blank: say them here.
        raise AssertionError(f"{method} {url} {data!r} {headers or ''} -> "
                             f"{response.status_code} {response.content[:300]!r}: "
                             f"{problem}") from problem


@given(query=READ)
@FUZZ
def test_discovery_and_services_answer_in_the_spec_format(fmt, query, fuzz_world, db):
    send("GET", "/open311/discovery.{fmt}", fmt, query)
    send("GET", "/open311/v2/services.{fmt}", fmt, query)


@given(code=st.one_of(SERVICE_CODE, st.from_regex(r"\A[A-Za-z0-9_-]{1,50}\Z")), query=READ)
@FUZZ
def test_service_definition_answers_in_the_spec_format(fmt, code, query, fuzz_world, db):
    send("GET", "/open311/v2/services/{segment}.{fmt}", fmt, query, segment=code)


@given(query=LIST)
@FUZZ
def test_request_list_answers_in_the_spec_format(fmt, query, fuzz_world, db):
    send("GET", "/open311/v2/requests.{fmt}", fmt, query)


@given(request_id=REQUEST_ID, query=READ)
@FUZZ
def test_one_request_answers_in_the_spec_format(fmt, request_id, query, fuzz_world, db):
    send("GET", "/open311/v2/requests/{segment}.{fmt}", fmt, query, segment=request_id)


@given(token=value("tok", "x" * 129), query=READ)
@FUZZ
def test_token_lookup_answers_in_the_spec_format(fmt, token, query, fuzz_world, db):
    send("GET", "/open311/v2/tokens/{segment}.{fmt}", fmt, query, segment=token)


# Found by this test: a date at the calendar's edge (start_date=9999-12-31) overflowed the
# 90-day window in open311/dates.py; dates are now bounded to 1970-2999.
@given(query=UPDATES)
@FUZZ
def test_updates_feed_answers_in_the_spec_format(fmt, query, fuzz_world, db):
    send("GET", "/open311/v2/servicerequestupdates.{fmt}", fmt, query)


@given(form=FILE, key=st.one_of(st.just("valid"), ANY), idempotency=st.one_of(st.just(""), TEXT))
@FUZZ
def test_filing_answers_in_the_spec_format(fmt, form, key, idempotency, fuzz_world, db):
    form = {**form, "api_key": fuzz_world.open311_key if key == "valid" else key}
    headers = {"Idempotency-Key": idempotency} if idempotency.isprintable() else {}
    send("POST", "/open311/v2/requests.{fmt}", fmt, form, headers)
