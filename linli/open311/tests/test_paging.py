"""GET requests in pages (page, page_size, X-Total-Count, Link), FixMyStreet's
max_requests, agency_responsible and has_photo, unknown parameters refused, ids that
cannot exist, and +0800 offsets."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from linli.cases.models import Photo, State
from linli.cases.tests.walking import case_in_state, report
from linli.open311.tests.conftest import BASE, JID, both, form, parsed


def _ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def five(o311):
    """Five public reports of community A, newest first in `five.newest`."""
    cases = [report(o311, now=_ago(hours)) for hours in range(1, 6)]
    o311.newest = [str(c.pk) for c in cases]
    return o311


def _page(client, **params) -> tuple[list[str], dict[str, str]]:
    """The ids and the paging headers, read in XML and JSON (which must agree)."""
    xml_response, data = both(client, "requests", **params)
    assert xml_response.status_code == 200, data
    json_response = client.get(f"{BASE}/requests.json", params)
    headers = {}
    for name in ("X-Total-Count", "Link"):
        # The same, but for the links' own format suffix.
        json_value = json_response.get(name)
        if json_value is not None:
            json_value = json_value.replace("requests.json", "requests.xml")
        assert xml_response.get(name) == json_value
        if xml_response.get(name) is not None:
            headers[name] = xml_response[name]
    return [r["service_request_id"] for r in data], headers


def _errors(client, path="requests", **params) -> list[dict]:
    xml_response, data = both(client, path, **params)
    assert xml_response.status_code == 400
    return data


def _links(header: str) -> dict[str, dict[str, list[str]]]:
    """rel -> the link's query."""
    found = {}
    for part in header.split(", "):
        url, rel = part.split("; ")
        found[rel.removeprefix('rel="').rstrip('"')] = parse_qs(urlsplit(url.strip("<>")).query)
    return found


def test_pages_walk_the_list_newest_first(client, five):
    ids, headers = _page(client, page_size="2")
    assert ids == five.newest[:2]
    assert headers["X-Total-Count"] == "5"
    assert _links(headers["Link"]) == {"next": {"page": ["2"], "page_size": ["2"]}}
    ids, headers = _page(client, page="2", page_size="2", service_code="L1003")
    assert ids == five.newest[2:4]
    assert _links(headers["Link"]) == {
        "prev": {"page": ["1"], "page_size": ["2"], "service_code": ["L1003"]},
        "next": {"page": ["3"], "page_size": ["2"], "service_code": ["L1003"]}}
    assert headers["Link"].startswith(f"<http://testserver{BASE}/requests.xml?")
    ids, headers = _page(client, page="3", page_size="2")
    assert ids == five.newest[4:]
    assert list(_links(headers["Link"])) == ["prev"]
    ids, headers = _page(client, page="9", page_size="2")
    assert ids == [] and headers["X-Total-Count"] == "5"


def test_a_page_without_a_size_takes_the_default_and_the_total_counts_filters(client, five):
    ids, headers = _page(client, page="1")
    assert ids == five.newest and headers == {"X-Total-Count": "5"}
    case_in_state(five, State.REJECTED)
    ids, headers = _page(client, status="open", page_size="4")
    assert ids == five.newest[:4] and headers["X-Total-Count"] == "5"


def test_an_unpaged_list_carries_the_total_and_the_next_page(client, five, monkeypatch):
    ids, headers = _page(client)
    assert ids == five.newest and headers == {"X-Total-Count": "5"}
    monkeypatch.setattr("linli.open311.selectors.MAX_RESULTS", 3)
    ids, headers = _page(client)
    assert ids == five.newest[:3] and headers["X-Total-Count"] == "5"
    assert _links(headers["Link"]) == {"next": {"page": ["2"], "page_size": ["3"]}}


def test_browsers_on_other_origins_may_read_the_paging_headers(client, five):
    response = client.get(f"{BASE}/requests.json", {"page_size": "1"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Expose-Headers"] == "X-Total-Count, Link"
    head = client.head(f"{BASE}/requests.json", {"page_size": "1"})
    assert head["X-Total-Count"] == "5" and head.content == b""


def test_max_requests_caps_the_list(client, five):
    ids, headers = _page(client, max_requests="3")
    assert ids == five.newest[:3] and headers == {"X-Total-Count": "3"}
    ids, headers = _page(client, max_requests="3", page="2", page_size="2")
    assert ids == five.newest[2:3] and headers["X-Total-Count"] == "3"
    assert list(_links(headers["Link"])) == ["prev"]


@pytest.mark.parametrize(("name", "value", "most"), [
    ("page_size", "1001", 1000), ("page_size", "0", 1000), ("page_size", "-5", 1000),
    ("page_size", "ten", 1000), ("page_size", "2.5", 1000), ("page", "0", 1_000_000),
    ("page", "1000001", 1_000_000), ("page", "x", 1_000_000), ("page", "１", 1_000_000),
    ("max_requests", "1001", 1000), ("max_requests", "0", 1000),
])
def test_bad_paging_is_400(client, five, name, value, most):
    assert _errors(client, **{name: value}) == [{
        "code": "400", "description": f"{name} must be a whole number from 1 to {most}."}]


def test_agency_responsible_is_the_unit_or_the_community(client, five):
    handled = case_in_state(five, State.DISPATCHED)
    ids, _headers = _page(client, agency_responsible="花楼物业")
    assert ids == [str(handled.pk)]
    ids, _headers = _page(client, agency_responsible="花楼社区")
    assert ids == five.newest
    ids, _headers = _page(client, agency_responsible=["花楼物业", "花楼社区"])
    assert ids == [str(handled.pk), *five.newest]
    assert _page(client, agency_responsible="水塔社区")[0] == []


def test_has_photo_counts_photos_and_media_urls(client, five):
    Photo.objects.create(case_id=int(five.newest[1]), image="cases/a.jpg",
                         thumbnail="cases/thumbs/a.jpg", content_type="image/jpeg", size=1,
                         width=1, height=1)
    response = client.post(f"{BASE}/requests.json",
                           form(five, media_url="https://example.org/leak.jpg"))
    assert response.status_code == 201, response.content
    sent = response.json()[0]["service_request_id"]
    assert _page(client, has_photo="true")[0] == [sent, five.newest[1]]
    without = _page(client, has_photo="FALSE")[0]
    assert without == [i for i in five.newest if i != five.newest[1]]
    assert _errors(client, has_photo="yes") == [{"code": "400",
                                                 "description": "has_photo is true or false."}]


def test_an_unknown_parameter_is_400_naming_it(client, five):
    data = _errors(client, sort="newest", service_cod="L1003")
    assert data == [{"code": "400", "description": (
        "Unknown parameter service_cod, sort: this resource takes jurisdiction_id, "
        "service_request_id, service_code, start_date, end_date, status, extensions, page, "
        "page_size, max_requests, agency_responsible, has_photo, api_key, lang.")}]
    # The spec's and FixMyStreet's own parameters are all fine.
    ids, _headers = _page(client, jurisdiction_id=JID, api_key="any", extensions="true",
                          lang="en", start_date=_ago(48).isoformat(timespec="seconds"))
    assert ids == five.newest


def test_one_request_takes_only_the_jurisdiction_and_extensions(client, five):
    path = f"requests/{five.newest[0]}"
    xml_response, _data = both(client, path, jurisdiction_id=JID, extensions="true")
    assert xml_response.status_code == 200
    assert _errors(client, path, status="open") == [{"code": "400", "description": (
        "Unknown parameter status: this resource takes jurisdiction_id, extensions, "
        "api_key, lang.")}]


def test_ids_that_cannot_exist_match_nothing(client, five):
    assert _page(client, service_request_id="abc")[0] == []
    assert _page(client, service_request_id="abc", status="open")[0] == []
    assert _page(client, service_request_id=f"x,{five.newest[2]},{10**25},0")[0] == [
        five.newest[2]]
    assert _page(client, service_request_id=f"{five.newest[0]},{five.newest[3]}",
                 page_size="1", page="2")[0] == [five.newest[3]]


@pytest.mark.parametrize("offset", ["+0800", " 0800", "+08:00", " 08:00"])
def test_offsets_without_a_colon_or_with_a_lost_plus_are_understood(client, five, offset):
    start = timezone.localtime(_ago(2.5)).strftime("%Y-%m-%dT%H:%M:%S")
    # Unencoded, as some clients send it: "+" reads as a space.
    raw = f"{BASE}/requests.json?start_date={start}{offset.replace(' ', '+')}"
    response = client.get(raw)
    assert response.status_code == 200, response.content
    assert [r["service_request_id"] for r in parsed(response)] == five.newest[:2]
    # Encoded, "+" stays "+".
    assert _page(client, start_date=f"{start}{offset}")[0] == five.newest[:2]


def test_a_west_offset_without_a_colon_is_understood(client, five):
    start = _ago(2.5).astimezone(timezone.get_fixed_timezone(-300))
    ids, _headers = _page(client, start_date=start.strftime("%Y-%m-%dT%H:%M:%S-0500"))
    assert ids == five.newest[:2]
