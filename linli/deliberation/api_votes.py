"""The votes API (mounted under /api/deliberation): drafts, the electorate preview, opening
and cancelling, online ballots, paper ballots recorded by staff, and who took part.

Parse, call a selector or a service, serialize. A vote named in the path is loaded through
`selectors_votes.vote_get`, so one out of scope (or a draft a resident may not see) is a 404
before any service runs; the service then decides whether the caller may act (403).
"""

from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied
from linli.core.listing import unknown_value
from linli.deliberation import selectors_votes as sel
from linli.deliberation import services
from linli.deliberation.models import Vote, VoteState
from linli.deliberation.schemas_votes import (
    BallotChangeIn,
    BallotIn,
    BallotReceiptOut,
    ElectorOut,
    PaperBallotIn,
    ParticipantOut,
    PreviewOut,
    VoteActionIn,
    VoteCreateIn,
    VoteDetailOut,
    VoteOut,
    VotePatchIn,
)
from linli.deliberation.workflow import VOTES

router = Router(tags=["deliberation"])
REFS = ("area_id", "topic_id", "meeting_id", "body_id", "convention_version_id")


def _vote(request, vote_id: int) -> Vote:
    return sel.vote_get(actor=request.user, vote_id=vote_id)


def vote_detail(actor, vote: Vote) -> dict[str, Any]:
    mine = sel.my_participation(actor, vote)
    preview = sel.electorate_preview(vote) if vote.state == VoteState.DRAFT else None
    return {
        **{f: getattr(vote, f) for f in (
            "id", "area_id", "question", "state", "version", "electorate", "multiple",
            "max_choices", "secret", "changeable", "topic_id", "closes_at", "opened_at",
            "closed_at", "description", "meeting_id", "body_id", "matter", "quorum",
            "threshold", "custom_share", "custom_base", "publicity_days",
            "electorate_count", "electorate_area")},
        "area_name": vote.area.name, "convention_version_id": vote.convention_id,
        "turnout": None if vote.state == VoteState.DRAFT else sel.turnout(vote),
        "options": list(vote.options.all()),
        "rule_words": sel.vote_rule_words(vote, preview.count if preview else None,
                                          preview.area if preview else None),
        "allowed_actions": VOTES.actions_for(actor, vote),
        "me": {"in_electorate": mine.in_electorate, "voted": mine.voted,
               "channel": mine.channel, "at": mine.at},
    }


def _fields(request, payload, *, exclude=()) -> dict[str, Any]:
    given = payload.dict(exclude_unset=True, exclude=set(exclude))
    refs = {k: given.pop(k) for k in list(given) if k in REFS}
    fields = {k: v for k, v in given.items() if v is not None or k in (
        "description", "quorum", "custom_share")}
    for text in ("description", "quorum", "custom_share"):
        if text in fields and fields[text] is None:
            fields[text] = ""
    return fields | sel.resolve_refs(request.user, refs)


@router.get("/votes", response=list[VoteOut])
@paginate(Pages, page_size=20)
def vote_list(request, state: Annotated[list[str] | None, Query()] = None,
              topic_id: Id | None = None):
    """Votes the caller sees, newest first: drafts only to staff of their place. `state`
    (draft, open, publicity, stands, void, cancelled) repeats or takes a comma list; an
    unknown state is 400."""
    words = [w.strip() for value in state or [] for w in value.split(",") if w.strip()]
    if set(words) - set(VoteState.values):
        raise unknown_value("state")
    return sel.vote_list(actor=request.user, state=words or None, topic_id=topic_id)


@router.post("/votes", response={201: VoteDetailOut})
def vote_new(request, payload: VoteCreateIn):
    """Create a draft vote (a dispatcher or leader of the place; 403 otherwise). Every
    field is checked: 400 with a `code` (bad_question, bad_topic, body_required,
    bad_choices, bad_max_choices, bad_share, bad_threshold, bad_closes_at,
    bad_publicity_days, bad_convention …)."""
    fields = _fields(request, payload)
    vote = services.vote_create(actor=request.user, **fields)
    return Status(201, vote_detail(request.user, _vote(request, vote.pk)))


@router.get("/votes/{vote_id}", response=VoteDetailOut)
def vote_get(request, vote_id: Id):
    """The vote: options, the rule in words, turnout so far (never choices before the
    close), the moves the caller may take and whether they (or their household) voted."""
    return vote_detail(request.user, _vote(request, vote_id))


@router.patch("/votes/{vote_id}", response=VoteDetailOut)
def vote_patch(request, vote_id: Id, payload: VotePatchIn):
    """Change a draft (organisers of the place): only the fields sent, the whole draft
    checked again. Not a draft: 400 `not_draft`; an older `expected_version`: 409."""
    vote = _vote(request, vote_id)
    fields = _fields(request, payload, exclude=("expected_version",))
    services.vote_update(actor=request.user, vote=vote,
                         expected_version=payload.expected_version, **fields)
    return vote_detail(request.user, _vote(request, vote_id))


@router.get("/votes/{vote_id}/electorate-preview", response=PreviewOut)
def vote_preview(request, vote_id: Id):
    """The electorate as it would be frozen now (staff of the place): its size, the floor
    area for owners, and the refusal if it cannot open (empty, floor areas missing)."""
    vote = _vote(request, vote_id)
    if not sel.is_staff(request.user, vote):
        raise PermissionDenied(_("Only staff of this place see the electorate."))
    preview = sel.electorate_preview(vote)
    refusal = ({"code": preview.refusal.code, "message": preview.refusal.message}
               if preview.refusal else None)
    return {"count": preview.count, "floor_area": preview.area, "refusal": refusal,
            "rule_words": sel.vote_rule_words(vote, preview.count, preview.area)}


@router.post("/votes/{vote_id}/actions/{action}", response=VoteDetailOut)
def vote_act(request, vote_id: Id, action: str, payload: VoteActionIn):
    """open (a draft: the electorate is frozen now; an empty one is 400
    `empty_electorate`) or cancel (a draft or an open vote, with a `note`). Organisers of
    the place only (403); an older `expected_version`: 409 `stale`."""
    vote = _vote(request, vote_id)
    services.vote_transition(actor=request.user, vote=vote, action=action, note=payload.note,
                             expected_version=payload.expected_version)
    return vote_detail(request.user, _vote(request, vote_id))


@router.post("/votes/{vote_id}/ballot", response={201: BallotReceiptOut})
def ballot_post(request, vote_id: Id, payload: BallotIn):
    """Cast your ballot (option ids). Returns the receipt, shown once. Not in the
    electorate: 403; closed or not open: 400; already voted (you or your household): 409
    `already_voted`; an option not offered: 400 `bad_option`."""
    vote = _vote(request, vote_id)
    ballot = services.ballot_cast(actor=request.user, vote=vote, choices=payload.choices)
    return Status(201, {"receipt": ballot.receipt, "message": sel.receipt_message(vote)})


@router.put("/votes/{vote_id}/ballot", response=BallotReceiptOut)
def ballot_put(request, vote_id: Id, payload: BallotChangeIn):
    """Change your online ballot until the close, when the vote allows it (400
    `not_changeable` otherwise). A secret ballot is found by its `receipt` (404 if none
    matches)."""
    vote = _vote(request, vote_id)
    ballot = services.ballot_change(actor=request.user, vote=vote, choices=payload.choices,
                                    receipt=payload.receipt)
    return {"receipt": ballot.receipt, "message": sel.receipt_message(vote)}


def _staff(request, vote: Vote) -> None:
    if not sel.is_staff(request.user, vote):
        raise PermissionDenied(_("Only staff of this place see the electors."))


@router.get("/votes/{vote_id}/electors", response=list[ElectorOut])
@paginate(Pages, page_size=50)
def elector_list(request, vote_id: Id, search: Annotated[str, Query(max_length=60)] = ""):
    """The frozen electorate (staff of the place), by label, with whether each took part
    (channel and time, never the choice). `search` looks in the label."""
    vote = _vote(request, vote_id)
    _staff(request, vote)
    rows = []
    for e in sel.electors_search(vote=vote, search=search):
        done = getattr(e, "participation", None)
        rows.append({"id": e.pk, "label": e.label, "voted": done is not None,
                     "channel": done.channel if done else "", "at": done.at if done else None})
    return rows


@router.post("/votes/{vote_id}/electors/{elector_id}/paper-ballot",
             response={201: BallotReceiptOut})
def paper_ballot(request, vote_id: Id, elector_id: Id, payload: PaperBallotIn):
    """Record a paper ballot for an elector (staff of the place): `channel` paper (at a
    meeting) or door (door to door). Returns the receipt to hand over. An elector who
    already voted, online or on paper: 409 `already_voted` with how and when."""
    vote = _vote(request, vote_id)
    elector = sel.elector_get(vote=vote, elector_id=elector_id)
    ballot = services.ballot_record_paper(actor=request.user, vote=vote, elector=elector,
                                          choices=payload.choices, channel=payload.channel)
    return Status(201, {"receipt": ballot.receipt, "message": sel.receipt_message(vote)})


@router.get("/votes/{vote_id}/participants", response=list[ParticipantOut])
@paginate(Pages, page_size=100)
def participant_list(request, vote_id: Id):
    """Who took part (label, channel, time; never a choice): to staff of the place while
    the vote is open, to everyone who sees the vote after the close (403 before)."""
    vote = _vote(request, vote_id)
    if not sel.may_see_participants(request.user, vote):
        raise PermissionDenied(_("Who took part is published after the close."))
    return [{"label": sel.label_for(request.user, vote, p.elector.label),
             "channel": p.channel, "at": p.at} for p in sel.participants(vote)]
