"""The acts of mediation beside the moves: sessions, the agreement (art. 29), its
performance check, 司法确认, and the audited reveal of a party's identity."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.timezone import localdate

from linli.core.errors import NotFound, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.disputes import services
from linli.disputes.models import Agreement, Event, Session, State
from linli.disputes.services import PartyInput
from linli.disputes.tests.factories import AGREEMENT, agreement, dispute, in_state, mediator
from linli.people.models import AccessLog

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def staff(world):
    world.mia = mediator(world)
    return world


def session(world, d, **overrides):
    fields = {"held_on": localdate(), "mediator_id": world.mia.pk, "attendees": "双方当事人",
              "record": "调解员听取双方陈述"} | overrides
    return services.session_add(actor=world.alice, dispute=d, **fields)


# --- sessions --------------------------------------------------------------------------------

def test_the_first_session_starts_mediation_and_is_recorded(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    s = session(staff, d)
    d.refresh_from_db()
    assert d.state == State.MEDIATING and d.mediating_at is not None
    assert (s.mediator, s.created_by, s.attendees) == (staff.mia, staff.alice, "双方当事人")
    assert Event.objects.filter(dispute=d, action="session").count() == 1
    session(staff, d, record="第二次调解")
    assert Session.objects.filter(dispute=d).count() == 2


@pytest.mark.parametrize(("overrides", "code"), [
    ({"held_on": date.today() + timedelta(days=2)}, "bad_date"),
    ({"attendees": ""}, "attendees_required"),
    ({"attendees": "人" * 501}, "attendees_too_long"),
    ({"record": " "}, "record_required"),
    ({"record": "录" * 5001}, "record_too_long"),
])
def test_bad_sessions_are_refused(staff, overrides, code):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    with pytest.raises(ValidationFailed) as caught:
        session(staff, d, **overrides)
    assert caught.value.code == code
    d.refresh_from_db()
    assert d.state == State.ACCEPTED and not Session.objects.exists()


def test_the_mediator_must_be_staff_of_the_place(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    for someone in (staff.bob, staff.rita, staff.uma):
        with pytest.raises(ValidationFailed) as caught:
            session(staff, d, mediator_id=someone.pk)
        assert caught.value.code == "bad_mediator"


def test_sessions_only_while_mediation_runs(staff):
    for state in (State.REGISTERED, State.AGREED):
        d = in_state(staff, state, mia=staff.mia, parties=[PartyInput(name=f"张{state}")])
        with pytest.raises(ValidationFailed) as caught:
            session(staff, d)
        assert caught.value.code == "transition_not_allowed"


def test_sessions_need_a_handler(staff):
    d = in_state(staff, State.ACCEPTED, grade="yellow", mia=staff.mia)
    with pytest.raises(PermissionDenied):
        services.session_add(actor=staff.gina, dispute=d, held_on=localdate(),
                             mediator_id=staff.mia.pk, attendees="双方", record="记录")
    with pytest.raises(NotFound):
        services.session_add(actor=staff.bob, dispute=d, held_on=localdate(),
                             mediator_id=staff.mia.pk, attendees="双方", record="记录")


# --- the agreement ---------------------------------------------------------------------------

def test_agreement_sets_its_timers(staff):
    with time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=SH), tick=False):
        d = in_state(staff, State.ACCEPTED, mia=staff.mia)
        session(staff, d)
        a = agreement(staff.alice, d, performance_deadline=date(2026, 3, 20),
                      signed_on=date(2026, 3, 2), judicial_wanted=True)
    assert a.mediator == staff.mia and a.created_by == staff.alice
    assert a.performance_due_at == datetime(2026, 3, 21, 9, 0, tzinfo=SH)
    assert a.judicial_window_ends == date(2026, 4, 1)
    assert a.judicial_remind_at == datetime(2026, 3, 27, 9, 0, tzinfo=SH)
    assert Event.objects.filter(dispute=d, action="agreement").count() == 1


def test_agreement_without_judicial_wish_has_no_reminder(staff):
    d = in_state(staff, State.MEDIATING, mia=staff.mia)
    assert d.agreement.judicial_remind_at is None


@pytest.mark.parametrize("field", sorted(AGREEMENT))
def test_every_art_29_field_is_required(staff, field):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    session(staff, d)
    with pytest.raises(ValidationFailed) as caught:
        agreement(staff.alice, d, **{field: "  "})
    assert caught.value.code == f"{field}_required"
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(("dates", "code"), [
    ({"signed_on": None}, "signed_on_required"),
    ({"performance_deadline": None}, "performance_deadline_required"),
    ({"signed_on": date.today() + timedelta(days=3)}, "signed_on_future"),
    ({"signed_on": date.today(), "performance_deadline": date.today() - timedelta(days=1)},
     "deadline_before_signing"),
])
def test_agreement_dates_are_checked(staff, dates, code):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    session(staff, d)
    with pytest.raises(ValidationFailed) as caught:
        agreement(staff.alice, d, **dates)
    assert caught.value.code == code
    assert not Agreement.objects.exists()


def test_agreement_only_in_mediation_and_corrected_while_it_runs(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    with pytest.raises(ValidationFailed) as caught:
        agreement(staff.alice, d)
    assert caught.value.code == "transition_not_allowed"
    session(staff, d)
    agreement(staff.alice, d)
    agreement(staff.alice, d, terms="赔偿900元")
    assert Agreement.objects.get(dispute=d).terms == "赔偿900元"
    services.dispute_transition(actor=staff.alice, dispute=d, action="agree")
    with pytest.raises(ValidationFailed):
        agreement(staff.alice, d, terms="改口")


def test_performance_is_recorded(staff):
    d = in_state(staff, State.AGREED, mia=staff.mia)
    with pytest.raises(ValidationFailed) as caught:
        services.agreement_performance(actor=staff.alice, agreement=d.agreement,
                                       performed=False, note="")
    assert caught.value.code == "note_required"
    a = services.agreement_performance(actor=staff.alice, agreement=d.agreement,
                                       performed=False, note="仅支付一半")
    assert a.performed is False and a.performance_checked_at is not None
    assert Event.objects.filter(dispute=d, action="performance").count() == 1
    with pytest.raises(PermissionDenied):
        services.agreement_performance(actor=staff.leo, agreement=d.agreement,
                                       performed=True, note="")


def test_judicial_application_within_the_window(staff):
    with time_machine.travel(datetime(2026, 3, 2, 15, 0, tzinfo=SH), tick=False):
        d = in_state(staff, State.AGREED, mia=staff.mia)
    a = d.agreement
    with time_machine.travel(datetime(2026, 4, 10, 15, 0, tzinfo=SH), tick=False):
        for applied_on, code in ((date(2026, 4, 11), "applied_on_future"),
                                 (date(2026, 4, 2), "outside_window"),
                                 (date(2026, 3, 1), "outside_window")):
            with pytest.raises(ValidationFailed) as caught:
                services.judicial_applied(actor=staff.alice, agreement=a, applied_on=applied_on)
            assert caught.value.code == code
        a = services.judicial_applied(actor=staff.alice, agreement=a,
                                      applied_on=date(2026, 4, 1))
    assert a.judicial_applied_on == date(2026, 4, 1)


# --- revealing a party ------------------------------------------------------------------------

def test_reveal_to_a_handler_with_a_purpose_is_audited_without_values(staff):
    d = in_state(staff, State.ACCEPTED, mia=staff.mia)
    party = d.parties.get(position=0)
    with pytest.raises(ValidationFailed) as caught:
        services.party_reveal(actor=staff.alice, party=party, purpose="  ")
    assert caught.value.code == "purpose_required"
    clear = services.party_reveal(actor=staff.alice, party=party, purpose="电话联系当事人")
    assert clear == {"name": "王大伟", "phone": "13900000000", "id_number": ""}
    entry = AuditEntry.objects.get(action="dispute.party_reveal")
    assert entry.changes == {"party": party.pk, "purpose": "电话联系当事人"}


def test_reveal_of_a_resident_party_is_in_the_registry_log(staff):
    from linli.people.tests.factories import resident
    person = resident(staff.alice, staff.dwelling_a, name="陈秀兰", phone="13812345678")
    d = dispute(staff, parties=[PartyInput(resident_id=person.pk),
                                PartyInput(role="respondent", name="赵六")])
    clear = services.party_reveal(actor=staff.mia, party=d.parties.get(position=0),
                                  purpose="通知调解时间")
    assert clear["name"] == "陈秀兰" and clear["phone"] == "13812345678"
    log = AccessLog.objects.get(resident=person, field="dispute_party")
    assert log.purpose == "通知调解时间"


def test_reveal_is_refused_outside_the_handlers(staff):
    d = in_state(staff, State.ACCEPTED, grade="yellow", mia=staff.mia)
    party = d.parties.first()
    with pytest.raises(PermissionDenied):
        services.party_reveal(actor=staff.gina, party=party, purpose="好奇")
    with pytest.raises(NotFound):
        services.party_reveal(actor=staff.bob, party=party, purpose="核对身份")
    assert not AuditEntry.objects.filter(action="dispute.party_reveal").exists()
