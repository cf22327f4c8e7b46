"""Casting ballots: online by the voter, on paper recorded by staff, changed until the close
when the vote allows it.

One elector takes part once: `Participation.elector` is unique, so of two ballots for one
household (two members online at once, or a paper ballot for a household that voted online)
the database refuses the second. A cast holds a shared lock on the vote row (PostgreSQL) so
that the close, which takes the row for update, counts only after every cast in flight has
committed, and no cast lands after the count: the tally is exact.
"""

import secrets

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.deliberation import permissions
from linli.deliberation.electorate import elector_for
from linli.deliberation.models import Ballot, Channel, Elector, Participation, Vote, VoteState

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud on a phone


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))


def _hold(vote: Vote) -> Vote:
    """Reload the vote under a shared lock (PostgreSQL): casts run side by side, the close
    waits for them. SQLite runs one writer at a time, which is as good."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM deliberation_vote WHERE id = %s FOR SHARE", [vote.pk])
    return Vote.objects.get(pk=vote.pk)


def _check_open(vote: Vote, now) -> None:
    if vote.state != VoteState.OPEN:
        raise ValidationFailed(_("This vote is not open: it is %(state)s.")
                               % {"state": vote.get_state_display()}, code="vote_not_open")
    if now >= vote.closes_at:
        raise ValidationFailed(_("This vote closed at %(at)s: no more ballots.")
                               % {"at": timezone.localtime(vote.closes_at)
                                  .strftime("%Y-%m-%d %H:%M")}, code="vote_closed")


def clean_choices(vote: Vote, choices) -> list[int]:
    """The chosen option ids, each offered by this vote, none twice, as many as allowed."""
    try:
        chosen = [int(c) for c in choices or ()]
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose among the options offered."),
                               code="bad_option") from None
    offered = set(vote.options.values_list("pk", flat=True))
    if not chosen:
        raise ValidationFailed(_("Choose an option."), code="no_choice")
    if len(set(chosen)) != len(chosen) or not set(chosen) <= offered:
        raise ValidationFailed(_("Choose among the options offered, each once."),
                               code="bad_option")
    most = vote.max_choices if vote.multiple else 1
    if len(chosen) > most:
        raise ValidationFailed(_("Choose at most %(n)d.") % {"n": most}, code="too_many")
    return sorted(chosen)


def _already(elector: Elector) -> Conflict:
    done = Participation.objects.filter(elector=elector).first()
    when = timezone.localtime(done.at).strftime("%Y-%m-%d %H:%M") if done else ""
    how = done.get_channel_display() if done else ""
    return Conflict(_("%(who)s has already voted (%(how)s, %(when)s): one ballot each.")
                    % {"who": elector.label, "how": how, "when": when}, code="already_voted")


def _insert(vote: Vote, elector: Elector, choices: list[int], channel: str, *, cast_by,
            recorded_by, now) -> Ballot:
    try:
        with transaction.atomic():
            Participation.objects.create(vote=vote, elector=elector, channel=channel,
                                         cast_by=cast_by, recorded_by=recorded_by, at=now)
            return Ballot.objects.create(
                vote=vote, elector=None if vote.secret else elector, choices=choices,
                weight=elector.weight, channel=channel, receipt=new_receipt())
    except IntegrityError:
        raise _already(elector) from None


@transaction.atomic
def ballot_cast(*, actor, vote: Vote, choices, now=None) -> Ballot:
    """An online ballot by the voter. Returns the ballot: its receipt is shown once."""
    now = now or timezone.now()
    vote = _hold(vote)
    _check_open(vote, now)
    elector = elector_for(vote, actor)
    if elector is None:
        raise PermissionDenied(_("You are not in this vote's electorate (%(who)s, frozen when "
                                 "it opened).") % {"who": vote.get_electorate_display()})
    chosen = clean_choices(vote, choices)
    ballot = _insert(vote, elector, chosen, Channel.ONLINE, cast_by=actor, recorded_by=None,
                     now=now)
    # The audit says that someone voted, never how.
    audit_record(actor=actor, action="vote.ballot_cast", obj=vote,
                 changes={"channel": Channel.ONLINE}, area_path=vote.area_path)
    return ballot


@transaction.atomic
def ballot_record_paper(*, actor, vote: Vote, elector: Elector, choices,
                        channel: str = Channel.PAPER, now=None) -> Ballot:
    """A paper ballot (at a meeting or door to door), entered by staff of the place."""
    now = now or timezone.now()
    if not permissions.is_staff(actor, vote.area):
        raise PermissionDenied(_("Only staff of this place record paper ballots."))
    if channel not in (Channel.PAPER, Channel.DOOR):
        raise ValidationFailed(_("A paper ballot is cast at a meeting or door to door."),
                               code="bad_channel")
    vote = _hold(vote)
    _check_open(vote, now)
    if elector.vote_id != vote.pk:
        raise ValidationFailed(_("That voter is not in this vote's electorate."),
                               code="not_in_electorate")
    chosen = clean_choices(vote, choices)
    ballot = _insert(vote, elector, chosen, channel, cast_by=None, recorded_by=actor, now=now)
    audit_record(actor=actor, action="vote.paper_recorded", obj=vote,
                 changes={"channel": channel, "elector": elector.label},
                 area_path=vote.area_path)
    return ballot


@transaction.atomic
def ballot_change(*, actor, vote: Vote, choices, receipt: str = "", now=None) -> Ballot:
    """Change an online ballot until the close, when the vote allows it. An open ballot is
    found by its elector; a secret one only by the receipt its voter holds."""
    now = now or timezone.now()
    vote = _hold(vote)
    _check_open(vote, now)
    if not vote.changeable:
        raise ValidationFailed(_("Ballots of this vote cannot be changed once cast."),
                               code="not_changeable")
    elector = elector_for(vote, actor)
    done = getattr(elector, "participation", None) if elector else None
    if done is None:
        raise NotFound(_("You have not voted in this vote."))
    if done.channel != Channel.ONLINE:
        raise ValidationFailed(_("A paper ballot cannot be changed online."),
                               code="paper_final")
    ballots = Ballot.objects.select_for_update().filter(vote=vote, channel=Channel.ONLINE)
    ballot = (ballots.filter(receipt=receipt.strip().upper()).first() if vote.secret
              else ballots.filter(elector=elector).first())
    if ballot is None:
        raise NotFound(_("No ballot has that receipt in this vote."))
    ballot.choices = clean_choices(vote, choices)
    ballot.save(update_fields=["choices"])
    audit_record(actor=actor, action="vote.ballot_changed", obj=vote, changes={},
                 area_path=vote.area_path)
    return ballot


def receipt_find(*, vote: Vote, receipt: str) -> Ballot | None:
    """The ballot with this receipt in this vote (the voter checks it is in the count)."""
    return Ballot.objects.filter(vote=vote, receipt=(receipt or "").strip().upper()).first()
