"""The dispute timers on the working calendar: the mediation deadline and the follow-up
across a holiday, the overdue sweep that escalates 0 → 1 → 2 once per deadline, and the
agreement's reminders (performance check, 司法确认 window) once each."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.core.tests.workdays import statutory
from linli.core.workcalendar import deadline
from linli.disputes import notify, services
from linli.disputes.models import Event, KindLimit, State
from linli.disputes.services import PartyInput
from linli.disputes.supervision import agreement_reminders, supervise_overdue
from linli.disputes.tests.factories import agreement, dispute, in_state, mediator
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def sh(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def statutory_calendar(monkeypatch):
    statutory(monkeypatch)


@pytest.fixture
def staff(world):
    world.mia = mediator(world)
    world.lina = UserFactory(username="lina")
    assign(world.lina, Role.LEADER, world.community_a)
    return world


def heard(event: Event) -> set[str]:
    notify.event_notify(event.pk)
    return set(Notification.objects.filter(source_key=f"dispute_event:{event.pk}")
               .values_list("recipient__username", flat=True))


def three_days() -> None:
    KindLimit.objects.filter(kind="neighbour").update(amount=Decimal(3), unit="work_days")


def accepted_at(world, moment: datetime):
    with time_machine.travel(moment, tick=False):
        return in_state(world, State.ACCEPTED, mia=world.mia)


# --- the mediation deadline ------------------------------------------------------------------

def test_mediation_deadline_from_the_type_skips_national_day(staff):
    three_days()
    d = accepted_at(staff, sh(9, 30, 9, 0))
    # 30 Sep, the holiday week off, 8 and 9 Oct, and the make-up Saturday 10 Oct.
    assert d.mediate_due_at == sh(10, 10, 9, 0)
    assert d.mediate_warn_at < d.mediate_due_at
    event = Event.objects.get(dispute=d, action="accept")
    assert datetime.fromisoformat(event.data["due_at"]) == d.mediate_due_at


def test_default_mediation_limit_is_thirty_working_days(staff):
    d = accepted_at(staff, sh(9, 30, 9, 0))
    assert d.mediate_due_at == deadline(sh(9, 30, 9, 0), Decimal(30), "work_days")
    assert (d.mediate_due_at - sh(9, 30, 9, 0)).days > 30 + 6  # the holiday week too


def test_follow_up_is_due_thirty_calendar_days_after_the_outcome(staff):
    with time_machine.travel(sh(9, 25, 10, 0), tick=False):
        d = in_state(staff, State.AGREED, mia=staff.mia)
    # Calendar days: the National Day week counts (see effects.followup_clock).
    assert d.followup_due_at == sh(10, 25, 10, 0)
    assert d.followup_warn_at == sh(10, 19, 10, 0)  # 80 %: 24 days


@pytest.mark.parametrize("days", [7])
def test_follow_up_days_are_a_setting(staff, settings, days):
    settings.DISPUTE_FOLLOWUP_DAYS = days
    with time_machine.travel(sh(9, 25, 10, 0), tick=False):
        d = in_state(staff, State.WITHDRAWN, mia=staff.mia)
    assert d.followup_due_at == sh(10, 2, 10, 0)


# --- the sweep -------------------------------------------------------------------------------

def test_overdue_mediation_escalates_once_per_deadline_up_to_the_street(staff):
    three_days()
    d = accepted_at(staff, sh(9, 30, 9, 0))
    assert supervise_overdue(now=sh(10, 10, 8, 59)) == 0
    assert supervise_overdue(now=sh(10, 10, 10, 0)) == 1
    assert supervise_overdue(now=sh(10, 10, 10, 5)) == 0  # one notice per deadline
    d.refresh_from_db()
    first = Event.objects.get(dispute=d, action="escalate")
    assert d.escalation_level == 1 and first.data["level"] == 1 and first.actor is None
    assert d.state == State.ACCEPTED
    assert d.mediate_due_at == deadline(sh(10, 10, 10, 0), Decimal(5), "work_days")
    assert heard(first) == {"lina", "gina"}  # the community leader and the owner

    later = d.mediate_due_at
    assert supervise_overdue(now=later) == 0
    assert supervise_overdue(now=sh(10, 16, 11, 0)) == 1
    d.refresh_from_db()
    second = Event.objects.filter(dispute=d, action="escalate").latest("id")
    assert d.escalation_level == 2 and second.data["level"] == 2
    assert heard(second) == {"leo", "gina"}  # the street's leader and the owner
    # The street is the last level: when its time passes it hears once more, then the
    # dispute has no further deadline and no further notice.
    street_due = d.mediate_due_at
    assert street_due == deadline(sh(10, 16, 11, 0), Decimal(5), "work_days")
    assert supervise_overdue(now=sh(12, 31, 12, 0)) == 1
    assert supervise_overdue(now=sh(12, 31, 13, 0)) == 0
    d.refresh_from_db()
    assert d.escalation_level == 2 and d.mediate_due_at == street_due
    assert Event.objects.filter(dispute=d, action="escalate").count() == 3


def test_ended_disputes_are_not_escalated(staff):
    d = accepted_at(staff, sh(3, 2, 10, 0))
    services.dispute_transition(actor=staff.alice, dispute=d, action="withdraw",
                                note="双方和解", now=sh(3, 3, 10, 0))
    supervise_overdue(now=sh(4, 30, 10, 0))
    assert not Event.objects.filter(dispute=d, action="escalate").exists()


def test_overdue_follow_up_reminds_the_owner_once(staff):
    with time_machine.travel(sh(9, 25, 10, 0), tick=False):
        d = in_state(staff, State.AGREED, mia=staff.mia)
    assert supervise_overdue(now=sh(10, 25, 9, 0)) == 0
    assert supervise_overdue(now=sh(10, 25, 11, 0)) == 1
    assert supervise_overdue(now=sh(10, 26, 11, 0)) == 0
    event = Event.objects.get(dispute=d, action="followup_due")
    assert event.to_state == State.AGREED and heard(event) == {"gina"}


def test_a_recorded_follow_up_is_forgotten_by_the_sweep(staff):
    with time_machine.travel(sh(9, 25, 10, 0), tick=False):
        d = in_state(staff, State.AGREED, mia=staff.mia)
    services.dispute_transition(actor=staff.alice, dispute=d, action="follow_up",
                                note="已回访", now=sh(10, 20, 10, 0))
    assert supervise_overdue(now=sh(11, 30, 10, 0)) == 0


# --- the agreement's reminders ---------------------------------------------------------------

def test_performance_and_judicial_reminders_fire_once_each(staff):
    from linli.people.models import Resident
    from linli.people.tests.factories import resident
    person = resident(staff.alice, staff.dwelling_a, name="陈秀兰")
    Resident.objects.filter(pk=person.pk).update(user=staff.rita)
    parties = [PartyInput(resident_id=person.pk), PartyInput(role="respondent", name="赵六")]
    with time_machine.travel(sh(3, 2, 15, 0), tick=False):
        d = in_state(staff, State.ACCEPTED, mia=staff.mia, parties=parties)
        services.session_add(actor=staff.alice, dispute=d, held_on=date(2026, 3, 2),
                             mediator_id=staff.mia.pk, attendees="双方", record="调解")
        agreement(staff.alice, d, performance_deadline=date(2026, 3, 20),
                  signed_on=date(2026, 3, 2), judicial_wanted=True)
        services.dispute_transition(actor=staff.alice, dispute=d, action="agree")

    assert agreement_reminders(now=sh(3, 21, 8, 59)) == 0
    assert agreement_reminders(now=sh(3, 21, 9, 1)) == 1
    assert agreement_reminders(now=sh(3, 22, 9, 1)) == 0
    performance = Event.objects.get(dispute=d, action="performance_due")
    assert heard(performance) == {"gina", "mia"}  # the owner and the mediator

    assert agreement_reminders(now=sh(3, 27, 9, 1)) == 1
    assert agreement_reminders(now=sh(3, 28, 9, 1)) == 0
    judicial = Event.objects.get(dispute=d, action="judicial_remind")
    assert heard(judicial) == {"gina", "mia", "rita"}  # and the party with an account
    assert heard(judicial) == {"gina", "mia", "rita"}  # a second run adds nobody
    assert Notification.objects.filter(source_key=f"dispute_event:{judicial.pk}").count() == 3


def test_no_reminder_once_checked_or_applied(staff):
    with time_machine.travel(sh(3, 2, 15, 0), tick=False):
        d = in_state(staff, State.ACCEPTED, mia=staff.mia)
        services.session_add(actor=staff.alice, dispute=d, held_on=date(2026, 3, 2),
                             mediator_id=staff.mia.pk, attendees="双方", record="调解")
        a = agreement(staff.alice, d, performance_deadline=date(2026, 3, 20),
                      signed_on=date(2026, 3, 2), judicial_wanted=True)
        services.dispute_transition(actor=staff.alice, dispute=d, action="agree")
    with time_machine.travel(sh(3, 10, 15, 0), tick=False):
        services.agreement_performance(actor=staff.alice, agreement=a, performed=True,
                                       note="")
        services.judicial_applied(actor=staff.alice, agreement=a, applied_on=date(2026, 3, 9))
    assert agreement_reminders(now=sh(4, 30, 9, 0)) == 0


def test_no_timer_runs_before_acceptance(staff):
    dispute(staff, people_involved=40)
    assert supervise_overdue(now=sh(12, 31, 9, 0)) == 0
