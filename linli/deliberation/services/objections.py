"""Objections during the 公示 period: raised by a resident of the place (or an elector) while
the result is in publicity, answered by an organiser. Upheld, the result is void and the
topic goes back on the agenda; dismissed, the result stands as soon as the period has
ended and no other objection is open (not only at the next sweep)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.tasks import enqueue
from linli.core.workflow import system_move
from linli.deliberation import permissions
from linli.deliberation.electorate import elector_for
from linli.deliberation.models import (
    MAX_COMMENT,
    Objection,
    ObjectionState,
    TopicState,
    Vote,
    VoteState,
)
from linli.deliberation.services.counting import vote_stand
from linli.deliberation.workflow import VOTES

MAX_OBJECTION = MAX_COMMENT * 2


def _text(value: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(missing, code="text_required")
    if len(text) > MAX_OBJECTION:
        raise ValidationFailed(_("Write at most %(n)d characters.") % {"n": MAX_OBJECTION},
                               code="text_too_long")
    return text


def may_object(actor, vote: Vote) -> bool:
    """A resident of the vote's place, or one of its electors."""
    return permissions.lives_in(actor, vote.area) or elector_for(vote, actor) is not None


def objection_window(vote: Vote, now) -> bool:
    return (vote.state == VoteState.PUBLICITY and vote.publicity_ends_at is not None
            and now < vote.publicity_ends_at)


@transaction.atomic
def objection_raise(*, actor, vote: Vote, text: str, now=None) -> Objection:
    """An objection to the result, during its 公示 period."""
    now = now or timezone.now()
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if not may_object(actor, vote):
        raise PermissionDenied(_("Only residents of this place and the vote's electors may "
                                 "object to its result."))
    if not objection_window(vote, now):
        if vote.state == VoteState.PUBLICITY:
            raise ValidationFailed(_("The 公示 period of this result has ended: objections "
                                     "are no longer taken."), code="publicity_ended")
        raise ValidationFailed(_("Objections are taken only while a result is in its 公示 "
                                 "period; this vote is %(state)s.")
                               % {"state": vote.get_state_display()}, code="not_in_publicity")
    objection = Objection.objects.create(vote=vote, raised_by=actor,
                                         text=_text(text, _("Write your objection.")))
    audit_record(actor=actor, action="vote.objection_raised", obj=vote,
                 changes={"objection": objection.pk}, area_path=vote.area_path)
    enqueue("deliberation.objection_notify", objection.pk)  # the organisers, after commit
    return objection


@transaction.atomic
def objection_answer(*, actor, objection: Objection, uphold: bool, answer: str,
                     now=None) -> Objection:
    """An organiser's answer. Upheld: the vote is void and its topic back on the agenda.
    Dismissed: the result stands at once if the period has ended and nothing is open."""
    now = now or timezone.now()
    vote = Vote.objects.select_for_update().select_related("area").get(pk=objection.vote_id)
    if not permissions.is_organiser(actor, vote.area):
        raise PermissionDenied(_("Only the vote's organisers (dispatchers and leaders of "
                                 "the place) answer objections."))
    text = _text(answer, _("Write the answer."))
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.state != ObjectionState.OPEN:
        raise ValidationFailed(_("This objection has already been answered."),
                               code="already_answered")
    if vote.state != VoteState.PUBLICITY:
        raise ValidationFailed(_("This result is no longer in its 公示 period: it is "
                                 "%(state)s.") % {"state": vote.get_state_display()},
                               code="not_in_publicity")
    objection.state = ObjectionState.UPHELD if uphold else ObjectionState.DISMISSED
    objection.answer, objection.answered_by, objection.answered_at = text, actor, now
    objection.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    audit_record(actor=actor, action="vote.objection_answered", obj=vote,
                 changes={"objection": objection.pk, "state": objection.state},
                 area_path=vote.area_path)
    if uphold:
        VOTES.system_move(vote, "void", now, note=text[:2000],
                          data={"objection": objection.pk})
        vote.refresh_from_db()
        topic = vote.topic
        if topic is not None and topic.state == TopicState.VOTING:
            system_move(topic, "vote_ended", now, note=text[:2000], data={"vote": vote.pk})
    else:
        vote_stand(vote, now)
    return objection
