"""The dispute timers, swept like case deadlines (core.supervision): each deadline is
claimed once, however many sweepers run, and becomes an event on the dispute's history,
whose notification the rules in `notify.py` send.

- mediation overdue (clock "mediate"): the system move "escalate", one level up — 1 the
  community leader, 2 the street — each level given a few working days before the next
  hears of it (`effects.escalation_clock`). When the street's own time passes, it is told
  once more and the dispute keeps that deadline: there is no level above.
- follow-up overdue (clock "follow_up"): a reminder ("followup_due") to the owner.
- the agreement's performance check due ("performance_due") and the 司法确认 window
  closing ("judicial_remind"): reminders to the owner, the mediator (and for 司法确认 the
  parties who have an account).
"""

from datetime import datetime
from typing import Any

from django.utils import timezone

from linli.core import supervision
from linli.core.audit import audit_record
from linli.core.clocks import Clock
from linli.core.workflow import system_move
from linli.disputes import effects
from linli.disputes.models import Agreement, Dispute
from linli.disputes.transitions import CLOCKS
from linli.disputes.workflow import DISPUTES


def _remind(dispute: Dispute, action: str, now: datetime, data: dict) -> None:
    """A reminder is history, not a move: the state stays, the notification follows."""
    DISPUTES.write_event(dispute, actor=None, action=action, from_state=dispute.state,
                         to_state=dispute.state, at=now, data=data)
    audit_record(actor=None, action=f"dispute.{action}", obj=dispute, changes=data,
                 area_path=dispute.area_path)


def _escalate(dispute: Dispute, due: datetime, now: datetime) -> None:
    level = effects.after_escalation(dispute.escalation_level)
    updates: dict[str, Any] = {"escalation_level": level}
    if level > dispute.escalation_level:  # the street is the last level: no next deadline
        updates |= effects.escalation_clock(now)
    data = {"level": level, "due_at": due.isoformat()}
    system_move(dispute, "escalate", now, updates=updates, data=data)
    audit_record(actor=None, action="dispute.escalate", obj=dispute, changes=data,
                 area_path=dispute.area_path)


def _overdue(row: dict[str, Any], clock: Clock, now: datetime) -> None:
    dispute = Dispute.objects.get(pk=row["pk"])
    if clock.name == "mediate":
        _escalate(dispute, row["due"], now)
    else:
        _remind(dispute, "followup_due", now, {"due_at": row["due"].isoformat()})


def supervise_overdue(now: datetime | None = None) -> int:
    """Escalate every dispute newly past its mediation deadline and remind the owners of
    follow-ups past due; returns how many."""
    return supervision.supervise_overdue(Dispute, CLOCKS, _overdue,
                                         now=now or timezone.now())


def _agreement_hook(action: str):
    def hook(row: dict[str, Any], now: datetime) -> None:
        dispute = Dispute.objects.get(pk=row["dispute_id"])
        _remind(dispute, action, now, {"agreement": row["pk"],
                                       "due_at": row["due"].isoformat()})
    return hook


def agreement_reminders(now: datetime | None = None) -> int:
    """Remind once per deadline: the performance check (due the morning after the
    deadline of performance, until it is recorded) and the 司法确认 window closing (five
    days before it ends, until the application is recorded)."""
    now = now or timezone.now()
    fired = supervision.sweep_due(
        Agreement.objects.filter(performance_checked_at__isnull=True),
        due="performance_due_at", claimed="performance_reminded_for",
        hook=_agreement_hook("performance_due"), now=now, fields=("dispute_id",))
    fired += supervision.sweep_due(
        Agreement.objects.filter(judicial_wanted=True, judicial_applied_on__isnull=True),
        due="judicial_remind_at", claimed="judicial_reminded_for",
        hook=_agreement_hook("judicial_remind"), now=now, fields=("dispute_id",))
    return fired
