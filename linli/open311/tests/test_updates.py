"""POST servicerequestupdates (FixMyStreet's extension): the app that filed a request
posts its reporter's updates. A remark on an open request, "still not fixed" on a closed
one (rated and reopened by the rating rules), a replay by update_id that creates nothing,
the feed that carries them; every refusal is the spec's error list and changes nothing."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from linli.cases.models import Case, CaseEvent, Rating, State
from linli.cases.notify import event_messages
from linli.cases.selectors import timeline_for
from linli.cases.services import case_remark, case_report, case_transition
from linli.cases.tests.walking import WALKS
from linli.core.errors import PermissionDenied
from linli.core.models import AuditEntry
from linli.core.tests.threads import run_together
from linli.open311.models import UpdateSubmission
from linli.open311.services import api_key_issue
from linli.open311.tests.conftest import BASE, JID, both, form, parsed


def _file(client, world) -> Case:
    response = client.post(f"{BASE}/requests.json", form(world))
    assert response.status_code == 201
    return Case.objects.get(pk=int(parsed(response)[0]["service_request_id"]))


def _walk(world, case: Case, state: str) -> Case:
    for actor_name, action, inputs in WALKS[state]:
        case = case_transition(actor=getattr(world, actor_name), case=case, action=action,
                               **inputs(world))
    assert case.state == state
    return case


def _update(world, case: Case, **overrides) -> dict:
    body = {"api_key": world.key, "jurisdiction_id": JID,
            "service_request_id": str(case.pk), "update_id": "u-1",
            "status": "OPEN", "description": "还在漏水，越来越严重",
            "updated_datetime": "2026-01-05T09:30:00+08:00",
            "first_name": "小明", "last_name": "王", "email": "wang@example.com"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _post(client, world, case, fmt="json", headers=None, **overrides):
    return client.post(f"{BASE}/servicerequestupdates.{fmt}", _update(world, case, **overrides),
                       headers=headers or {})


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (case.state, case.version, case.rating, case.rated_at, case.events.count(),
            UpdateSubmission.objects.count(),
            AuditEntry.objects.filter(action="open311.update_filed").count())


def _refused(response, status: int, words: str) -> None:
    assert response.status_code == status, response.content
    errors = parsed(response)
    assert {e["code"] for e in errors} == {str(status)}
    assert any(words in e["description"] for e in errors), errors


# --- a remark on an open request ---------------------------------------------------------

def test_an_update_on_an_open_request_is_the_reporters_remark(client, o311):
    case = _file(client, o311)
    response = _post(client, o311, case, fmt="xml",
                     media_url=["https://img.example.com/a.jpg",
                                "https://img.example.com/b.jpg"])
    assert response.status_code == 201
    event = case.events.get(action="remark")
    assert response.content.decode() == (
        '<?xml version="1.0" encoding="utf-8"?>\n<service_request_updates>\n'
        f'  <request_update>\n    <update_id>{event.pk}</update_id>\n  </request_update>\n'
        '</service_request_updates>')
    case.refresh_from_db()
    assert (case.state, case.version) == (State.REPORTED, 1)  # nothing moved
    assert (event.note, event.actor, event.is_public) == ("还在漏水，越来越严重", None, True)
    row = UpdateSubmission.objects.get()
    assert (row.case, row.event, row.api_key, row.token) == (case, event, o311.api_key, "u-1")
    assert row.media_urls == ["https://img.example.com/a.jpg", "https://img.example.com/b.jpg"]
    assert AuditEntry.objects.filter(action="case.remark").count() == 1
    assert AuditEntry.objects.filter(action="open311.update_filed",
                                     changes__step="remark").count() == 1
    # The dispatcher hears of it, like of the reporter's other steps.
    recipients = {user for message in event_messages(event) for user in message.recipients}
    assert o311.alice in recipients
    # The case page names the reporter as its author, not "System".
    with translation.override("en"):
        shown = {e.action: getattr(e, "actor_shown", None)
                 for e in timeline_for(actor=o311.alice, case=case)}
    assert shown["remark"] == "Reporter"


def test_contact_details_are_not_kept(client, o311):
    case = _file(client, o311)
    _post(client, o311, case, phone="13612345678")
    stored = str(list(UpdateSubmission.objects.values())) + str(
        list(CaseEvent.objects.values())) + str(list(AuditEntry.objects.values()))
    assert "wang@example.com" not in stored and "13612345678" not in stored


@pytest.mark.parametrize("status", ["CLOSED", "closed", "open", None])
def test_any_status_on_an_open_request_is_a_remark(client, o311, status):
    """"It is fixed" from a citizen is their word, not a close: staff close cases."""
    case = _walk(o311, _file(client, o311), State.IN_PROGRESS)
    response = _post(client, o311, case, status=status, description="已经修好了")
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    assert case.events.filter(action="remark", note="已经修好了").count() == 1


def test_the_json_answer_is_the_same_list(client, o311):
    case = _file(client, o311)
    response = _post(client, o311, case)
    assert response.status_code == 201
    assert parsed(response) == [{"update_id": str(case.events.get(action="remark").pk)}]


# --- the update token ---------------------------------------------------------------------

def test_a_retry_with_the_same_update_id_creates_nothing(client, o311):
    case = _file(client, o311)
    first = _post(client, o311, case)
    before = _snapshot(case)
    again = _post(client, o311, case)
    assert (first.status_code, again.status_code) == (201, 200)
    assert parsed(again) == parsed(first)
    assert _snapshot(case) == before


def test_an_idempotency_key_header_is_the_update_id(client, o311):
    case = _file(client, o311)
    headers = {"Idempotency-Key": "k-7"}
    first = _post(client, o311, case, update_id=None, headers=headers)
    again = _post(client, o311, case, update_id=None, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert UpdateSubmission.objects.get().token == "k-7"
    both_given = _post(client, o311, case, update_id="other", headers=headers)
    _refused(both_given, 400, "update_id and the Idempotency-Key header differ")


def test_the_same_update_id_for_another_update_is_refused(client, o311):
    case = _file(client, o311)
    _post(client, o311, case)
    before = _snapshot(case)
    _refused(_post(client, o311, case, description="另一件事"), 400,
             "already used for a different update")
    assert _snapshot(case) == before


def test_updates_without_an_update_id_are_each_new(client, o311):
    case = _file(client, o311)
    assert _post(client, o311, case, update_id=None).status_code == 201
    assert _post(client, o311, case, update_id=None).status_code == 201
    assert case.events.filter(action="remark").count() == 2


# --- who may post ------------------------------------------------------------------------

def test_another_apps_request_is_refused(client, o311):
    case = _file(client, o311)
    _other, other_key = api_key_issue(actor=None, app_name="别的应用",
                                      communities=[o311.community_a])
    before = _snapshot(case)
    _refused(_post(client, o311, case, api_key=other_key), 403,
             "Only the app that filed this request")
    assert _snapshot(case) == before


def test_a_request_filed_on_the_web_is_refused(client, o311):
    case = case_report(actor=o311.rita, category=o311.leak, area=o311.dwelling_a,
                       description="厨房水管漏水")
    before = _snapshot(case)
    _refused(_post(client, o311, case), 403, "Only the app that filed this request")
    assert _snapshot(case) == before


def test_a_private_request_of_another_app_is_not_found(client, o311):
    case = _file(client, o311)
    Case.objects.filter(pk=case.pk).update(is_public=False)
    _other, other_key = api_key_issue(actor=None, app_name="别的应用",
                                      communities=[o311.community_a])
    _refused(_post(client, o311, case, api_key=other_key), 404, "was not found")
    # The app that filed it still speaks for its reporter.
    assert _post(client, o311, case).status_code == 201


@pytest.mark.parametrize(("request_id", "status", "words"), [
    ("", 400, "service_request_id was not provided"),
    ("abc", 404, "was not found"),
    ("99999999", 404, "was not found"),
    ("9" * 40, 404, "was not found"),
])
def test_an_unknown_request_is_refused(client, o311, request_id, status, words):
    case = _file(client, o311)
    _refused(_post(client, o311, case, service_request_id=request_id), status, words)
    assert UpdateSubmission.objects.count() == 0


def test_a_request_of_another_jurisdiction_is_not_found(client, o311):
    other = case_report(actor=o311.bob, category=o311.leak, area=o311.grid_b1,
                        description="水塔社区漏水")
    _refused(_post(client, o311, other), 404, "was not found")


def test_a_bad_key_is_refused(client, o311):
    case = _file(client, o311)
    _refused(_post(client, o311, case, api_key="o311_nope_nope"), 403, "api_key")
    assert UpdateSubmission.objects.count() == 0


# --- still not fixed ---------------------------------------------------------------------

def test_still_not_fixed_on_a_closed_unrated_request_rates_and_reopens(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    response = _post(client, o311, case, status="OPEN", description="还是漏水，没修好")
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.reopen_count == 1
    reopen = case.events.get(action="reopen")
    assert parsed(response) == [{"update_id": str(reopen.pk)}]
    assert reopen.note == "还是漏水，没修好"
    rate = case.events.get(action="rate")
    assert rate.data["rating"] == Rating.UNSATISFIED
    assert UpdateSubmission.objects.get().event == reopen
    assert AuditEntry.objects.filter(action__in=["case.rate", "case.reopen"]).count() == 2


def test_still_not_fixed_after_an_unsatisfied_rating_reopens(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    # The reporter rated it on the app first (a CLOSED update would rate satisfied).
    case_transition(actor=None, case=case, action="rate", for_reporter=True,
                    rating=Rating.UNSATISFIED, comment="不满意")
    assert _post(client, o311, case).status_code == 201
    case.refresh_from_db()
    assert case.state == State.ACCEPTED
    assert case.events.filter(action="rate").count() == 1


def test_still_not_fixed_after_the_reopen_window_is_refused(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    case_transition(actor=None, case=case, action="rate", for_reporter=True,
                    rating=Rating.UNSATISFIED, comment="不满意")
    Case.objects.filter(pk=case.pk).update(
        rated_at=timezone.now() - timedelta(days=settings.REOPEN_DAYS + 1))
    before = _snapshot(case)
    _refused(_post(client, o311, case), 400, "The time to reopen this case has passed.")
    assert _snapshot(case) == before


def test_still_not_fixed_after_a_satisfied_rating_is_refused(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    assert _post(client, o311, case, update_id="fixed", status="CLOSED",
                 description="修好了，谢谢").status_code == 201
    before = _snapshot(case)
    _refused(_post(client, o311, case, update_id="again"), 400, "rated this request satisfied")
    assert _snapshot(case) == before


def test_closed_on_a_closed_unrated_request_rates_it_satisfied(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    response = _post(client, o311, case, status="closed", description="修好了，谢谢")
    assert response.status_code == 201
    case.refresh_from_db()
    assert (case.state, case.rating, case.rating_comment) == (
        State.CLOSED, Rating.SATISFIED, "修好了，谢谢")
    rate = case.events.get(action="rate")
    assert parsed(response) == [{"update_id": str(rate.pk)}]
    before = _snapshot(case)
    _refused(_post(client, o311, case, update_id="u-2", status="CLOSED"), 400,
             "already rated")
    assert _snapshot(case) == before


def test_a_closed_request_needs_a_status(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    before = _snapshot(case)
    _refused(_post(client, o311, case, status=None), 400, "send status OPEN")
    assert _snapshot(case) == before


def test_a_rejected_request_takes_no_updates(client, o311):
    case = _walk(o311, _file(client, o311), State.REJECTED)
    before = _snapshot(case)
    _refused(_post(client, o311, case), 400, "it takes no updates")
    assert _snapshot(case) == before


def test_a_merged_request_takes_no_updates(client, o311):
    master = _file(client, o311)
    case = _file(client, o311)
    case_transition(actor=o311.alice, case=case, action="merge", master=master)
    before = _snapshot(case)
    _refused(_post(client, o311, case), 400, "it takes no updates")
    assert _snapshot(case) == before


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "words"), [
    ({"description": ""}, "Write the update in description."),
    ({"description": "漏" * 2001}, "description is at most 2000 characters."),
    ({"status": "fixed"}, "status is OPEN or CLOSED."),
    ({"media_url": "javascript:alert(1)"}, "media_url must be an http(s) URL"),
    ({"media_url[]": [f"https://img.example.com/{i}.jpg" for i in range(6)]},
     "At most 5 media_url at a time."),
    ({"updated_datetime": "2999-01-01T00:00:00Z"}, "updated_datetime is in the future."),
    ({"updated_datetime": "yesterday"}, "updated_datetime must be a W3C date"),
    ({"update_id": "no spaces"}, "update_id is 1-128 letters"),
])
def test_a_bad_update_is_refused_and_changes_nothing(client, o311, overrides, words):
    case = _file(client, o311)
    before = _snapshot(case)
    _refused(_post(client, o311, case, **overrides), 400, words)
    assert _snapshot(case) == before


def test_every_problem_is_listed_at_once(client, o311):
    case = _file(client, o311)
    response = _post(client, o311, case, description="", status="maybe",
                     media_url="ftp://x")
    assert response.status_code == 400
    assert len(parsed(response)) == 3


def test_media_url_brackets_and_repeats_are_all_kept(client, o311):
    case = _file(client, o311)
    response = _post(client, o311, case, media_url="https://img.example.com/a.jpg",
                     **{"media_url[]": ["https://img.example.com/b.jpg",
                                        "https://img.example.com/a.jpg"]})
    assert response.status_code == 201
    assert UpdateSubmission.objects.get().media_urls == [
        "https://img.example.com/a.jpg", "https://img.example.com/b.jpg"]


def test_put_is_not_allowed(client, o311):
    response = client.put(f"{BASE}/servicerequestupdates.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS, POST"


# --- the feed ----------------------------------------------------------------------------

def test_the_feed_carries_the_updates_in_xml_and_json(client, o311):
    case = _walk(o311, _file(client, o311), State.CLOSED)
    _post(client, o311, case, status="OPEN", description="还是漏水，没修好",
          media_url="https://img.example.com/a.jpg")
    _post(client, o311, case, update_id="u-2", status=None, description="楼下也开始滴水")
    _xml, data = both(client, "servicerequestupdates", jurisdiction_id=JID)
    posted = {item["update_id"]: item for item in data}
    reopen = case.events.get(action="reopen")
    remark = case.events.get(action="remark")
    assert posted[str(reopen.pk)] == {
        "update_id": str(reopen.pk), "service_request_id": str(case.pk), "status": "open",
        "updated_datetime": posted[str(reopen.pk)]["updated_datetime"],
        "description": "还是漏水，没修好", "media_url": "https://img.example.com/a.jpg"}
    assert posted[str(remark.pk)]["description"] == "楼下也开始滴水"
    assert posted[str(remark.pk)]["media_url"] is None
    # The rating is the reporter's own business: not in the public feed.
    assert str(case.events.get(action="rate").pk) not in posted
    # Steps no app posted read as before.
    close = case.events.get(action="close")
    assert posted[str(close.pk)]["description"] == "Closed"


def test_a_remark_made_on_the_web_shows_only_its_label(client, o311):
    """The reporter's own words on the web are theirs: the public reads the step's name."""
    case = _file(client, o311)
    event = case_remark(actor=None, case=case, note="我家门牌号是101", for_reporter=True)
    _xml, data = both(client, "servicerequestupdates", jurisdiction_id=JID)
    assert next(d for d in data if d["update_id"] == str(event.pk))["description"] == (
        "Update from the reporter")


# --- the narrow way an app speaks for the reporter -------------------------------------------

def test_for_reporter_is_only_for_app_filed_cases_and_reporter_steps(client, o311):
    web = case_report(actor=o311.rita, category=o311.leak, area=o311.dwelling_a,
                      description="厨房水管漏水")
    with pytest.raises(PermissionDenied):
        case_remark(actor=None, case=web, note="x", for_reporter=True)
    case = _file(client, o311)
    with pytest.raises(PermissionDenied):
        case_remark(actor=o311.alice, case=case, note="x", for_reporter=True)
    with pytest.raises(PermissionDenied):
        case_remark(actor=None, case=case, note="x")
    with pytest.raises(PermissionDenied):
        case_transition(actor=None, case=case, action="accept", for_reporter=True)
    case = _walk(o311, case, State.RESOLVED)
    with pytest.raises(PermissionDenied):  # a reporter may verify on the web, not an app
        case_transition(actor=None, case=case, action="verify", for_reporter=True)
    assert case.events.filter(action__in=["remark", "accept", "verify"]).count() == 1


def test_a_web_reporter_may_remark_on_their_own_open_case(o311):
    case = case_report(actor=o311.rita, category=o311.leak, area=o311.dwelling_a,
                       description="厨房水管漏水")
    event = case_remark(actor=o311.rita, case=case, note="下午有人在家")
    assert (event.actor, event.action) == (o311.rita, "remark")
    with pytest.raises(PermissionDenied):
        case_remark(actor=o311.gina, case=case, note="x")


# --- PostgreSQL: two identical updates racing -------------------------------------------------

def _poster(world, case_id: int, **overrides):
    def job(barrier: threading.Barrier):
        from django.test import Client

        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        body = _update(world, Case(pk=case_id), **overrides)
        barrier.wait()
        response = client.post(f"{BASE}/servicerequestupdates.json", body)
        return response.status_code, parsed(response)
    return job


@pytest.mark.postgres
@pytest.mark.parametrize("state", [State.REPORTED, State.CLOSED])
def test_two_identical_updates_racing_make_one_step(transactional_db, postgres_only, client,
                                                    o311, state):
    case = _walk(o311, _file(client, o311), state)
    outcomes = run_together(_poster(o311, case.pk), _poster(o311, case.pk))
    assert [kind for kind, _value in outcomes] == ["ok", "ok"], outcomes
    answers = sorted(value for _kind, value in outcomes)
    assert [code for code, _data in answers] == [200, 201]
    assert answers[0][1] == answers[1][1]
    action = "remark" if state == State.REPORTED else "reopen"
    assert case.events.filter(action=action).count() == 1
    assert UpdateSubmission.objects.count() == 1
