"""The votes pages: the list, a new or changed draft, one vote (the ballot, the receipt
shown once, the organiser's controls), paper ballots and who took part. `urlpatterns` is
gathered by urls.py; the names `votes`, `vote_new` and `vote` are what other parts link to.

A refused form shows its page again with the reason and the status the API would answer,
the person's input kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from linli.core.refusals import render_refused
from linli.deliberation import selectors_votes as sel
from linli.deliberation import services
from linli.deliberation.forms_votes import ActionForm, PaperForm, VoteForm, initial_from
from linli.deliberation.models import Channel, Electorate, Threshold, Vote, VoteState
from linli.deliberation.services.votes import PAGE_ACTIONS
from linli.deliberation.workflow import VOTES

PAGE_SIZE = 20
ACTION_LABELS = {"open": gettext_lazy("Open the vote"),
                 "cancel": gettext_lazy("Cancel the vote")}


def _first_invalid(form) -> ValidationFailed:
    name, errors = next(iter(form.errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return ValidationFailed(f"{label}: {errors[0]}" if label else str(errors[0]),
                            code="invalid")


# --- the list ----------------------------------------------------------------------------

@login_required
@require_GET
def vote_list(request):
    state = request.GET.get("state", "")
    states = [state] if state in VoteState.values else None
    votes = sel.vote_list(actor=request.user, state=states)
    page = Paginator(votes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deliberation/votes/list.html", {
        "page": page, "state": state, "states": VoteState.choices,
        "may_create": sel.area_choices(request.user).exists()})


# --- drafts ------------------------------------------------------------------------------

def _form_context(request, form, vote: Vote | None, error=None) -> dict[str, Any]:
    user = request.user
    version_id = form["convention_version"].value()
    version = None
    if version_id:
        try:
            version = sel.resolve_refs(user, {"convention_version_id": int(version_id)})[
                "convention_version"]
        except (ApplicationError, ValueError):
            version = None
    return {"form": form, "vote": vote, "error": error, "version": version,
            "areas": sel.area_choices(user), "topics": sel.topic_choices(user),
            "bodies": sel.body_choices(user), "meetings": sel.meeting_choices(user),
            "electorates": Electorate.choices, "thresholds": Threshold.choices}


def _render_form(request, form, vote: Vote | None, error: ApplicationError | None = None):
    return render(request, "deliberation/votes/form.html",
                  _form_context(request, form, vote, error),
                  status=error.status if error else 200)


def _save(request, form, vote: Vote | None):
    if not form.is_valid():
        raise _first_invalid(form)
    plain, ids = form.fields_for_service()
    refs = sel.resolve_refs(request.user, ids)
    if vote is None:
        return services.vote_create(actor=request.user, **plain, **refs)
    return services.vote_update(actor=request.user, vote=vote,
                                expected_version=_int(request.POST.get("version")),
                                **plain, **refs)


def _int(text) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def vote_new(request):
    if not sel.area_choices(request.user).exists():
        raise Http404
    if request.method == "POST":
        form = VoteForm(request.POST)
        try:
            vote = _save(request, form, None)
        except ApplicationError as error:
            return _render_form(request, form, None, error)
        messages.success(request, _("Draft saved: check the electorate, then open it."))
        return redirect("deliberation:vote", vote.pk)
    areas = sel.area_choices(request.user)
    initial: dict[str, Any] = {"kind": "yes_no", "secret": True,
                               "electorate": Electorate.HOUSEHOLDS,
                               "threshold": Threshold.MAJORITY_CAST}
    version_id = _int(request.GET.get("version"))
    if version_id:
        refs = sel.resolve_refs(request.user, {"convention_version_id": version_id})
        version = refs["convention_version"]
        initial |= {"convention_version": version.pk,
                    "question": _("Adopt “%(title)s” (version %(n)d)?") % {
                        "title": version.convention.title, "n": version.number}}
        area = areas.filter(pk=version.convention.area_id).first()
        if area is not None:
            initial["area"] = area.pk
    topic_id = _int(request.GET.get("topic"))
    if topic_id:
        topic = sel.resolve_refs(request.user, {"topic_id": topic_id})["topic"]
        initial |= {"topic": topic.pk, "question": topic.title}
        if areas.filter(pk=topic.area_id).exists():
            initial["area"] = topic.area_id
    return _render_form(request, VoteForm(initial=initial), None)


def _draft(request, vote_id: int) -> Vote:
    vote = sel.vote_get(actor=request.user, vote_id=vote_id)
    if not sel.is_organiser(request.user, vote):
        raise Http404
    return vote


@login_required
@require_http_methods(["GET", "POST"])
def vote_edit(request, vote_id: int):
    vote = _draft(request, vote_id)
    if request.method == "POST":
        form = VoteForm(request.POST)
        try:
            _save(request, form, vote)
        except ApplicationError as error:
            return _render_form(request, form, vote, error)
        messages.success(request, _("Draft saved."))
        return redirect("deliberation:vote", vote.pk)
    if vote.state != VoteState.DRAFT:
        return redirect("deliberation:vote", vote.pk)
    return _render_form(request, VoteForm(initial=initial_from(services.vote_fields(vote))),
                        vote)


# --- one vote ----------------------------------------------------------------------------

def _detail_context(request, vote: Vote) -> dict[str, Any]:
    user = request.user
    preview = None
    if vote.state == VoteState.DRAFT and sel.is_staff(user, vote):
        preview = sel.electorate_preview(vote)
    mine = sel.my_participation(user, vote)
    actions = [a for a in VOTES.actions_for(user, vote) if a in PAGE_ACTIONS]
    return {
        "vote": vote, "options": list(vote.options.all()), "mine": mine,
        "rule_words": sel.vote_rule_words(vote, preview.count if preview else None,
                                          preview.area if preview else None),
        "preview": preview, "turnout": sel.turnout(vote),
        "is_staff": sel.is_staff(user, vote), "is_organiser": sel.is_organiser(user, vote),
        "actions": [(a, ACTION_LABELS[a]) for a in actions],
        "may_vote": vote.state == VoteState.OPEN and mine.in_electorate and not mine.voted,
        "may_change": (vote.state == VoteState.OPEN and vote.changeable and mine.voted
                       and mine.channel == Channel.ONLINE and mine.by_me),
        "closed": vote.state in sel.CLOSED,
        "may_see_participants": sel.may_see_participants(user, vote),
        "input_type": "checkbox" if vote.multiple else "radio",
    }


def render_detail(request, vote: Vote, error: ApplicationError | None = None,
                  posted_action: str = ""):
    context = _detail_context(request, vote)
    if error is not None:
        context |= {"error": error, "posted": request.POST, "posted_action": posted_action,
                    "chosen": request.POST.getlist("choice")}
    return render(request, "deliberation/votes/detail.html", context,
                  status=error.status if error else 200)


@login_required
@require_GET
def vote_detail(request, vote_id: int):
    return render_detail(request, sel.vote_get(actor=request.user, vote_id=vote_id))


@login_required
@require_POST
def vote_act(request, vote_id: int, action: str):
    vote = sel.vote_get(actor=request.user, vote_id=vote_id)
    if action not in PAGE_ACTIONS:
        raise Http404
    form = ActionForm(request.POST)
    try:
        if not form.is_valid():
            raise _first_invalid(form)
        services.vote_transition(actor=request.user, vote=vote, action=action,
                                 note=form.cleaned_data["note"],
                                 expected_version=form.cleaned_data["version"])
    except ApplicationError as error:
        return render_detail(request, vote, error, posted_action=action)
    messages.success(request, _("The vote is open.") if action == "open"
                     else _("The vote is cancelled."))
    return redirect("deliberation:vote", vote.pk)


def _receipt(request, vote: Vote, receipt: str, changed: bool = False):
    return render(request, "deliberation/votes/receipt.html", {
        "vote": vote, "receipt": receipt, "message": sel.receipt_message(vote),
        "changed": changed}, status=200 if changed else 201)


@login_required
@require_POST
def vote_ballot(request, vote_id: int):
    vote = sel.vote_get(actor=request.user, vote_id=vote_id)
    try:
        ballot = services.ballot_cast(actor=request.user, vote=vote,
                                      choices=request.POST.getlist("choice"))
    except ApplicationError as error:
        return render_detail(request, vote, error, posted_action="ballot")
    return _receipt(request, vote, ballot.receipt)


@login_required
@require_POST
def vote_ballot_change(request, vote_id: int):
    vote = sel.vote_get(actor=request.user, vote_id=vote_id)
    try:
        ballot = services.ballot_change(actor=request.user, vote=vote,
                                        choices=request.POST.getlist("choice"),
                                        receipt=request.POST.get("receipt", "")[:16])
    except ApplicationError as error:
        return render_detail(request, vote, error, posted_action="change")
    return _receipt(request, vote, ballot.receipt, changed=True)


# --- paper ballots -----------------------------------------------------------------------

def _staff_vote(request, vote_id: int) -> Vote:
    vote = sel.vote_get(actor=request.user, vote_id=vote_id)
    if not sel.is_staff(request.user, vote):
        raise Http404
    return vote


def _paper_context(request, vote: Vote, search: str) -> dict[str, Any]:
    electors = sel.electors_search(vote=vote, search=search)
    page = Paginator(electors, 30).get_page(request.GET.get("page"))
    return {"vote": vote, "search": search, "page": page,
            "options": list(vote.options.all()),
            "input_type": "checkbox" if vote.multiple else "radio",
            "channels": [(Channel.DOOR, Channel.DOOR.label),
                         (Channel.PAPER, Channel.PAPER.label)],
            "turnout": sel.turnout(vote)}


@login_required
@require_http_methods(["GET", "POST"])
def vote_paper(request, vote_id: int):
    vote = _staff_vote(request, vote_id)
    search = (request.GET.get("search") or request.POST.get("search") or "").strip()[:60]
    if request.method == "GET":
        return render(request, "deliberation/votes/paper.html",
                      _paper_context(request, vote, search))
    form = PaperForm(request.POST)
    try:
        if not form.is_valid():
            raise _first_invalid(form)
        elector = vote.electors.filter(pk=form.cleaned_data["elector"]).first()
        if elector is None:
            raise ValidationFailed(_("Choose a voter of this vote's electorate."),
                                   code="not_in_electorate")
        ballot = services.ballot_record_paper(
            actor=request.user, vote=vote, elector=elector,
            choices=request.POST.getlist("choice"), channel=form.cleaned_data["channel"])
    except ApplicationError as error:
        context = _paper_context(request, vote, search) | {
            "error": error, "posted": request.POST,
            "chosen": request.POST.getlist("choice")}
        return render(request, "deliberation/votes/paper.html", context, status=error.status)
    context = _paper_context(request, vote, search) | {
        "receipt": ballot.receipt, "recorded_for": elector.label}
    return render(request, "deliberation/votes/paper.html", context, status=201)


# --- who took part -----------------------------------------------------------------------

@login_required
@require_GET
def vote_participants(request, vote_id: int):
    vote = sel.vote_get(actor=request.user, vote_id=vote_id)
    if not sel.may_see_participants(request.user, vote):
        error = PermissionDenied(_("Who took part is published after the close."))
        return render_refused(request, error, reverse("deliberation:vote", args=[vote.pk]))
    rows = [(sel.label_for(request.user, vote, p.elector.label), p)
            for p in sel.participants(vote)]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "deliberation/votes/participants.html", {
        "vote": vote, "page": page, "count": len(rows)})


urlpatterns: list = [
    path("votes/", vote_list, name="votes"),
    path("votes/new/", vote_new, name="vote_new"),
    path("votes/<int:vote_id>/", vote_detail, name="vote"),
    path("votes/<int:vote_id>/edit/", vote_edit, name="vote_edit"),
    path("votes/<int:vote_id>/act/<str:action>/", vote_act, name="vote_act"),
    path("votes/<int:vote_id>/ballot/", vote_ballot, name="vote_ballot"),
    path("votes/<int:vote_id>/ballot/change/", vote_ballot_change, name="vote_ballot_change"),
    path("votes/<int:vote_id>/paper/", vote_paper, name="vote_paper"),
    path("votes/<int:vote_id>/participants/", vote_participants, name="vote_participants"),
]
