"""The results API (mounted under /api/deliberation): a vote's result and published count
after the close, receipts, and objections during the 公示 period.

Parse, call a selector or a service, serialize. A vote or objection named in the path is
loaded through the selectors, so one out of scope is a 404 before any service runs.
"""

from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import ValidationFailed
from linli.deliberation import selectors_results as results
from linli.deliberation import services
from linli.deliberation.models import Objection, Vote
from linli.deliberation.schemas_results import (
    BallotOut,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    ReceiptCheckOut,
    ResultOut,
)
from linli.deliberation.selectors import vote_get

router = Router(tags=["deliberation"])


def not_closed(vote: Vote) -> ValidationFailed:
    if vote.state == "cancelled":
        return ValidationFailed(_("This vote was cancelled: it has no result."),
                                code="not_closed")
    return ValidationFailed(
        _("The result is hidden until the close at %(at)s.")
        % {"at": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")}, code="not_closed")


def _published(request, vote_id: int) -> Vote:
    vote = vote_get(actor=request.user, vote_id=vote_id)
    if not results.result_published(vote):
        raise not_closed(vote)
    return vote


def receipt_words(status: str) -> str:
    return {"recorded": _("Your ballot is recorded and will be counted at the close."),
            "counted": _("Your ballot was counted."),
            "unknown": _("No ballot of this vote has that receipt. Check the code: ten "
                         "letters and digits.")}[status]


@router.get("/votes/{vote_id}/result", response=ResultOut)
def vote_result(request, vote_id: Id):
    """The count after the close: per option (with floor area for owners), participation,
    the rule and each measure in words, quorum and outcome, the 公示 period and the state.
    Before the close (for everyone, staff included): 400 `not_closed`, no counts."""
    vote = _published(request, vote_id)
    r = vote.result
    return {"vote_id": vote.pk, "question": vote.question, "state": vote.state,
            "secret": vote.secret, "electorate": r["electorate"],
            "electorate_area": r["electorate_area"], "participants": r["participants"],
            "participant_area": r["participant_area"], "options": r["options"],
            "rule": r["rule"], "lines": results.result_lines(vote),
            "quorum_met": r["quorum_met"], "carried": r["carried"], "passed": r["passed"],
            "closed_at": vote.closed_at, "publicity_ends_at": vote.publicity_ends_at,
            "stood_at": vote.stood_at, "ended_at": vote.ended_at,
            "objections_open": results.open_objections(vote)}


@router.get("/votes/{vote_id}/ballots", response=list[BallotOut])
@paginate(Pages, page_size=100)
def vote_ballots(request, vote_id: Id):
    """The published count: every ballot by receipt, with its choices and weight, so each
    voter finds theirs and anyone can recount. A secret ballot names nobody; an open one
    gives its elector's published label. Before the close: 400 `not_closed`."""
    vote = _published(request, vote_id)
    labels = results.option_labels(vote)
    return [{"receipt": b.receipt, "choices": b.choices,
             "choice_labels": [labels.get(c, "?") for c in b.choices], "weight": b.weight,
             "voter": b.elector.label if b.elector_id and not vote.secret else None}
            for b in results.ballots_published(vote)]


@router.get("/votes/{vote_id}/receipt", response=ReceiptCheckOut)
def vote_receipt(request, vote_id: Id, code: Annotated[str, Query(max_length=32)] = ""):
    """Check a receipt (case-insensitive): `recorded` before the close (no choice shown),
    `counted` with the choices after it, `unknown` for a code of no ballot of this vote.
    No code, or one longer than 16 characters: 400 `bad_receipt`."""
    vote = vote_get(actor=request.user, vote_id=vote_id)
    code = results.clean_receipt(code)
    if not code or len(code) > results.RECEIPT_MAX:
        raise ValidationFailed(_("Enter the receipt code you were given: ten letters and "
                                 "digits."), code="bad_receipt")
    check = results.receipt_check(vote, code)
    return {"status": check.status, "message": receipt_words(check.status),
            "choices": check.choices, "weight": check.weight}


def _out(request, o: Objection) -> dict:
    return {"id": o.pk, "vote_id": o.vote_id, "text": o.text, "at": o.at, "state": o.state,
            "answer": o.answer, "answered_at": o.answered_at,
            "mine": o.raised_by_id == request.user.pk}


@router.get("/votes/{vote_id}/objections", response=list[ObjectionOut])
@paginate(Pages, page_size=50)
def objection_list(request, vote_id: Id):
    """The objections to the vote's result, oldest first, with their answers. Objections
    name nobody (`mine` tells the caller which are theirs)."""
    vote = vote_get(actor=request.user, vote_id=vote_id)
    return [_out(request, o) for o in results.objections_of(vote)]


@router.post("/votes/{vote_id}/objections", response={201: ObjectionOut})
def objection_raise(request, vote_id: Id, payload: ObjectionIn):
    """Object to the result during its 公示 period: a resident of the place or an elector
    (else 403). Outside the period: 400 `publicity_ended` or `not_in_publicity`; empty:
    400 `text_required`."""
    vote = vote_get(actor=request.user, vote_id=vote_id)
    made = services.objection_raise(actor=request.user, vote=vote, text=payload.text)
    return Status(201, _out(request, made))


@router.post("/votes/{vote_id}/objections/{objection_id}/answer", response=ObjectionOut)
def objection_answer(request, vote_id: Id, objection_id: Id, payload: ObjectionAnswerIn):
    """An organiser (dispatcher or leader of the place; else 403) answers an open objection:
    `uphold` true voids the result and puts its topic back on the agenda; false dismisses
    it (the result stands at once if the period has ended and nothing else is open).
    Answered already: 400 `already_answered`; empty answer: 400 `text_required`."""
    objection = results.objection_get(actor=request.user, vote_id=vote_id,
                                      objection_id=objection_id)
    done = services.objection_answer(actor=request.user, objection=objection,
                                     uphold=payload.uphold, answer=payload.answer)
    return _out(request, done)
