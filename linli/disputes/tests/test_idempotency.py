"""A retried registration writes nothing twice: the same key and request replay the first
dispute (no second dispute, party, event, audit entry or grading as a repeat); the same key
with another request is 409. Through the service (also from a case) and the register page,
whose per-render token is the key."""

import re
from datetime import timedelta

import pytest

from linli.cases.tests.viewtools import body, login_as
from linli.cases.tests.walking import report
from linli.core.errors import Conflict, ValidationFailed
from linli.core.models import AuditEntry
from linli.disputes import services
from linli.disputes.models import Dispute, Event, Grade, Party, RegistrationKey, Source
from linli.disputes.services import PartyInput
from linli.disputes.tests.factories import dispute, outsiders

pytestmark = pytest.mark.django_db


def written() -> tuple:
    return (Dispute.objects.count(), Party.objects.count(), Event.objects.count(),
            AuditEntry.objects.count(), RegistrationKey.objects.count())


# --- the service -------------------------------------------------------------------------

def test_the_same_key_and_request_replay_the_first_dispute_writing_nothing(world):
    first = dispute(world, idempotency_key="k1")
    before = written()
    outcome = services.dispute_register_outcome(
        actor=world.gina, area=world.building_a, kind="neighbour",
        summary="楼上漏水，楼下要求赔偿，双方争执", people_involved=2,
        source=Source.DAILY_REPORT, parties=outsiders(), idempotency_key="k1",
        now=first.registered_at + timedelta(minutes=5))  # a retry later is the same
    assert outcome == (first, True)
    assert outcome.dispute.grade == Grade.GREEN  # not graded up as a repeat
    assert written() == before


def test_the_same_key_with_other_details_is_409_and_nothing_written(world):
    dispute(world, idempotency_key="k1")
    before = written()
    with pytest.raises(Conflict) as refused:
        dispute(world, idempotency_key="k1", people_involved=3)
    assert refused.value.code == "idempotency_mismatch"
    with pytest.raises(Conflict):
        dispute(world, idempotency_key="k1",
                parties=[PartyInput(name="赵水塔"), PartyInput(name="李小红")])
    assert written() == before


def test_without_a_key_or_with_another_key_each_call_registers(world):
    dispute(world, idempotency_key="k1")
    second = dispute(world, idempotency_key="k2")
    third = dispute(world)
    assert Dispute.objects.count() == 3 and second != third
    assert second.grade == Grade.YELLOW  # a real repeat is still graded up


def test_a_key_over_128_characters_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        dispute(world, idempotency_key="k" * 129)
    assert refused.value.code == "idempotency_key_too_long"
    assert written() == (0, 0, 0, 0, 0)


def test_from_case_replays_and_another_case_is_409(world):
    case, other = report(world), report(world)
    given = {"actor": world.alice, "kind": "property", "parties": outsiders()}
    first = services.dispute_from_case(case_id=case.pk, idempotency_key="c1", **given)
    before = written()
    again = services.dispute_from_case_outcome(case_id=case.pk, idempotency_key="c1", **given)
    assert again == (first, True) and written() == before
    with pytest.raises(Conflict):
        services.dispute_from_case(case_id=other.pk, idempotency_key="c1", **given)
    assert written() == before


def test_the_stored_fingerprint_is_keyed_not_a_plain_hash_of_the_parties(world):
    dispute(world, idempotency_key="k1")
    stored = RegistrationKey.objects.get().request_hash
    assert len(stored) == 64 and "王大伟" not in stored


# --- the register page -------------------------------------------------------------------

def _form(world, token: str, **overrides) -> dict:
    return {"kind": "neighbour", "summary": "楼上漏水，楼下要求赔偿", "people_involved": "2",
            "source": Source.WALK_IN, "party_rows": "2", "area": str(world.building_a.pk),
            "party-0-role": "applicant", "party-0-who": "outsider", "party-0-name": "王大伟",
            "party-1-role": "respondent", "party-1-who": "outsider",
            "party-1-name": "李小红", "idem": token} | overrides


def _token(page: str) -> str:
    found = re.search(r'name="idem" value="([0-9a-f]{32})"', page)
    assert found, "the form carries its token"
    return found.group(1)


def test_each_render_of_the_form_has_its_own_token(client, world):
    login_as(client, world.gina)
    first = _token(body(client.get("/disputes/new/")))
    assert first != _token(body(client.get("/disputes/new/")))


def test_a_double_submit_lands_on_the_first_dispute(client, world):
    login_as(client, world.gina)
    token = _token(body(client.get("/disputes/new/")))
    first = client.post("/disputes/new/", _form(world, token))
    d = Dispute.objects.get()
    before = written()
    again = client.post("/disputes/new/", _form(world, token), follow=True)
    assert first.status_code == 302 and first["Location"] == f"/disputes/{d.pk}/"
    assert again.redirect_chain == [(f"/disputes/{d.pk}/", 302)]
    assert "This dispute was registered already." in body(again)
    assert written() == before


def test_a_form_error_keeps_the_token_and_a_changed_resend_gets_a_new_one(client, world):
    login_as(client, world.gina)
    token = _token(body(client.get("/disputes/new/")))
    refused = client.post("/disputes/new/", _form(world, token, summary=""))
    assert refused.status_code == 400 and _token(body(refused)) == token
    client.post("/disputes/new/", _form(world, token))
    changed = client.post("/disputes/new/", _form(world, token, people_involved="3"))
    assert changed.status_code == 409 and "Start a new registration" in body(changed)
    assert _token(body(changed)) != token
    assert Dispute.objects.count() == 1


def test_a_double_submit_from_a_case_lands_on_the_first_dispute(client, world):
    case = report(world)
    login_as(client, world.alice)
    url = f"/disputes/new/?case={case.pk}"
    token = _token(body(client.get(url)))
    data = _form(world, token, case=str(case.pk))
    first = client.post(url, data)
    again = client.post(url, data)
    d = Dispute.objects.get()
    assert first["Location"] == again["Location"] == f"/disputes/{d.pk}/"
    assert d.case == case
