"""What a walk through the closed loop as each person turned up: a duplicate's reporter
following the master without learning who reported it, and told of the merge; buttons and
`allowed_actions` that never offer a refused move; extension limits with their own
message; queue filters that keep working around a bad value and offer the street-wide
units; places and deadlines shown as people read them."""

from datetime import timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone, translation

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, Channel, State
from linli.cases.services import case_report, case_transition, extension_decide, extension_request
from linli.cases.tests.test_notify import heard
from linli.cases.tests.viewtools import body, login_as
from linli.cases.tests.walking import case_in_state, leak_category, more_actors, snapshot
from linli.notifications.models import Notification
from linli.orgs.models import Unit
from linli.orgs.tests.factories import UnitFactory, make_area

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- a duplicate's reporter follows the master --------------------------------------------

def _merged(world) -> tuple[Case, Case]:
    """rita's case, closed, rated unsatisfied and reopened; rex's duplicate merged into it."""
    more_actors(world)
    master = case_in_state(world, State.CLOSED)
    master = case_transition(actor=world.rita, case=master, action="rate",
                             rating="unsatisfied", comment="还在漏")
    master = case_transition(actor=world.rita, case=master, action="reopen", note="又漏了")
    duplicate = case_report(actor=world.rex, category=master.category, area=world.dwelling_a,
                            description="楼道里也在漏水")
    duplicate = case_transition(actor=world.alice, case=duplicate, action="merge",
                                master=master)
    return master, duplicate


def test_a_follower_reads_reporter_instead_of_the_other_residents_name(client, world):
    master, _duplicate = _merged(world)
    html = body(login_as(client, world.rex).get(f"/cases/{master.pk}/"))
    assert str(world.rita) not in html
    assert "Reporter" in html
    assert str(world.alice) in html  # staff who took steps are named


def test_the_reporter_and_staff_still_read_every_name(client, world):
    master, _duplicate = _merged(world)
    for who in (world.rita, world.alice, world.gina):
        assert str(world.rita) in body(login_as(client, who).get(f"/cases/{master.pk}/"))


def test_the_api_timeline_hides_the_other_residents_name_too(client, world):
    master, _duplicate = _merged(world)
    client.force_login(world.rex)
    names = {e["action"]: e["actor_name"]
             for e in client.get(f"/api/cases/{master.pk}/events").json()}
    assert names["report"] == names["rate"] == names["reopen"] != str(world.rita)
    assert names["accept"] == str(world.alice)
    client.force_login(world.alice)
    staff = {e["action"]: e["actor_name"]
             for e in client.get(f"/api/cases/{master.pk}/events").json()}
    assert staff["report"] == str(world.rita)


def test_the_duplicates_reporter_is_told_where_to_follow(world):
    master, duplicate = _merged(world)
    assert heard(duplicate, "merge") == {"rex"}
    note = Notification.objects.get(recipient=world.rex, kind="case.merged")
    assert f"#{master.pk}" in str(note.title) and note.link == f"/cases/{duplicate.pk}/"


# --- buttons and allowed_actions offer only moves that can succeed ---------------------

def test_allowed_actions_drop_a_second_rating_and_reopen_after_satisfied(client, world):
    case = case_in_state(world, State.CLOSED)
    client.force_login(world.rita)
    assert client.get(f"/api/cases/{case.pk}").json()["allowed_actions"] == ["rate"]
    case_transition(actor=world.rita, case=case, action="rate", rating="satisfied")
    assert client.get(f"/api/cases/{case.pk}").json()["allowed_actions"] == []


def test_reopen_is_no_longer_offered_once_its_time_has_passed(client, world, settings):
    case = case_in_state(world, State.CLOSED)
    long_ago = timezone.now() - timedelta(days=settings.REOPEN_DAYS + 1)
    case_transition(actor=world.rita, case=case, action="rate", rating="unsatisfied",
                    now=long_ago)
    client.force_login(world.rita)
    assert client.get(f"/api/cases/{case.pk}").json()["allowed_actions"] == []
    assert 'id="details-reopen"' not in body(client.get(f"/cases/{case.pk}/"))


def test_a_too_long_rating_comment_is_named_and_the_input_kept(client, world):
    case = case_in_state(world, State.CLOSED)
    before = snapshot(case)
    response = login_as(client, world.rita).post(f"/cases/{case.pk}/act/rate/", {
        "version": case.version, "rating": "unsatisfied", "comment": "漏" * 501})
    assert response.status_code == 400
    assert "The comment is at most 500 characters." in body(response)
    assert snapshot(case) == before


def test_a_too_long_note_is_named(client, world, reported):
    before = snapshot(reported)
    response = login_as(client, world.alice).post(f"/cases/{reported.pk}/act/reject/", {
        "version": reported.version, "note": "不" * 2001})
    assert "The note is at most 2000 characters." in body(response)
    assert snapshot(reported) == before


# --- more time ----------------------------------------------------------------------------

def _english_unit(case: Case) -> str:
    with translation.override("en"):
        return str(case.get_limit_unit_display())


def test_too_much_extra_time_says_how_much_may_be_asked(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    before = snapshot(case)
    response = login_as(client, world.uma).post(f"/cases/{case.pk}/extension/", {
        "amount": "5000", "reason": "等配件"})
    assert response.status_code == 400
    unit = _english_unit(case)
    assert f"Ask for at most 1000 {unit} more at a time." in body(response)
    assert snapshot(case) == before


def test_the_timeline_names_the_unit_of_granted_time(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    ext = extension_request(actor=world.uma, case=case, amount=Decimal(2), reason="等配件")
    extension_decide(actor=world.alice, extension=ext, approve=True)
    html = body(login_as(client, world.alice).get(f"/cases/{case.pk}/"))
    # The request and the approval, each with its unit.
    assert html.count(f"Extra time: 2 {_english_unit(case)}") == 2


# --- the queue's filters -------------------------------------------------------------------

def test_queue_offers_street_wide_units_as_filters(client, world):
    cleaners = cast(Unit, UnitFactory(name="街道环卫", service_areas=[world.street]))
    case = case_in_state(world, State.ACCEPTED)
    case_transition(actor=world.alice, case=case, action="dispatch", unit=cleaners)
    page = login_as(client, world.alice)
    assert f'<option value="{cleaners.pk}">街道环卫</option>' in body(page.get("/cases/queue/"))
    html = body(page.get(f"/cases/queue/?state=open&unit={cleaners.pk}"))
    assert f'id="case-{case.pk}"' in html


def test_a_bad_filter_is_shown_and_the_others_still_apply(client, world, reported):
    other = case_report(actor=world.rita, category=reported.category, area=world.dwelling_a,
                        description="另一处")
    case_transition(actor=world.alice, case=other, action="reject", note="重复")
    html = body(login_as(client, world.alice).get(
        "/cases/queue/?state=rejected&area=abc"))
    assert 'class="errorlist' in html and "<details class=\"filter-box\" open>" in html
    assert f'id="case-{other.pk}"' in html and f'id="case-{reported.pk}"' not in html


def test_queue_areas_and_the_place_picker_read_in_natural_order(client, world):
    # Created out of order, so their ids (and paths) sort the other way round.
    make_area("building", "10栋", world.estate_a)
    make_area("building", "2栋", world.estate_a)
    html = body(login_as(client, world.rita).get(
        f"/cases/new/areas/?area_pick={world.estate_a.pk}"))
    assert html.index(">1栋<") < html.index(">2栋<") < html.index(">10栋<")


# --- what each person reads ------------------------------------------------------------------

def test_lists_show_the_running_deadline(client, world, reported):
    html = body(login_as(client, world.alice).get("/cases/queue/"))
    due = timezone.localtime(reported.accept_due_at).strftime("%m-%d %H:%M")
    assert "Review due <time" in html and due in html


def test_the_confirmation_shows_when_the_review_is_due(client, world, reported):
    html = body(login_as(client, world.rita).get(f"/cases/{reported.pk}/reported/"))
    assert "Review due" in html


def test_duplicates_nobody_can_open_are_not_offered_to_follow(client, world, reported):
    more_actors(world)
    html = body(login_as(client, world.rex).get(
        f"/cases/new/duplicates/?category={reported.category.code}&area={world.dwelling_a.pk}"))
    assert "An open case like this exists nearby." in html
    assert "follow it instead?" not in html


def test_a_grid_worker_on_the_residents_page_is_led_to_the_patrol_report(client, world):
    response = login_as(client, world.gina).get("/cases/new/")
    assert response.status_code == 403
    assert 'href="/cases/patrol/"' in body(response)


def test_the_leaders_home_counts_overdue_cases(client, world, reported):
    Case.objects.filter(pk=reported.pk).update(
        accept_due_at=timezone.now() - timedelta(hours=1))
    html = body(login_as(client, world.leo).get("/"))
    assert 'id="tile-overdue"' in html and 'id="tile-open"' in html


def test_the_residents_tiles_lead_to_what_they_count(client, world):
    more_actors(world)
    unrated = case_in_state(world, State.CLOSED)
    open_case = case_in_state(world, State.DISPATCHED)
    # A master rex's duplicate joined: closed and unrated, but not his to rate.
    duplicate = case_report(actor=world.rex, category=unrated.category, area=world.dwelling_a,
                            description="同一处")
    master = case_in_state(world, State.ACCEPTED)
    case_transition(actor=world.alice, case=duplicate, action="merge", master=master)
    for actor, action, data in [(world.alice, "dispatch", {"unit": world.unit_a}),
                                (world.uma, "acknowledge", {}),
                                (world.uma, "resolve", {"note": "已修"}),
                                (world.gina, "verify", {}), (world.alice, "close", {})]:
        master = case_transition(actor=actor, case=master, action=action, **data)
    page = login_as(client, world.rita)
    home = body(page.get("/"))
    assert 'href="/cases/mine/?show=rate"' in home and 'href="/cases/mine/?show=open"' in home
    to_rate = body(page.get("/cases/mine/?show=rate"))
    assert f'id="case-{unrated.pk}"' in to_rate and f'id="case-{open_case.pk}"' not in to_rate
    still_open = body(page.get("/cases/mine/?show=open"))
    assert f'id="case-{open_case.pk}"' in still_open and f'id="case-{unrated.pk}"' not in still_open
    rex = login_as(client, world.rex)
    assert f'id="case-{master.pk}"' in body(rex.get("/cases/mine/"))
    assert f'id="case-{master.pk}"' not in body(rex.get("/cases/mine/?show=rate"))


# --- a case in no grid can still be verified ----------------------------------------------

def _resolved_in_no_grid(world) -> Case:
    """An Open311 report with only an address lands at the community itself, without a
    reporter: only grid workers can verify it."""
    case = case_report(actor=None, category=leak_category(world), area=world.community_a,
                       description="社区广场路灯不亮", channel=Channel.OPEN311)
    for actor, action, data in [(world.alice, "accept", {}),
                                (world.alice, "dispatch", {"unit": world.unit_a}),
                                (world.uma, "acknowledge", {}),
                                (world.uma, "resolve", {"note": "已修"})]:
        case = case_transition(actor=actor, case=case, action=action, **data)
    return case


def test_the_communitys_grid_workers_verify_a_case_in_no_grid(client, world):
    more_actors(world)
    case = _resolved_in_no_grid(world)
    assert heard(case, "resolve") == {"gina", "gwen"}
    page = login_as(client, world.gwen)
    assert f'id="case-{case.pk}"' in body(page.get("/cases/verify/"))
    assert 'id="details-verify"' in body(page.get(f"/cases/{case.pk}/"))
    page.post(f"/cases/{case.pk}/act/verify/", {"version": case.version})
    assert Case.objects.get(pk=case.pk).state == State.VERIFIED


def test_a_case_in_no_grid_stays_out_of_other_communities_and_grids_keep_theirs(client, world):
    more_actors(world)
    case = _resolved_in_no_grid(world)
    elsewhere = cast(User, UserFactory(username="gerd"))
    assign(elsewhere, Role.GRID_WORKER, world.grid_b1)
    assert login_as(client, elsewhere).get(f"/cases/{case.pk}/").status_code == 404
    in_grid_a1 = case_in_state(world, State.RESOLVED)
    assert login_as(client, world.gwen).get(f"/cases/{in_grid_a1.pk}/").status_code == 404
