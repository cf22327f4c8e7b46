"""Supervision by hand (督办) through the pages: the case page's forms and the notice box,
the unit inbox, the queue's escalation filter, the supervision page per unit, the home
tiles; who is refused (anonymous, wrong role, other community) and what a refused form
leaves behind (nothing)."""

import html
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from linli.cases.models import Case, State
from linli.cases.services import case_transition
from linli.cases.tests.viewtools import STALE, body, login_as
from linli.cases.tests.walking import (
    case_in_state,
    more_actors,
    noticed_case,
    second_unit,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return more_actors(world)


def _local(moment) -> str:
    """As a datetime-local input sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _post(client, user, case, action, data):
    return login_as(client, user).post(f"/cases/{case.pk}/act/{action}/",
                                       {"version": case.version, **data})


def _text(response) -> str:
    return html.unescape(body(response))


# --- the case page -----------------------------------------------------------------------

def test_the_dispatcher_sees_the_supervision_forms_on_an_urgent_case(client, people):
    case = case_in_state(people, State.IN_PROGRESS)
    second_unit(people)
    page = body(login_as(client, people.alice).get(f"/cases/{case.pk}/"))
    for action in ("urge", "notice", "reassign", "escalate"):
        assert f'id="action-{action}"' in page
    assert 'type="datetime-local" name="respond_by"' in page
    assert "花楼维修队" in page  # the other unit serving the community, to reassign to
    unit_page = body(login_as(client, people.uma).get(f"/cases/{case.pk}/"))
    assert 'id="action-urge"' not in unit_page


def test_urge_through_the_page(client, people):
    case = case_in_state(people, State.IN_PROGRESS)
    response = _post(client, people.alice, case, "urge", {"note": "业主多次来电"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    event = case.events.get(action="urge")
    assert (event.actor, event.note) == (people.alice, "业主多次来电")
    # Staff read it on the timeline; the reporter does not.
    assert 'data-action="urge"' in body(login_as(client, people.uma).get(f"/cases/{case.pk}/"))
    assert 'data-action="urge"' not in body(
        login_as(client, people.rita).get(f"/cases/{case.pk}/"))


def test_anonymous_wrong_role_and_other_community_are_refused(client, people):
    case = case_in_state(people, State.IN_PROGRESS)
    before = snapshot(case)
    anonymous = client.post(f"/cases/{case.pk}/act/urge/", {"version": case.version})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert _post(client, people.bob, case, "urge", {}).status_code == 404
    for user in (people.gina, people.rita, people.uma):
        response = _post(client, user, case, "urge", {})
        assert response.status_code == 403
        assert "You may not do this to this case." in _text(response)
    assert snapshot(case) == before


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"respond_by": "明天"}, 400, "Give the answer time as a date and time"),
    ({"note": "请说明进展"}, 400, "Give the date and time by which the unit must answer."),
    ({"note": "请说明进展", "respond_by": "past"}, 400,
     "The answer time must be at least 30 minutes from now."),
    ({"respond_by": "tomorrow"}, 400, "Give a reason or a note for this step."),
])
def test_a_bad_notice_is_refused_with_a_clear_message(client, people, data, status, message):
    case = case_in_state(people, State.IN_PROGRESS)
    when = {"past": _local(timezone.now() - timedelta(hours=1)),
            "tomorrow": _local(timezone.now() + timedelta(days=1))}
    data = {k: when.get(v, v) for k, v in data.items()}
    before = snapshot(case)
    response = _post(client, people.alice, case, "notice", data)
    assert response.status_code == status
    assert message in _text(response)
    assert snapshot(case) == before


def test_a_closed_case_is_refused_and_unchanged(client, people):
    case = case_in_state(people, State.CLOSED)
    before = snapshot(case)
    response = _post(client, people.alice, case, "urge", {"note": "催一下"})
    assert response.status_code == 400
    assert "This case is closed; that action is not possible now." in _text(response)
    assert snapshot(case) == before


def test_a_stale_supervision_form_is_a_conflict(client, people):
    case = case_in_state(people, State.IN_PROGRESS)
    old = case.version
    case_transition(actor=people.alice, case=case, action="urge")
    case = Case.objects.get(pk=case.pk)
    before = snapshot(case)
    response = login_as(client, people.leo).post(f"/cases/{case.pk}/act/escalate/", {
        "version": old, "note": "需街道协调"})
    assert response.status_code == 409 and STALE in body(response)
    assert snapshot(case) == before


def test_notice_is_shown_until_the_unit_answers_it(client, people):
    case = case_in_state(people, State.IN_PROGRESS)
    due = timezone.now() + timedelta(days=1)
    response = _post(client, people.alice, case, "notice", {
        "note": "请今天说明处理进展", "respond_by": _local(due)})
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.notice_due_at is not None
    for user in (people.alice, people.uma):
        page = body(login_as(client, user).get(f"/cases/{case.pk}/"))
        assert 'id="open-notice"' in page and "请今天说明处理进展" in page
    assert 'id="open-notice"' not in body(login_as(client, people.rita).get(f"/cases/{case.pk}/"))
    inbox = body(login_as(client, people.uma).get("/cases/unit/"))
    assert 'id="notices-waiting"' in inbox and f'id="case-{case.pk}"' in inbox
    assert 'id="action-answer_notice"' in body(client.get(f"/cases/{case.pk}/"))

    answered = _post(client, people.uma, case, "answer_notice", {"note": "已约业主明早上门"})
    assert answered.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.notice_due_at, case.notice_answered_late) == (None, False)
    assert 'id="open-notice"' not in body(client.get(f"/cases/{case.pk}/"))
    assert 'id="notices-waiting"' not in body(client.get("/cases/unit/"))


def test_reassign_through_the_page_takes_the_case_from_the_old_unit(client, people):
    case = noticed_case(people, State.IN_PROGRESS)
    new = second_unit(people)
    before = snapshot(case)
    foreign = _post(client, people.alice, case, "reassign", {"note": "改派",
                                                              "unit": people.unit_b.pk})
    assert foreign.status_code == 400 and "Choose an active handling unit." in _text(foreign)
    same = _post(client, people.alice, case, "reassign", {"note": "改派",
                                                           "unit": people.unit_a.pk})
    assert same.status_code == 400 and "already with 花楼物业" in _text(same)
    no_reason = _post(client, people.alice, case, "reassign", {"unit": new.pk})
    assert no_reason.status_code == 400
    assert snapshot(case) == before
    done = _post(client, people.alice, case, "reassign", {"note": "物业无力处理",
                                                           "unit": new.pk})
    assert done.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.unit_id) == (State.DISPATCHED, new.pk)
    assert login_as(client, people.uma).get(f"/cases/{case.pk}/").status_code == 404


def test_escalated_cases_are_flagged_and_filtered_in_the_street_queue(client, people):
    case = case_in_state(people, State.IN_PROGRESS)
    other = case_in_state(people, State.IN_PROGRESS)
    response = _post(client, people.alice, case, "escalate", {"note": "涉及多户"})
    assert response.status_code == 302
    queue = body(login_as(client, people.leo).get("/cases/queue/?state=open&escalated=yes"))
    assert f'id="case-{case.pk}"' in queue and f'id="case-{other.pk}"' not in queue
    assert 'class="badge escalated"' in queue
    page = body(client.get(f"/cases/{case.pk}/"))
    assert 'id="case-escalated"' in page and "涉及多户" in page


# --- the supervision page ----------------------------------------------------------------

def test_the_supervision_page_counts_per_unit(client, people):
    case = noticed_case(people, State.IN_PROGRESS, respond_in=timedelta(hours=1))
    case_transition(actor=people.leo, case=case, action="urge", note="再催")
    case_transition(actor=people.alice, case=case, action="escalate", note="需街道协调")
    case_transition(actor=people.alice, case=case, action="reassign", note="改派",
                    unit=second_unit(people))
    for user in (people.alice, people.leo):
        response = login_as(client, user).get("/cases/supervision/")
        assert response.status_code == 200
        row = body(response).split(f'id="unit-{people.unit_a.pk}"')[1].split("</tr>")[0]
        # urged, notices, answered late, reassigned away, escalated
        assert [c.split(">")[1] for c in row.split("<td")[2:]] == [
            "1</td", "1</td", "0</td", "1</td", "1</td"]
    # bob, of community B, sees his own units and none of community A's counts.
    bob = body(login_as(client, people.bob).get("/cases/supervision/"))
    assert f'id="unit-{people.unit_b.pk}"' in bob
    assert f'id="unit-{people.unit_a.pk}"' not in bob


def test_the_supervision_page_counts_late_answers_in_the_period(client, people):
    case = noticed_case(people, State.IN_PROGRESS, respond_in=timedelta(hours=1))
    case.notice_due_at = timezone.now() - timedelta(minutes=1)  # the answer time passed
    case.save(update_fields=["notice_due_at"])
    case_transition(actor=people.uma, case=case, action="answer_notice", note="晚了")
    today = timezone.localdate()
    page = body(login_as(client, people.alice).get(
        f"/cases/supervision/?since={today}&until={today}"))
    row = page.split(f'id="unit-{people.unit_a.pk}"')[1].split("</tr>")[0]
    assert [c.split(">")[1] for c in row.split("<td")[2:]][2] == "1</td"
    earlier = today - timedelta(days=40)
    old = body(client.get(f"/cases/supervision/?since={earlier}&until={earlier}"))
    old_row = old.split(f'id="unit-{people.unit_a.pk}"')[1].split("</tr>")[0]
    assert [c.split(">")[1] for c in old_row.split("<td")[2:]] == ["0</td"] * 5


def test_a_backwards_period_is_refused_with_its_reason(client, people):
    today = timezone.localdate()
    response = login_as(client, people.alice).get(
        f"/cases/supervision/?since={today}&until={today - timedelta(days=3)}")
    assert response.status_code == 400
    assert "The start of the period is after its end." in _text(response)


@pytest.mark.parametrize("username", ["rita", "uma", "gina", "ada"])
def test_the_supervision_page_is_for_dispatchers_and_leaders(client, people, username):
    response = login_as(client, getattr(people, username)).get("/cases/supervision/")
    assert response.status_code == 404


def test_the_supervision_page_needs_a_login(client):
    response = client.get("/cases/supervision/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_staff_home_links_to_supervision(people):
    for user in (people.alice, people.leo):
        tiles = render_to_string("cases/_home.html", {"user": user})
        assert 'id="tile-supervision"' in tiles and "/cases/supervision/" in tiles
        assert 'id="tile-escalated"' in tiles
    unit_tiles = render_to_string("cases/_home.html", {"user": people.uma})
    assert 'id="tile-supervision"' not in unit_tiles
    assert 'id="tile-unit-notices"' in unit_tiles


def test_the_unit_home_counts_the_notices_to_answer(people):
    noticed_case(people, State.IN_PROGRESS)
    tiles = render_to_string("cases/_home.html", {"user": people.uma})
    notices = tiles.split('id="tile-unit-notices"')[1]
    assert '<span class="tile-count">1</span>' in notices.split("</a>")[0]
