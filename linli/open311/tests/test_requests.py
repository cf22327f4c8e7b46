"""GET requests and requests/{id}: the fields, the status mapping, and privacy."""

import pytest
from django.utils import translation

from linli.cases.models import State
from linli.cases.services import case_transition
from linli.cases.tests.factories import category
from linli.cases.tests.walking import case_in_state, report
from linli.open311.dates import w3c
from linli.open311.tests.conftest import BASE, both, form, parsed, place


def test_a_residents_case_reads_without_the_resident(client, o311):
    place(o311.building_a, "30.583300", "114.293300")
    case = report(o311)  # rita, in her own dwelling
    xml_response, data = both(client, "requests")
    assert xml_response.status_code == 200
    assert data == [{
        "service_request_id": str(case.pk), "status": "open", "status_notes": "reported",
        "service_name": "Pipe leak", "service_code": "L1003",
        "description": "厨房水管漏水，地面积水",
        "agency_responsible": "花楼社区",
        "service_notice": "To be handled within 8 working hours of dispatch.",
        "requested_datetime": w3c(case.reported_at), "updated_datetime": w3c(case.updated_at),
        "expected_datetime": None, "address": "民族街道 花楼社区 花楼小区 1栋",
        "address_id": str(o311.building_a.pk), "zipcode": None, "lat": 30.5833,
        "long": 114.2933, "media_url": None,
    }]
    for response in (xml_response, client.get(f"{BASE}/requests.json")):
        text = response.content.decode()
        assert o311.rita.display_name not in text and "rita" not in text
    # Her flat ("101") shows as its building (address, address_id and centre above). Not a
    # search of the whole text: on PostgreSQL an id or a time may happen to hold "101".
    assert o311.dwelling_a.name not in data[0]["address"]


def test_a_request_reads_the_same_from_requests_id(client, o311):
    case = report(o311)
    xml_response, data = both(client, f"requests/{case.pk}")
    assert xml_response.status_code == 200
    assert data == parsed(client.get(f"{BASE}/requests.json"))


OPEN_STATES = [State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS,
               State.RESOLVED, State.REWORK, State.VERIFIED, State.ON_HOLD]


@pytest.mark.parametrize("state", OPEN_STATES)
def test_states_before_the_end_are_open(client, o311, state):
    case = case_in_state(o311, state)
    data = parsed(client.get(f"{BASE}/requests/{case.pk}.json", {"lang": "en"}))[0]
    with translation.override("en"):  # the hold reason is internal: only the state shows
        notes = {State.RESOLVED: "Handled: 已更换水管"}.get(state, str(State(state).label))
    assert (data["status"], data["status_notes"]) == ("open", notes)
    handled = case.unit_id is not None
    assert data["agency_responsible"] == ("花楼物业" if handled else "花楼社区")
    assert data["expected_datetime"] == w3c(case.handle_due_at)


@pytest.mark.parametrize(("state", "notes"), [
    (State.CLOSED, "closed"),
    (State.REJECTED, "Not accepted: 不属于社区受理范围"),
])
def test_closed_and_rejected_are_closed(client, o311, state, notes):
    case = case_in_state(o311, state)
    data = parsed(client.get(f"{BASE}/requests/{case.pk}.json", {"lang": "en"}))[0]
    assert (data["status"], data["status_notes"]) == ("closed", notes)
    done = case.closed_at if state == State.CLOSED else case.rejected_at
    assert data["updated_datetime"] == w3c(done)


def test_a_private_matter_closed_with_advice_says_so(client, o311):
    case = case_transition(actor=o311.alice, case=report(o311), action="advise",
                           note="请联系房东维修")
    data = parsed(client.get(f"{BASE}/requests/{case.pk}.json", {"lang": "en"}))[0]
    assert (data["status"], data["status_notes"]) == ("closed",
                                                      "Closed with advice: 请联系房东维修")


def test_a_merged_request_is_closed_and_points_to_its_master(client, o311):
    case = case_in_state(o311, State.MERGED)
    data = parsed(client.get(f"{BASE}/requests/{case.pk}.json", {"lang": "en"}))[0]
    assert (data["status"], data["status_notes"]) == (
        "closed", f"Merged into request {case.master_id}")


def test_a_merge_into_a_private_case_does_not_name_it(client, o311):
    master = report(o311, is_public=False)
    case = case_transition(actor=o311.alice, case=report(o311), action="merge", master=master)
    data = parsed(client.get(f"{BASE}/requests/{case.pk}.json", {"lang": "en"}))[0]
    assert data["status_notes"] == "Merged into another request"
    assert f"request {master.pk}" not in str(data)


def test_extensions_add_the_public_history_without_names(client, o311):
    case = case_in_state(o311, State.CLOSED)
    case_transition(actor=o311.rita, case=case, action="rate", rating="unsatisfied")
    _xml, data = both(client, f"requests/{case.pk}", extensions="true", lang="en")
    notes = data[0]["notes"]
    assert [(n["type"], n["status"], n["description"]) for n in notes] == [
        ("report", "open", "Reported"), ("accept", "open", "Accepted"),
        ("dispatch", "open", "Dispatched: 花楼物业"),
        ("acknowledge", "open", "Taken on by the handling unit"),
        ("resolve", "open", "Handled: 已更换水管"), ("verify", "open", "Checked on site"),
        ("close", "closed", "Closed"),
    ]
    assert data[0]["attributes"] == []
    text = _xml.content.decode()
    for person in ("alice", "uma", "gina", "rita"):
        assert person not in text
        assert getattr(o311, person).display_name not in text


def test_without_extensions_there_is_no_history(client, o311):
    case = report(o311)
    data = parsed(client.get(f"{BASE}/requests/{case.pk}.json"))[0]
    assert "notes" not in data and "attributes" not in data


def test_private_cases_and_categories_never_appear(client, o311):
    hidden = report(o311, is_public=False)
    secret = category("L2002", name_zh="内部事项", is_public=False)
    internal = report(o311, cat=secret)
    elsewhere = report(o311, reporter=o311.bob, area=o311.community_b)
    shown = report(o311)
    assert [r["service_request_id"] for r in parsed(client.get(
        f"{BASE}/requests.json"))] == [str(shown.pk)]
    for case in (hidden, internal, elsewhere):
        for fmt in ("xml", "json"):
            response = client.get(f"{BASE}/requests/{case.pk}.{fmt}")
            assert response.status_code == 404
            assert parsed(response) == [{"code": "404", "description": f"Service request "
                                                                       f"{case.pk} was not "
                                                                       f"found."}]
    listed = parsed(client.get(f"{BASE}/requests.json", {
        "service_request_id": f"{hidden.pk},{internal.pk},{elsewhere.pk}"}))
    assert listed == []


def test_the_requests_of_an_open311_app_show_their_address_and_media(client, o311):
    client.post(f"{BASE}/requests.json", form(
        o311, lat=None, long=None, address_string="花楼街 12 号门口",
        media_url="https://img.example.com/a.jpg"))
    data = parsed(client.get(f"{BASE}/requests.json", {"extensions": "true"}))[0]
    assert (data["address"], data["address_id"], data["media_url"]) == (
        "民族街道 花楼社区 花楼街 12 号门口", str(o311.community_a.pk),
        "https://img.example.com/a.jpg")
    assert data["attributes"] == [{"code": "floor", "value": "2"}]
    assert "王" not in str(data) and "小明" not in str(data)


def test_a_home_without_a_building_centre_shows_the_estates(client, o311):
    report(o311, lat=None)  # rita's flat; her building has no recorded centre
    data = parsed(client.get(f"{BASE}/requests.json"))[0]
    assert (data["address_id"], data["lat"], data["long"]) == (
        str(o311.building_a.pk), 30.583, 114.293)
