"""The disputes API, acting: every move through /actions/{action}, the grade override,
sessions, the agreement (create, correct, performance, 司法确认) and the audited reveal of a
party. For each endpoint: anonymous 401, the other community (bob) 404, a resident (rita)
and a unit member (uma) 404 (no dispute is in their sight), a member of staff without the
role 403, the right role 200/201, bad bodies 400 naming the field, 20-digit ids 400, and a
refusal changes nothing."""

from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from linli.cases.tests.apitools import post_json
from linli.core.models import AuditEntry
from linli.disputes.models import Agreement, Dispute, Event, Referral, Session
from linli.disputes.tests.factories import dispute, mediator

pytestmark = pytest.mark.django_db
HUGE = "9" * 20
MISSING = 987654321


@pytest.fixture
def mia(world):
    return mediator(world)


@pytest.fixture
def green(world):
    return dispute(world)  # registered by gina, the grid worker: she mediates it on site


@pytest.fixture
def yellow(world):
    return dispute(world, actor=world.alice, people_involved=8)


def state(d: Dispute) -> tuple:
    """What a refused write must leave as it was."""
    fresh = Dispute.objects.get(pk=d.pk)
    return (fresh.state, fresh.version, fresh.grade, fresh.owner_id, Event.objects.count(),
            Session.objects.count(), Agreement.objects.count(), Referral.objects.count(),
            AuditEntry.objects.filter(action__startswith="dispute.").count())


def act(client, d: Dispute, action: str, **body):
    return post_json(client, f"/api/disputes/{d.pk}/actions/{action}", body)


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.json()
    return response.json()


def refused(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.json()
    if code:
        assert response.json()["code"] == code, response.json()


TODAY = timezone.localdate


def agreement_body(**change) -> dict:
    today = TODAY()
    return {"facts": "楼上卫生间漏水致楼下天花板受损", "responsibilities": "楼上住户负主要责任",
            "terms": "楼上住户赔偿维修费2000元", "performance_manner": "一次性转账",
            "performance_deadline": f"{today + timedelta(days=10):%Y-%m-%d}",
            "signed_on": f"{today:%Y-%m-%d}", "judicial_wanted": True} | change


def to_mediating(client, d: Dispute, world, actor=None) -> None:
    client.force_login(actor or world.alice)
    ok(act(client, d, "accept"))
    ok(act(client, d, "mediate"))


def to_agreed(client, d: Dispute, world) -> None:
    to_mediating(client, d, world)
    ok(post_json(client, f"/api/disputes/{d.pk}/agreement", agreement_body()), 201)
    ok(act(client, d, "agree"))


# --- every endpoint: who may call it -----------------------------------------------------

def _endpoints(d: Dispute) -> list[tuple[str, dict]]:
    party = d.parties.first()
    assert party is not None
    base = f"/api/disputes/{d.pk}"
    return [(f"{base}/actions/accept", {}), (f"{base}/regrade", {"grade": "red", "note": "打架"}),
            (f"{base}/sessions", {"held_on": f"{TODAY():%Y-%m-%d}", "mediator_id": 1,
                                  "attendees": "双方", "record": "调解"}),
            (f"{base}/agreement", agreement_body()),
            (f"{base}/agreement/performance", {"performed": True}),
            (f"{base}/agreement/judicial", {"applied_on": f"{TODAY():%Y-%m-%d}"}),
            (f"{base}/parties/{party.pk}/reveal", {"purpose": "联系当事人安排调解"})]


def test_every_write_is_401_for_the_anonymous(client, world, green):
    before = state(green)
    for url, body in _endpoints(green):
        refused(post_json(client, url, body), 401, "unauthenticated")
    refused(client.put(f"/api/disputes/{green.pk}/agreement", agreement_body(),
                       content_type="application/json"), 401, "unauthenticated")
    assert state(green) == before


@pytest.mark.parametrize("who", ["bob", "rita", "uma", "ada"])
def test_every_write_is_404_out_of_sight_and_changes_nothing(client, world, green, who):
    client.force_login(getattr(world, who))
    before = state(green)
    for url, body in _endpoints(green):
        theirs = post_json(client, url, body)
        missing = post_json(client, url.replace(f"/{green.pk}/", f"/{MISSING}/"), body)
        refused(theirs, 404, "not_found")
        assert missing.status_code == 404, url
    refused(client.put(f"/api/disputes/{green.pk}/agreement", agreement_body(),
                       content_type="application/json"), 404)
    assert state(green) == before


def test_twenty_digit_ids_are_400(client, world, green):
    client.force_login(world.alice)
    party = green.parties.first()
    assert party is not None
    for url in [f"/api/disputes/{HUGE}/actions/accept", f"/api/disputes/{HUGE}/regrade",
                f"/api/disputes/{HUGE}/sessions", f"/api/disputes/{HUGE}/agreement",
                f"/api/disputes/{HUGE}/agreement/performance",
                f"/api/disputes/{HUGE}/agreement/judicial",
                f"/api/disputes/{green.pk}/parties/{HUGE}/reveal"]:
        refused(post_json(client, url, {}), 400, "invalid")
    refused(act(client, green, "accept", version=HUGE, owner_id=1), 400, "invalid")
    refused(act(client, green, "accept", owner_id=HUGE), 400, "invalid")


# --- moves -------------------------------------------------------------------------------

def test_the_whole_walk_through_the_api(client, world, green):
    """Registered → accepted (green: the registering grid worker owns it) → in mediation
    (a session) → agreed (after the agreement) → followed up → closed."""
    client.force_login(world.alice)
    data = ok(act(client, green, "accept", version=1))
    assert (data["state"], data["owner"]["id"], data["version"]) == (
        "accepted", world.gina.pk, 2)
    assert data["due"] is not None and data["light"] == "green"
    client.force_login(world.gina)
    session = ok(post_json(client, f"/api/disputes/{green.pk}/sessions", {
        "held_on": f"{TODAY():%Y-%m-%d}", "mediator_id": world.gina.pk,
        "attendees": "双方当事人、楼长", "record": "双方同意协商赔偿"}), 201)
    assert session["mediator"]["id"] == world.gina.pk
    assert ok(client.get(f"/api/disputes/{green.pk}"))["state"] == "mediating"
    refused(act(client, green, "agree"), 400, "agreement_required")
    agreement = ok(post_json(client, f"/api/disputes/{green.pk}/agreement",
                             agreement_body()), 201)
    assert agreement["judicial_window_ends"] is not None
    data = ok(act(client, green, "agree"))
    assert (data["state"], data["resolved"]) == ("agreed", True)
    assert data["agreement"]["id"] == agreement["id"]
    assert data["followup_due_at"] is not None
    refused(act(client, green, "close"), 400)  # not before the follow-up
    data = ok(act(client, green, "follow_up", note="回访：已赔偿，双方满意"))
    assert data["followed_up_at"] is not None and "close" in data["allowed_actions"]
    data = ok(act(client, green, "close"))
    assert data["state"] == "closed" and data["allowed_actions"] == []
    actions = [e["action"] for e in ok(client.get(f"/api/disputes/{green.pk}/events"))]
    assert actions == ["register", "accept", "mediate", "session", "agreement", "agree",
                       "follow_up", "close"]


def test_accepting_a_yellow_dispute_names_its_owner(client, world, yellow, mia):
    client.force_login(world.alice)
    before = state(yellow)
    refused(act(client, yellow, "accept"), 400, "owner_required")
    refused(act(client, yellow, "accept", owner_id=world.gina.pk), 400, "bad_owner")
    refused(act(client, yellow, "accept", owner_id=MISSING), 400, "bad_owner")
    assert state(yellow) == before
    assert ok(act(client, yellow, "accept", owner_id=mia.pk))["owner"]["id"] == mia.pk


def test_a_grid_worker_may_not_accept(client, world, green):
    client.force_login(world.gina)
    before = state(green)
    refused(act(client, green, "accept"), 403, "forbidden")
    assert state(green) == before


def test_unknown_actions_and_wrong_states_are_400(client, world, green):
    client.force_login(world.alice)
    before = state(green)
    refused(act(client, green, "fly"), 400, "unknown_action")
    refused(act(client, green, "regrade", note="x"), 400, "unknown_action")  # its own endpoint
    refused(act(client, green, "a" * 300), 400, "unknown_action")
    refused(act(client, green, "agree"), 400, "transition_not_allowed")
    refused(act(client, green, "close"), 400, "transition_not_allowed")
    refused(act(client, green, "escalate"), 403)  # the sweep's, nobody's by hand
    assert state(green) == before


def test_a_stale_version_is_409(client, world, green):
    client.force_login(world.alice)
    ok(act(client, green, "accept", version=1))
    before = state(green)
    refused(act(client, green, "withdraw", note="双方和解", version=1), 409, "stale")
    assert state(green) == before


def test_notes_and_referrals_are_required_where_the_table_says(client, world, green, mia):
    to_mediating(client, green, world)
    before = state(green)
    refused(act(client, green, "withdraw"), 400, "note_required")
    refused(act(client, green, "fail"), 400, "note_required")
    refused(act(client, green, "refer", note="转法院"), 400, "bad_referral_to")
    refused(act(client, green, "refer", note="转法院", referral_to="court"), 400,
            "referral_name_required")
    refused(act(client, green, "reassign", note="换人"), 400, "owner_required")
    assert state(green) == before
    data = ok(act(client, green, "reassign", note="换调解员", owner_id=mia.pk))
    assert data["owner"]["id"] == mia.pk
    data = ok(act(client, green, "refer", note="涉及房产确权", referral_to="court",
                  referral_name="江汉区人民法院"))
    assert data["state"] == "referred"
    assert [(r["to"], r["to_name"]) for r in data["referrals"]] == [("court", "江汉区人民法院")]


@pytest.mark.parametrize(("body", "field"), [
    ({"note": "长" * 2001}, "note"), ({"version": "new"}, "version"),
    ({"owner_id": 0}, "owner_id"), ({"referral_to": "c" * 13}, "referral_to"),
    ({"referral_name": "名" * 101}, "referral_name"), ({"note": 5}, "note"),
])
def test_malformed_action_bodies_are_400_naming_the_field(client, world, green, body, field):
    client.force_login(world.alice)
    before = state(green)
    response = act(client, green, "accept", **body)
    refused(response, 400, "invalid")
    assert f"payload.{field}" in [d["field"] for d in response.json()["details"]]
    assert state(green) == before


def test_a_grid_worker_never_closes_a_yellow_dispute(client, world, mia):
    d = dispute(world, people_involved=8)  # registered by gina, yellow
    client.force_login(world.alice)
    ok(act(client, d, "accept", owner_id=mia.pk))
    ok(act(client, d, "withdraw", note="双方自行和解"))
    ok(act(client, d, "follow_up", note="回访：未再发生"))
    client.force_login(world.gina)
    before = state(d)
    refused(act(client, d, "close"), 403)
    assert state(d) == before
    client.force_login(mia)
    assert ok(act(client, d, "close"))["state"] == "closed"


# --- regrade -----------------------------------------------------------------------------

def test_a_coordinator_overrides_the_grade_with_a_reason(client, world, green):
    client.force_login(world.alice)
    before = state(green)
    refused(post_json(client, f"/api/disputes/{green.pk}/regrade", {"grade": "red",
                                                                   "note": ""}),
            400, "note_required")
    refused(post_json(client, f"/api/disputes/{green.pk}/regrade", {"grade": "purple",
                                                                   "note": "x"}),
            400, "bad_grade")
    refused(post_json(client, f"/api/disputes/{green.pk}/regrade", {"grade": "green",
                                                                   "note": "x"}),
            400, "same_grade")
    for bad, field in [({"grade": "red", "note": "因" * 2001}, "note"),
                       ({"grade": "r" * 9, "note": "x"}, "grade")]:
        response = post_json(client, f"/api/disputes/{green.pk}/regrade", bad)
        refused(response, 400, "invalid")
        assert f"payload.{field}" in [d["field"] for d in response.json()["details"]]
    response = post_json(client, f"/api/disputes/{green.pk}/regrade", {"grade": "red"})
    refused(response, 400, "invalid")
    assert "payload.note" in [d["field"] for d in response.json()["details"]]
    refused(post_json(client, f"/api/disputes/{green.pk}/regrade",
                      {"grade": "red", "note": "x", "version": 7}), 409, "stale")
    assert state(green) == before
    data = ok(post_json(client, f"/api/disputes/{green.pk}/regrade",
                        {"grade": "red", "note": "一方扬言动手", "version": 1}))
    assert (data["grade"], data["computed_grade"], data["grade_overridden"]) == (
        "red", "green", True)
    event = ok(client.get(f"/api/disputes/{green.pk}/events"))[-1]
    assert (event["action"], event["data"], event["note"]) == (
        "regrade", {"from": "green", "to": "red"}, "一方扬言动手")


def test_a_grid_worker_may_not_regrade(client, world, green):
    client.force_login(world.gina)
    before = state(green)
    refused(post_json(client, f"/api/disputes/{green.pk}/regrade",
                      {"grade": "red", "note": "x"}), 403)
    assert state(green) == before


# --- sessions ----------------------------------------------------------------------------

def _session(**change) -> dict[str, object]:
    return {"held_on": f"{TODAY():%Y-%m-%d}", "attendees": "双方当事人",
            "record": "双方陈述事实"} | change


def test_sessions(client, world, yellow, mia):
    url = f"/api/disputes/{yellow.pk}/sessions"
    client.force_login(world.alice)
    before = state(yellow)
    refused(post_json(client, url, _session(mediator_id=mia.pk)), 400,
            "transition_not_allowed")  # not accepted yet
    assert state(yellow) == before
    ok(act(client, yellow, "accept", owner_id=mia.pk))
    client.force_login(world.gina)  # a grid worker does not handle a yellow dispute
    before = state(yellow)
    refused(post_json(client, url, _session(mediator_id=mia.pk)), 403)
    client.force_login(mia)
    tomorrow = TODAY() + timedelta(days=1)
    refused(post_json(client, url, _session(mediator_id=mia.pk,
                                            held_on=f"{tomorrow:%Y-%m-%d}")), 400, "bad_date")
    refused(post_json(client, url, _session(mediator_id=world.bob.pk)), 400, "bad_mediator")
    refused(post_json(client, url, _session(mediator_id=mia.pk, attendees=" ")), 400,
            "attendees_required")
    malformed: list[tuple[dict[str, object], str]] = [
        ({"attendees": "人" * 501}, "attendees"), ({"record": "记" * 5001}, "record"),
        ({"held_on": "昨天"}, "held_on"), ({"mediator_id": HUGE}, "mediator_id"),
        ({"record": None}, "record")]
    for bad, field in malformed:
        response = post_json(client, url, _session(mediator_id=mia.pk) | bad)
        refused(response, 400, "invalid")
        assert f"payload.{field}" in [d["field"] for d in response.json()["details"]]
    assert state(yellow) == before
    data = ok(post_json(client, url, _session(mediator_id=mia.pk)), 201)
    assert (data["attendees"], data["mediator"]["id"]) == ("双方当事人", mia.pk)
    detail = ok(client.get(f"/api/disputes/{yellow.pk}"))
    assert detail["state"] == "mediating" and [s["id"] for s in detail["sessions"]] == [
        data["id"]]


# --- the agreement -----------------------------------------------------------------------

def test_the_agreement_is_written_once_then_corrected(client, world, green):
    url = f"/api/disputes/{green.pk}/agreement"
    client.force_login(world.alice)
    refused(post_json(client, url, agreement_body()), 400, "transition_not_allowed")
    refused(client.put(url, agreement_body(), content_type="application/json"), 404)
    to_mediating(client, green, world)
    data = ok(post_json(client, url, agreement_body()), 201)
    assert data["dispute_id"] == green.pk and data["performed"] is None
    before = state(green)
    refused(post_json(client, url, agreement_body(terms="另一份")), 409, "agreement_exists")
    assert state(green) == before
    data = ok(client.put(url, agreement_body(terms="赔偿2500元"),
                         content_type="application/json"))
    assert data["terms"] == "赔偿2500元" and Agreement.objects.count() == 1


@pytest.mark.parametrize(("change", "code"), [
    ({"facts": " "}, "facts_required"), ({"terms": ""}, "terms_required"),
    ({"responsibilities": ""}, "responsibilities_required"),
    ({"performance_manner": ""}, "performance_manner_required"),
    ({"signed_on": "2999-01-01", "performance_deadline": "2999-02-01"}, "signed_on_future"),
    ({"performance_deadline": "2000-01-01"}, "deadline_before_signing"),
])
def test_an_agreement_missing_a_matter_is_refused(client, world, green, change, code):
    to_mediating(client, green, world)
    before = state(green)
    refused(post_json(client, f"/api/disputes/{green.pk}/agreement", agreement_body(**change)),
            400, code)
    assert state(green) == before


@pytest.mark.parametrize("field", ["facts", "terms", "performance_deadline", "signed_on"])
def test_an_agreement_body_without_a_field_is_400_naming_it(client, world, green, field):
    to_mediating(client, green, world)
    body = agreement_body()
    del body[field]
    response = post_json(client, f"/api/disputes/{green.pk}/agreement", body)
    refused(response, 400, "invalid")
    assert f"payload.{field}" in [d["field"] for d in response.json()["details"]]
    response = post_json(client, f"/api/disputes/{green.pk}/agreement",
                         agreement_body(facts="事" * 5001))
    assert "payload.facts" in [d["field"] for d in response.json()["details"]]
    assert not Agreement.objects.exists()


def test_only_a_handler_writes_the_agreement(client, world, yellow, mia):
    client.force_login(world.alice)
    ok(act(client, yellow, "accept", owner_id=mia.pk))
    ok(act(client, yellow, "mediate"))
    client.force_login(world.gina)
    before = state(yellow)
    refused(post_json(client, f"/api/disputes/{yellow.pk}/agreement", agreement_body()), 403)
    assert state(yellow) == before


def test_performance_and_judicial_confirmation(client, world, green):
    base = f"/api/disputes/{green.pk}/agreement"
    client.force_login(world.alice)
    refused(post_json(client, f"{base}/performance", {"performed": True}), 404)
    refused(post_json(client, f"{base}/judicial", {"applied_on": f"{TODAY():%Y-%m-%d}"}), 404)
    to_agreed(client, green, world)
    before = state(green)
    refused(post_json(client, f"{base}/performance", {"performed": False}), 400,
            "note_required")
    response = post_json(client, f"{base}/performance", {"performed": "perhaps"})
    refused(response, 400, "invalid")
    assert "payload.performed" in [d["field"] for d in response.json()["details"]]
    refused(post_json(client, f"{base}/performance", {"performed": False,
                                                      "note": "长" * 2001}), 400, "invalid")
    tomorrow = TODAY() + timedelta(days=1)
    refused(post_json(client, f"{base}/judicial", {"applied_on": f"{tomorrow:%Y-%m-%d}"}),
            400, "applied_on_future")
    refused(post_json(client, f"{base}/judicial", {"applied_on": "2000-01-01"}), 400,
            "outside_window")
    refused(post_json(client, f"{base}/judicial", {}), 400, "invalid")
    assert state(green) == before
    data = ok(post_json(client, f"{base}/performance", {"performed": False,
                                                        "note": "赔偿款只付了一半"}))
    assert (data["performed"], data["performance_note"]) == (False, "赔偿款只付了一半")
    data = ok(post_json(client, f"{base}/judicial", {"applied_on": f"{TODAY():%Y-%m-%d}"}))
    assert data["judicial_applied_on"] == f"{TODAY():%Y-%m-%d}"


def test_a_grid_worker_does_not_check_a_yellow_agreement(client, world, mia):
    d = dispute(world, people_involved=8)
    client.force_login(mia)
    ok(act(client, d, "accept"))
    ok(act(client, d, "mediate"))
    ok(post_json(client, f"/api/disputes/{d.pk}/agreement", agreement_body()), 201)
    client.force_login(world.gina)
    before = state(d)
    refused(post_json(client, f"/api/disputes/{d.pk}/agreement/performance",
                      {"performed": True}), 403)
    refused(post_json(client, f"/api/disputes/{d.pk}/agreement/judicial",
                      {"applied_on": f"{TODAY():%Y-%m-%d}"}), 403)
    assert state(d) == before


# --- the reveal --------------------------------------------------------------------------

def test_a_handler_reveals_a_party_with_a_purpose(client, world, green):
    party = green.parties.get(position=0)
    url = f"/api/disputes/{green.pk}/parties/{party.pk}/reveal"
    client.force_login(world.alice)
    audits = AuditEntry.objects.count()
    refused(post_json(client, url, {}), 400, "purpose_required")
    response = post_json(client, url, {"purpose": "用" * 201})
    refused(response, 400, "invalid")
    assert "payload.purpose" in [d["field"] for d in response.json()["details"]]
    assert AuditEntry.objects.count() == audits
    data = ok(post_json(client, url, {"purpose": "电话通知调解时间"}))
    assert data == {"name": "王大伟", "phone": "13900000000", "id_number": ""}
    entry = AuditEntry.objects.filter(action="dispute.party_reveal").get()
    assert "王大伟" not in str(entry.changes) and "13900000000" not in str(entry.changes)
    for read in (f"/api/disputes/{green.pk}", f"/api/disputes/{green.pk}/events",
                 "/api/disputes"):
        response = client.get(read)
        assert response.status_code == 200
        text = response.content.decode()
        assert "王大伟" not in text and "13900000000" not in text, read


def test_the_party_must_be_this_disputes(client, world, green):
    other = dispute(world, people_involved=3)
    foreign = other.parties.first()
    assert foreign is not None
    client.force_login(world.alice)
    refused(post_json(client, f"/api/disputes/{green.pk}/parties/{foreign.pk}/reveal",
                      {"purpose": "电话通知调解时间"}), 404)
    refused(post_json(client, f"/api/disputes/{green.pk}/parties/{MISSING}/reveal",
                      {"purpose": "电话通知调解时间"}), 404)
    assert not AuditEntry.objects.filter(action="dispute.party_reveal").exists()


def test_a_grid_worker_may_not_reveal_a_yellow_disputes_party(client, world, yellow):
    party = yellow.parties.get(position=0)
    client.force_login(world.gina)
    refused(post_json(client, f"/api/disputes/{yellow.pk}/parties/{party.pk}/reveal",
                      {"purpose": "电话通知调解时间"}), 403)
    assert not AuditEntry.objects.filter(action="dispute.party_reveal").exists()


# --- joint handling and similar disputes -------------------------------------------------

def test_a_red_dispute_names_its_joint_units(client, world):
    from linli.orgs.models import Unit, UnitKind
    from linli.orgs.tests.factories import UnitFactory

    police = cast(Unit, UnitFactory(name="花楼派出所", kind=UnitKind.POLICE,
                                    service_areas=[world.community_a]))
    judicial = cast(Unit, UnitFactory(name="民族街司法所", kind=UnitKind.JUDICIAL,
                                      service_areas=[world.street]))
    d = dispute(world, actor=world.alice, violence_threat=True)
    client.force_login(world.alice)
    data = ok(client.get(f"/api/disputes/{d.pk}"))
    assert data["grade"] == "red"
    assert [(u["id"], u["kind"]) for u in data["joint_units"]] == [
        (judicial.pk, "judicial"), (police.pk, "police")]
    assert ok(client.get(f"/api/disputes/{dispute(world).pk}"))["joint_units"] == []


def test_similar_past_disputes(client, world):
    first = dispute(world, now=timezone.now() - timedelta(days=200))
    again = dispute(world)
    url = f"/api/disputes/{again.pk}/similar"
    assert client.get(url).status_code == 401
    for who in ("bob", "rita", "uma"):
        client.force_login(getattr(world, who))
        refused(client.get(url), 404)
    client.force_login(world.alice)
    data = ok(client.get(url))
    assert [(s["id"], s["state"], s["days"]) for s in data] == [(first.pk, "registered", None)]
    assert "same_parties" in data[0]["why"]
    for bad in ("0", "21", HUGE, "many"):
        response = client.get(f"{url}?limit={bad}")
        refused(response, 400, "invalid")
        assert [d["field"] for d in response.json()["details"]] == ["limit"]
    refused(client.get(f"/api/disputes/{HUGE}/similar"), 400, "invalid")
