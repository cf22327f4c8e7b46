"""The votes' clock: close votes whose time is up, remind voters before the close, and let
results stand when their 公示 period has ended. Run by `tasks.votes_sweep` every minute.

Safe to run twice and side by side: each close is its own transaction behind the workflow
kit's claim (a vote another run closed first is skipped), a reminder is claimed by setting
`reminded_at` on a row that had none, and `vote_stand` locks the vote and checks again.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from linli.core.errors import Conflict
from linli.deliberation.models import Vote, VoteState
from linli.deliberation.notify_votes import vote_reminder_notify
from linli.deliberation.services.counting import vote_close, vote_stand

REMIND_BEFORE = timedelta(hours=24)


def _close_due(now) -> int:
    moved = 0
    due = Vote.objects.filter(state=VoteState.OPEN, closes_at__lte=now).order_by("closes_at")
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                vote = Vote.objects.get(pk=pk)
                if vote.state != VoteState.OPEN:
                    continue
                vote_close(vote, now)
        except Conflict:
            continue  # another run closed it first
        moved += 1
    return moved


def _remind(now) -> int:
    moved = 0
    soon = Vote.objects.filter(state=VoteState.OPEN, reminded_at__isnull=True,
                               closes_at__gt=now, closes_at__lte=now + REMIND_BEFORE)
    for pk in list(soon.values_list("pk", flat=True)):
        with transaction.atomic():
            if not Vote.objects.filter(pk=pk, reminded_at__isnull=True,
                                       state=VoteState.OPEN).update(reminded_at=now):
                continue  # another run sent it
            vote_reminder_notify(Vote.objects.select_related("area").get(pk=pk))
        moved += 1
    return moved


def _stand_due(now) -> int:
    moved = 0
    due = Vote.objects.filter(state=VoteState.PUBLICITY, publicity_ends_at__lte=now)
    for vote in list(due):
        try:
            if vote_stand(vote, now):
                moved += 1
        except Conflict:
            continue
    return moved


def votes_sweep(now=None) -> int:
    """Close, remind, let stand. Returns how many votes it moved (or reminded)."""
    now = now or timezone.now()
    return _close_due(now) + _remind(now) + _stand_due(now)
