"""The case page through the Django test client: the buttons each person sees, what each
action form does to a case, and what a refused or stale form leaves behind (nothing)."""

import re
from decimal import Decimal
from typing import cast

import pytest

from linli.cases.models import Case, Photo, State
from linli.cases.services import case_report, case_transition, extension_request
from linli.cases.tests.viewtools import STALE, body, jpeg, login_as
from linli.cases.tests.walking import case_in_state, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded photos go to a throw-away directory

# --- the case page ----------------------------------------------------------------------

def _action_ids(page: str) -> set[str]:
    return set(re.findall(r'id="action-([a-z]+)"', page))


@pytest.mark.parametrize("state, username, expected", [
    (State.REPORTED, "alice", {"accept", "advise", "reject"}),
    (State.REPORTED, "rita", set()),
    (State.REPORTED, "gina", set()),
    # The leak is urgent: its dispatcher may also urge it and escalate it (督办).
    (State.ACCEPTED, "alice", {"dispatch", "hold", "urge", "escalate"}),
    (State.DISPATCHED, "uma", {"acknowledge", "return"}),
    (State.IN_PROGRESS, "uma", {"resolve", "return", "extension"}),
    (State.RESOLVED, "gina", {"verify", "fail"}),
    (State.RESOLVED, "alice", set()),  # whoever dispatched may not verify
    (State.VERIFIED, "alice", {"close"}),
    (State.CLOSED, "rita", {"rate"}),
    (State.ON_HOLD, "alice", {"unhold", "urge", "escalate"}),
])
def test_case_page_shows_only_the_actors_buttons(client, world, state, username, expected):
    case = case_in_state(world, state)
    response = login_as(client, getattr(world, username)).get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    assert _action_ids(body(response)) == expected


def test_reopen_is_offered_after_an_unsatisfied_rating_only(client, world):
    case = case_in_state(world, State.CLOSED)
    case = case_transition(actor=world.rita, case=case, action="rate", rating="unsatisfied")
    assert _action_ids(body(login_as(client, world.rita).get(f"/cases/{case.pk}/"))) == {"reopen"}
    happy = case_in_state(world, State.CLOSED)
    case_transition(actor=world.rita, case=happy, action="rate", rating="satisfied")
    assert _action_ids(body(client.get(f"/cases/{happy.pk}/"))) == set()


def test_dispatch_preselects_the_suggested_unit(client, world):
    case = case_in_state(world, State.ACCEPTED)
    html = body(login_as(client, world.alice).get(f"/cases/{case.pk}/"))
    assert f'<option value="{world.unit_a.pk}" selected>{world.unit_a.name}' in html
    assert world.unit_b.name not in html  # does not serve community A


def test_timeline_shows_photos_through_the_scoped_urls(client, world, leak):
    case = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                       description="漏水", photos=[jpeg()])
    photo = Photo.objects.get(case=case)
    html = body(login_as(client, world.rita).get(f"/cases/{case.pk}/"))
    assert f'src="/cases/photos/{photo.pk}/thumb/"' in html
    assert f'href="/cases/photos/{photo.pk}/"' in html
    assert "/media/" not in html


def test_residents_do_not_see_internal_events(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    extension_request(actor=world.uma, case=case, amount=Decimal(4), reason="等配件")
    rita = body(login_as(client, world.rita).get(f"/cases/{case.pk}/"))
    alice = body(login_as(client, world.alice).get(f"/cases/{case.pk}/"))
    assert 'data-action="extension_request"' not in rita and "等配件" not in rita
    assert 'data-action="extension_request"' in alice


# --- each action form moves the case -----------------------------------------------------

def _unit(world):
    return {"unit": world.unit_a.pk}


@pytest.mark.parametrize("state, username, action, inputs, target", [
    (State.REPORTED, "alice", "accept", lambda w: {"triage": "minor", "priority": "normal"},
     State.ACCEPTED),
    (State.REPORTED, "alice", "reject", lambda w: {"note": "不属于受理范围"}, State.REJECTED),
    (State.REPORTED, "alice", "advise", lambda w: {"note": "请联系房东"}, State.CLOSED),
    (State.ACCEPTED, "alice", "dispatch", _unit, State.DISPATCHED),
    (State.ACCEPTED, "alice", "hold", lambda w: {"note": "等维修基金"}, State.ON_HOLD),
    (State.ON_HOLD, "alice", "unhold", lambda w: {}, State.ACCEPTED),
    (State.DISPATCHED, "uma", "acknowledge", lambda w: {}, State.IN_PROGRESS),
    (State.IN_PROGRESS, "uma", "return", lambda w: {"note": "不归物业管"}, State.ACCEPTED),
    (State.IN_PROGRESS, "uma", "resolve", lambda w: {"note": "已修好"}, State.RESOLVED),
    (State.RESOLVED, "gina", "verify", lambda w: {}, State.VERIFIED),
    (State.RESOLVED, "gina", "fail", lambda w: {"note": "仍在漏"}, State.REWORK),
    (State.VERIFIED, "alice", "close", lambda w: {}, State.CLOSED),
])
def test_each_action_form_moves_the_case(client, world, state, username, action, inputs,
                                         target):
    case = case_in_state(world, state)
    data = {"version": case.version, **inputs(world)}
    response = login_as(client, getattr(world, username)).post(
        f"/cases/{case.pk}/act/{action}/", data)
    fresh = Case.objects.get(pk=case.pk)
    assert response.status_code == 302
    assert fresh.state == target and fresh.version == case.version + 1
    assert fresh.events.values_list("action", flat=True).last() == action


def test_accept_form_sets_triage_and_priority(client, world, reported):
    login_as(client, world.alice).post(f"/cases/{reported.pk}/act/accept/", {
        "version": reported.version, "triage": "minor", "priority": "normal"})
    fresh = Case.objects.get(pk=reported.pk)
    assert (fresh.triage, fresh.priority) == ("minor", "normal")


def test_resolve_with_evidence_photos(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    login_as(client, world.uma).post(f"/cases/{case.pk}/act/resolve/", {
        "version": case.version, "note": "已更换阀门", "photos": [jpeg(), jpeg("c.jpg")]})
    event = Case.objects.get(pk=case.pk).events.order_by("at", "id").reverse()[0]
    assert (event.action, event.note, event.photos.count()) == ("resolve", "已更换阀门", 2)


def test_a_return_leads_the_unit_back_to_its_inbox(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    response = login_as(client, world.uma).post(f"/cases/{case.pk}/act/return/", {
        "version": case.version, "note": "不归物业管"})
    assert response["Location"] == "/cases/"


def test_rate_then_reopen(client, world):
    case = case_in_state(world, State.CLOSED)
    login_as(client, world.rita).post(f"/cases/{case.pk}/act/rate/", {
        "version": case.version, "rating": "unsatisfied", "comment": "还在漏"})
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == ("unsatisfied", "还在漏")
    client.post(f"/cases/{case.pk}/act/reopen/", {"version": case.version, "note": "没修好"})
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.reopen_count == 1


def test_merge_into_a_nearby_duplicate(client, world, reported):
    other = case_report(actor=world.gina, category=reported.category, area=world.dwelling_a,
                        description="楼上也在漏")
    html = body(login_as(client, world.alice).get(f"/cases/{other.pk}/"))
    assert f'name="master" value="{reported.pk}"' in html
    client.post(f"/cases/{other.pk}/act/merge/", {"version": other.version,
                                                  "master": reported.pk})
    other.refresh_from_db()
    assert other.state == State.MERGED and other.master_id == reported.pk


# --- refusals: the message is shown and nothing changes ---------------------------------

def test_a_stale_form_shows_the_stale_message_and_changes_nothing(client, world, reported):
    stale_version = reported.version
    case_transition(actor=world.alice, case=reported, action="accept")
    case = Case.objects.get(pk=reported.pk)
    before = snapshot(case)
    response = login_as(client, world.alice).post(f"/cases/{case.pk}/act/hold/", {
        "version": stale_version, "note": "等一下"})
    html = body(response)
    assert response.status_code == 409
    assert STALE in html
    assert f'<a href="/cases/{case.pk}/" id="reload-link">' in html
    assert "等一下" in html  # the person's note is kept
    assert snapshot(case) == before


@pytest.mark.parametrize("action, data, status, message", [
    ("reject", {}, 400, "Give a reason or a note for this step."),
    ("dispatch", {}, 400, "This case is reported; that action is not possible now."),
    ("acknowledge", {}, 403, "You may not do this to this case."),
    ("fly", {}, 400, "Unknown action."),
])
def test_refused_actions_show_the_reason_and_change_nothing(client, world, reported, action,
                                                            data, status, message):
    before = snapshot(reported)
    response = login_as(client, world.alice).post(f"/cases/{reported.pk}/act/{action}/",
                                             {"version": reported.version, **data})
    assert response.status_code == status
    assert message in body(response)
    assert snapshot(reported) == before


def test_dispatch_to_a_unit_outside_the_area_is_refused(client, world):
    case = case_in_state(world, State.ACCEPTED)
    before = snapshot(case)
    response = login_as(client, world.alice).post(f"/cases/{case.pk}/act/dispatch/", {
        "version": case.version, "unit": world.unit_b.pk})
    assert response.status_code == 400
    assert "Choose an active handling unit." in body(response)
    assert snapshot(case) == before


def test_dispatch_to_a_street_wide_unit_from_the_page(client, world):
    """A unit serving the whole street serves the community's cases too: the page offers
    it and the dispatcher of the community can send the case there."""
    from linli.orgs.models import Unit
    from linli.orgs.tests.factories import UnitFactory

    cleaners = cast(Unit, UnitFactory(name="街道环卫", service_areas=[world.street]))
    case = case_in_state(world, State.ACCEPTED)
    page = login_as(client, world.alice)
    assert f'<option value="{cleaners.pk}"' in body(page.get(f"/cases/{case.pk}/"))
    response = page.post(f"/cases/{case.pk}/act/dispatch/", {
        "version": case.version, "unit": cleaners.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.unit) == (State.DISPATCHED, cleaners)
