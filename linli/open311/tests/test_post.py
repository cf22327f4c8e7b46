"""POST requests: a filed request becomes a case in the dispatcher's queue; every bad
request gets the spec's error list with the right status, and creates nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from linli.cases.models import Case, CaseEvent
from linli.cases.selectors import case_list
from linli.core.models import AuditEntry
from linli.open311.models import ApiKey, RateCount, Submission
from linli.open311.services import RateLimited, api_key_issue, rate_check
from linli.open311.tests.conftest import BASE, form, parsed


def _post(client, world, fmt="json", headers=None, **overrides):
    return client.post(f"{BASE}/requests.{fmt}", form(world, **overrides),
                       headers=headers or {})


def _nothing_created():
    assert Case.objects.count() == 0
    assert Submission.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert AuditEntry.objects.filter(action__in=["case.reported",
                                                 "open311.request_filed"]).count() == 0


def test_a_filed_request_lands_in_the_dispatchers_queue(client, o311):
    response = _post(client, o311)
    assert response.status_code == 201
    case = Case.objects.get()
    assert parsed(response) == [{"service_request_id": str(case.pk),
                                 "service_notice": "To be handled within 8 working hours of "
                                                   "dispatch."}]
    assert list(case_list(actor=o311.alice)) == [case]
    assert list(case_list(actor=o311.bob)) == []
    assert (case.channel, case.state, case.category, case.area) == (
        "open311", "reported", o311.leak, o311.estate_a)
    assert (str(case.lat), str(case.lng), case.address) == ("30.583100", "114.293100", "")
    assert (case.reporter, case.reporter_name, case.description) == (None, "王小明",
                                                                     "楼道水管漏水")
    assert case.suggested_unit == o311.unit_a
    submission = Submission.objects.get()
    assert (submission.case, submission.api_key, submission.attributes) == (
        case, o311.api_key, {"floor": "2"})
    assert len(submission.token) == 22
    assert [e.action for e in case.events.all()] == ["report"]
    assert AuditEntry.objects.filter(action="open311.request_filed",
                                     changes__app="街坊").count() == 1


def test_contact_details_are_not_kept(client, o311):
    _post(client, o311)
    stored = [str(Case.objects.values().get()), str(Submission.objects.values().get()),
              str(list(AuditEntry.objects.values())), str(list(CaseEvent.objects.values()))]
    for secret in ("13612345678", "wang@example.com"):
        assert all(secret not in text for text in stored)


def test_a_request_filed_in_xml_is_answered_in_xml(client, o311):
    response = _post(client, o311, fmt="xml")
    assert response.status_code == 201
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert parsed(response) == [{"service_request_id": str(Case.objects.get().pk),
                                 "service_notice": "To be handled within 8 working hours of "
                                                   "dispatch."}]


def test_the_api_key_may_come_in_the_query_string(client, o311):
    body = form(o311)
    key = body.pop("api_key")
    response = client.post(f"{BASE}/requests.json?api_key={key}", body)
    assert response.status_code == 201


def test_lat_long_picks_the_nearest_grid_or_estate(client, o311):
    _post(client, o311, lat="30.575200", long="114.285100")
    assert Case.objects.get().area == o311.grid_a2


def test_address_id_names_a_place_in_the_community(client, o311):
    _post(client, o311, lat=None, long=None, address_id=str(o311.dwelling_a.pk))
    case = Case.objects.get()
    assert (case.area, case.lat) == (o311.dwelling_a, None)


def test_address_string_alone_files_at_the_community(client, o311):
    _post(client, o311, lat=None, long=None, address_string="花楼街 12 号门口")
    case = Case.objects.get()
    assert (case.area, case.address, str(case.lat)) == (o311.community_a, "花楼街 12 号门口",
                                                         "30.580000")


def test_multi_value_answers_and_html_stripped(client, o311):
    body = form(o311, description="<b>水管</b><script>alert(1)</script>漏水<br>")
    body["attribute[where][]"] = ["kitchen", "bath"]
    assert client.post(f"{BASE}/requests.json", body).status_code == 201
    case = Case.objects.get()
    assert case.description == "水管alert(1)漏水"
    assert Submission.objects.get().attributes == {"floor": "2", "where": ["kitchen", "bath"]}


def test_media_url_is_kept(client, o311):
    _post(client, o311, media_url="https://img.example.com/leak.jpg")
    assert Submission.objects.get().media_url == "https://img.example.com/leak.jpg"


def test_missing_service_code_takes_the_suggested_category(client, o311):
    # A free-text app may leave the choice to triage: the category suggested first.
    body = form(o311, service_code=None, description="楼道水管爆了一直在漏水")
    assert client.post(f"{BASE}/requests.json", body).status_code == 201
    assert Case.objects.get().category == o311.leak


BAD = [
    ("missing service_code, no telling description",
     {"service_code": None, "description": "！！！"}, 400,
     ["service_code was not provided, and the description does not say what kind of "
      "problem it is."]),
    ("unknown service", {"service_code": "NOPE"}, 404, ["service_code NOPE was not found."]),
    ("group as service", {"service_code": "L1"}, 404, ["service_code L1 was not found."]),
    ("missing location", {"lat": None, "long": None}, 400,
     ["A location is required: lat and long, address_string or address_id."]),
    ("lat without long", {"long": None}, 400, ["lat and long are sent together."]),
    ("lat out of range", {"lat": "91"}, 400, ["lat must be a number between -90 and 90."]),
    ("long not a number", {"long": "east"}, 400,
     ["long must be a number between -180 and 180."]),
    ("far away", {"lat": "39.9", "long": "116.4"}, 400,
     ["lat/long is outside this jurisdiction."]),
    ("address_id elsewhere", {"lat": None, "long": None, "address_id": "999999"}, 400,
     ["address_id 999999 is not a place in this jurisdiction."]),
    ("oversized description", {"description": "漏" * 4001}, 400,
     ["description is at most 4000 characters."]),
    ("value not in the definition", {"attribute[floor]": "9"}, 400,
     ["attribute[floor]: 9 is not one of the choices."]),
    ("required answer missing", {"attribute[floor]": None}, 400,
     ["attribute[floor] is required: Which floor?"]),
    ("unknown question", {"attribute[colour]": "red"}, 400,
     ["attribute[colour] is not a question of this service."]),
    ("two values for one", {"attribute[floor]": ["1", "2"]}, 400,
     ["attribute[floor] takes one value."]),
    ("bad media_url", {"media_url": "javascript:alert(1)"}, 400,
     ["media_url must be an http(s) URL of at most 500 characters."]),
    ("long address", {"lat": None, "long": None, "address_string": "路" * 201}, 400,
     ["address_string is at most 200 characters."]),
    ("several problems", {"lat": None, "long": None, "description": "漏" * 4001,
                          "attribute[floor]": "9"}, 400,
     ["A location is required: lat and long, address_string or address_id.",
      "description is at most 4000 characters.",
      "attribute[floor]: 9 is not one of the choices."]),
]


@pytest.mark.parametrize(("name", "overrides", "status", "problems"), BAD,
                         ids=[b[0] for b in BAD])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_bad_requests_are_refused_and_create_nothing(client, o311, fmt, name, overrides,
                                                     status, problems):
    response = _post(client, o311, fmt=fmt, **overrides)
    assert response.status_code == status
    assert parsed(response) == [{"code": str(status), "description": p} for p in problems]
    _nothing_created()


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("key", [None, "", "nonsense", "o311_abcdef123456_wrong"])
def test_a_missing_or_wrong_key_is_403(client, o311, fmt, key):
    response = _post(client, o311, fmt=fmt, api_key=key)
    assert response.status_code == 403
    assert parsed(response) == [{"code": "403",
                                 "description": "Missing, invalid or revoked api_key."}]
    _nothing_created()


def test_a_revoked_key_is_403(client, o311):
    ApiKey.objects.filter(pk=o311.api_key.pk).update(revoked_at=timezone.now())
    assert _post(client, o311).status_code == 403
    _nothing_created()


def test_a_key_for_another_community_is_403(client, o311):
    _row, key_b = api_key_issue(actor=None, app_name="水塔", communities=[o311.community_b])
    response = _post(client, o311, api_key=key_b)
    assert response.status_code == 403
    assert parsed(response)[0]["description"] == ("This api_key may not file requests in this "
                                                  "jurisdiction.")
    _nothing_created()


def test_the_key_is_checked_before_the_request(client, o311):
    response = _post(client, o311, api_key="bad", service_code=None)
    assert response.status_code == 403


def test_each_key_is_rate_limited_per_minute(client, o311):
    # Early in a clock minute, so that the posts below all fall within it however slow
    # the machine (the count starts again each minute).
    early = timezone.now().replace(second=1, microsecond=0)
    with time_machine.travel(early, tick=True):
        _four_posts_within_a_minute(client, o311)


def _four_posts_within_a_minute(client, o311):
    ApiKey.objects.filter(pk=o311.api_key.pk).update(rate_limit=2)
    assert [_post(client, o311).status_code for _ in range(3)] == [201, 201, 429]
    response = _post(client, o311, fmt="xml")
    assert parsed(response) == [{"code": "429", "description": "Too many requests with this "
                                                              "api_key; try again in a "
                                                              "minute."}]
    assert Case.objects.count() == 2
    _row, other = api_key_issue(actor=None, app_name="另一个", communities=[o311.community_a])
    assert _post(client, o311, api_key=other).status_code == 201


def test_the_rate_count_is_shared_by_every_process_and_kept_per_minute(o311):
    """The count lives in the database, not in one process's memory: what one web process
    counted, another sees. A new minute starts at zero and drops the old counts."""
    key = o311.api_key
    ApiKey.objects.filter(pk=key.pk).update(rate_limit=2)
    key.refresh_from_db()
    minute = timezone.now().replace(second=5, microsecond=0)
    rate_check(key, now=minute)
    cache.clear()  # a process with nothing in its own cache
    rate_check(key, now=minute + timedelta(seconds=30))
    with pytest.raises(RateLimited):
        rate_check(key, now=minute + timedelta(seconds=50))
    rate_check(key, now=minute + timedelta(minutes=1))
    assert list(RateCount.objects.values_list("count", flat=True)) == [1]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_body_django_cannot_read_is_the_error_list(client, o311, fmt):
    """Not UTF-8 (the spec's only encoding), or more fields than Django reads."""
    body = "&".join(f"{k}={v}" for k, v in form(o311).items() if k != "description")
    gbk = client.generic("POST", f"{BASE}/requests.{fmt}",
                         (body + "&description=").encode() + "漏水".encode("gbk"),
                         content_type="application/x-www-form-urlencoded; charset=gbk")
    many = client.post(f"{BASE}/requests.{fmt}", {**form(o311),
                                                 **{f"x{i}": "1" for i in range(1100)}})
    for response in (gbk, many):
        assert response.status_code == 400
        assert parsed(response) == [{"code": "400", "description": "The request body could "
                                     "not be read: send it form-encoded in UTF-8."}]
    _nothing_created()


def test_a_retry_with_the_same_idempotency_key_creates_nothing_new(client, o311):
    headers = {"Idempotency-Key": "3f1c-retry-1"}
    first = _post(client, o311, headers=headers)
    again = _post(client, o311, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert parsed(first)[0]["service_request_id"] == parsed(again)[0]["service_request_id"]
    assert Case.objects.count() == 1
    assert Submission.objects.get().token == "3f1c-retry-1"


def test_the_same_idempotency_key_for_another_request_is_refused(client, o311):
    headers = {"Idempotency-Key": "3f1c-retry-1"}
    _post(client, o311, headers=headers)
    response = _post(client, o311, headers=headers, description="另一件事")
    assert response.status_code == 400
    assert parsed(response)[0]["description"] == ("This Idempotency-Key was already used for "
                                                  "a different request.")
    assert Case.objects.count() == 1


def test_a_malformed_idempotency_key_is_refused(client, o311):
    response = _post(client, o311, headers={"Idempotency-Key": "has spaces/and slashes"})
    assert response.status_code == 400
    _nothing_created()
