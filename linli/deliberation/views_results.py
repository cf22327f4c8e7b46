"""The results pages: a vote's result and published count (`vote_result`), the receipt
check (`receipt`), and the objections of the 公示 period (raised by residents, answered by
organisers). The URL names are the contract other parts link to; keep them.

Before the close the result page says only when the result will be published, to
everyone, staff included. A refused objection or answer shows the page again with the
reason and the status the API would answer, the person's text kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linli.core.errors import ApplicationError
from linli.deliberation import permissions, services
from linli.deliberation import selectors_results as results
from linli.deliberation.api_results import not_closed, receipt_words
from linli.deliberation.models import Vote
from linli.deliberation.selectors import vote_get
from linli.deliberation.services.objections import may_object, objection_window

BALLOTS_SHOWN = 500  # the page lists this many; the API pages through all of them


def _context(request, vote: Vote) -> dict[str, Any]:
    user, now = request.user, timezone.now()
    published = results.result_published(vote)
    context: dict[str, Any] = {
        "vote": vote, "published": published, "now": now,
        "objections": list(results.objections_of(vote)),
        "may_object": objection_window(vote, now) and may_object(user, vote),
        "may_answer": vote.state == "publicity" and permissions.is_organiser(user, vote.area),
        "hidden_reason": "" if published else not_closed(vote).message,
    }
    if published:
        r = vote.result
        labels = results.option_labels(vote)
        ballots = list(results.ballots_published(vote)[:BALLOTS_SHOWN])
        context |= {
            "r": r, "lines": results.result_lines(vote),
            "owners": bool(r.get("rule", {}).get("owners")),
            "ballots": [(b, [labels.get(c, "?") for c in b.choices]) for b in ballots],
            "ballot_total": vote.ballots.count(),
            "participants": results.participants(vote),
        }
    return context


def _render(request, vote: Vote, error: ApplicationError | None = None, **extra):
    context = _context(request, vote) | extra
    if error is not None:
        context["error"] = error
    return render(request, "deliberation/results/result.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def vote_result(request, vote_id: int):
    return _render(request, vote_get(actor=request.user, vote_id=vote_id))


@login_required
@require_GET
def receipt(request, vote_id: int):
    vote = vote_get(actor=request.user, vote_id=vote_id)
    code = results.clean_receipt(request.GET.get("code"))[:results.RECEIPT_MAX]
    check = results.receipt_check(vote, code) if code else None
    return render(request, "deliberation/results/receipt.html", {
        "vote": vote, "code": code, "check": check,
        "words": receipt_words(check.status) if check else ""})


@login_required
@require_POST
def objection_raise(request, vote_id: int):
    vote = vote_get(actor=request.user, vote_id=vote_id)
    text = request.POST.get("text", "")
    try:
        services.objection_raise(actor=request.user, vote=vote, text=text)
    except ApplicationError as error:
        return _render(request, vote, error, posted_text=text)
    messages.success(request, _("Your objection is recorded: the organisers will answer "
                                "it here."))
    return redirect(reverse("deliberation:vote_result", args=[vote.pk]) + "#objections")


@login_required
@require_POST
def objection_answer(request, vote_id: int, objection_id: int):
    objection = results.objection_get(actor=request.user, vote_id=vote_id,
                                      objection_id=objection_id)
    answer = request.POST.get("answer", "")
    uphold = request.POST.get("decision") == "uphold"
    try:
        services.objection_answer(actor=request.user, objection=objection, uphold=uphold,
                                  answer=answer)
    except ApplicationError as error:
        vote = vote_get(actor=request.user, vote_id=vote_id)
        return _render(request, vote, error, posted_answer=answer,
                       posted_objection=objection.pk)
    messages.success(request, _("Objection upheld: the result is void.") if uphold
                     else _("Objection dismissed."))
    return redirect(reverse("deliberation:vote_result", args=[vote_id]) + "#objections")


urlpatterns: list = [
    path("votes/<int:vote_id>/result/", vote_result, name="vote_result"),
    path("votes/<int:vote_id>/receipt/", receipt, name="receipt"),
    path("votes/<int:vote_id>/objections/", objection_raise, name="objection_raise"),
    path("votes/<int:vote_id>/objections/<int:objection_id>/answer/", objection_answer,
         name="objection_answer"),
]
