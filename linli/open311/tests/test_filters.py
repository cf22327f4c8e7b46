"""GET requests filters (service_request_id, service_code, status, start/end date), the
default window, tokens/{token} and the servicerequestupdates feed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, State
from linli.cases.services import case_transition
from linli.cases.tests.factories import category
from linli.cases.tests.walking import case_in_state, report
from linli.open311.tests.conftest import BASE, both, form, parsed


def _ids(client, **params) -> list[str]:
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in parsed(response)]


def _errors(client, path="requests", **params) -> list[dict]:
    xml_response, data = both(client, path, **params)
    assert xml_response.status_code == 400
    return data


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def mix(o311):
    """Three public cases of community A: an open leak today, a closed leak 10 days ago,
    an open noise case 40 days ago; and a leak 100 days ago, outside the default window."""
    noise = category("L2001", name_zh="噪音扰民")
    o311.today = report(o311)
    o311.closed = case_in_state(o311, State.REJECTED)
    Case.objects.filter(pk=o311.closed.pk).update(reported_at=_ago(10))
    o311.noise = report(o311, cat=noise, now=_ago(40))
    o311.old = report(o311, now=_ago(100))
    return o311


def test_the_default_window_is_the_last_90_days_newest_first(client, mix):
    assert _ids(client) == [str(mix.today.pk), str(mix.closed.pk), str(mix.noise.pk)]


def test_at_most_1000_are_returned(client, mix, monkeypatch):
    monkeypatch.setattr("linli.open311.selectors.MAX_RESULTS", 2)
    assert _ids(client) == [str(mix.today.pk), str(mix.closed.pk)]


def test_service_request_id_overrides_every_other_filter(client, mix):
    ids = f"{mix.old.pk},{mix.closed.pk}"
    assert _ids(client, service_request_id=ids, status="open", service_code="NOPE",
                start_date="not a date") == [str(mix.closed.pk), str(mix.old.pk)]
    assert _ids(client, service_request_id=[str(mix.old.pk), str(mix.noise.pk)]) == [
        str(mix.noise.pk), str(mix.old.pk)]


def test_service_code_takes_a_list(client, mix):
    assert _ids(client, service_code="L2001") == [str(mix.noise.pk)]
    assert _ids(client, service_code="L2001,L1003") == [
        str(mix.today.pk), str(mix.closed.pk), str(mix.noise.pk)]
    assert _ids(client, service_code=["L2001", "NOPE"]) == [str(mix.noise.pk)]


def test_status_filters_open_and_closed(client, mix):
    assert _ids(client, status="closed") == [str(mix.closed.pk)]
    assert _ids(client, status="open") == [str(mix.today.pk), str(mix.noise.pk)]
    assert _ids(client, status="open,closed") == _ids(client)


def test_start_and_end_date_bound_the_window(client, mix):
    start = (_ago(50)).isoformat(timespec="seconds")
    end = (_ago(5)).isoformat(timespec="seconds")
    assert _ids(client, start_date=start, end_date=end) == [str(mix.closed.pk),
                                                             str(mix.noise.pk)]
    assert _ids(client, start_date=_ago(120).strftime("%Y-%m-%dT%H:%M:%SZ")) == [
        str(mix.noise.pk), str(mix.old.pk)]
    assert _ids(client, end_date=(_ago(20)).isoformat(timespec="seconds")) == [
        str(mix.noise.pk), str(mix.old.pk)]


def test_dates_in_utc_local_offsets_and_bare_days_all_work(client, mix):
    # A bare day is a day of the server's calendar (Beijing): after midnight there, the
    # UTC date is still yesterday's.
    day = timezone.localdate(_ago(11)).isoformat()
    assert _ids(client, start_date=day, end_date=timezone.localdate(_ago(9)).isoformat()) == [
        str(mix.closed.pk)]
    # An unencoded "+08:00" arrives as " 08:00": still understood.
    raw = f"{BASE}/requests.json?start_date={_ago(11).strftime('%Y-%m-%dT%H:%M:%S')}+08:00"
    assert client.get(raw).status_code == 200


def test_a_range_over_90_days_is_400(client, mix):
    data = _errors(client, start_date="2026-01-01T00:00:00Z", end_date="2026-04-02T00:00:00Z")
    assert data == [{"code": "400",
                     "description": "The date range may not span more than 90 days."}]


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00",
                                 "2026/01/01", "01-02-2026", "2026-02-30"])
def test_malformed_dates_are_400(client, mix, bad):
    for name in ("start_date", "end_date"):
        data = _errors(client, **{name: bad})
        assert data[0]["code"] == "400"
        assert name in data[0]["description"]


def test_an_end_before_the_start_is_400(client, mix):
    data = _errors(client, start_date="2026-02-01T00:00:00Z", end_date="2026-01-01T00:00:00Z")
    assert data == [{"code": "400", "description": "end_date is before start_date."}]


def test_a_bad_status_is_400_and_an_id_that_cannot_exist_matches_nothing(client, mix):
    assert _errors(client, status="pending") == [{"code": "400",
                                                   "description": "status is open or closed."}]
    assert _ids(client, service_request_id="abc") == []
    assert _ids(client, service_request_id=f"{mix.today.pk},abc") == [str(mix.today.pk)]


def test_a_token_finds_its_request_in_both_formats(client, o311):
    headers = {"Idempotency-Key": "app-7d2c"}
    client.post(f"{BASE}/requests.json", form(o311), headers=headers)
    case_id = parsed(client.get(f"{BASE}/requests.json"))[0]["service_request_id"]
    xml_response, data = both(client, "tokens/app-7d2c")
    assert xml_response.status_code == 200
    assert data == [{"service_request_id": case_id, "token": "app-7d2c"}]


def test_an_unknown_or_private_token_is_404(client, o311):
    client.post(f"{BASE}/requests.json", form(o311), headers={"Idempotency-Key": "k1"})
    xml_response, data = both(client, "tokens/nope")
    assert xml_response.status_code == 404
    assert data == [{"code": "404", "description": "Token nope was not found."}]
    case = parsed(client.get(f"{BASE}/requests.json"))[0]
    Case.objects.filter(pk=case["service_request_id"]).update(is_public=False)
    assert client.get(f"{BASE}/tokens/k1.json").status_code == 404


def test_updates_list_the_public_steps_in_the_window(client, o311):
    case = case_in_state(o311, State.DISPATCHED)
    hidden = report(o311, is_public=False)
    case_transition(actor=o311.alice, case=hidden, action="accept")
    xml_response, data = both(client, "servicerequestupdates", lang="en")
    assert xml_response.status_code == 200
    events = list(case.events.order_by("at", "id"))
    assert data == [
        {"update_id": str(e.pk), "service_request_id": str(case.pk), "status": "open",
         "updated_datetime": e.at.astimezone(timezone.get_current_timezone()).isoformat(
             timespec="seconds"), "description": text, "media_url": None}
        for e, text in zip(events, ["Reported", "Accepted", "Dispatched: 花楼物业"],
                           strict=True)]


def test_updates_take_the_same_window_rules(client, o311):
    case_in_state(o311, State.CLOSED)
    start = _ago(1).isoformat(timespec="seconds")
    assert len(parsed(client.get(f"{BASE}/servicerequestupdates.json",
                                 {"start_date": start}))) == 7
    assert parsed(client.get(f"{BASE}/servicerequestupdates.json",
                             {"end_date": _ago(1).isoformat(timespec="seconds")})) == []
    data = _errors(client, "servicerequestupdates", start_date="2026-01-01",
                   end_date="2026-06-01")
    assert data[0]["description"] == "The date range may not span more than 90 days."
    assert _errors(client, "servicerequestupdates", start_date="soon")[0]["code"] == "400"


@pytest.mark.parametrize("query", [{"start_date": "9999-12-31"}, {"end_date": "0001-01-01"},
                                   {"start_date": "1969-12-31T23:00:00Z"}])
def test_dates_at_the_calendars_edge_are_refused_in_the_spec_format(client, mix, query):
    response = client.get(f"{BASE}/requests.json", query)
    assert response.status_code == 400
    assert response.json()[0]["code"] == "400"
