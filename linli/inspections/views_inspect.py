"""Inspection pages: the on-site form (375 px, a flaky connection), an inspection as
recorded, and a grid worker's list of what is left to inspect. `urlpatterns` is gathered by
urls.py.

The form is sent once whatever the network does: its one-time token (made when the page is
loaded) is the idempotency key, so a send repeated after a timeout, a double tap or back and
send again shows the first inspection instead of recording a second. Photos chosen on a
send that was refused wait in core/held.py, so the inspector does not take them again.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.errors import ApplicationError, ValidationFailed
from linli.core.held import HeldPhotos, too_many
from linli.core.images import MAX_FILES
from linli.inspections import permissions, selectors, services
from linli.inspections.forms_inspect import (
    InspectionForm,
    ItemForm,
    ItemRow,
    answers_of,
    inspection_input,
)
from linli.inspections.models import (
    Answer,
    Campaign,
    Inspection,
    Order,
    PhotoPhase,
    Result,
    Target,
)

# Chosen for a failed item and held while the form comes back refused (core/held.py).
INSPECT_PHOTOS = HeldPhotos("inspect-photos")
inspect_photo_held = INSPECT_PHOTOS.thumbnail_view()
MAX_LISTED = 200  # targets listed per campaign on "my inspections"


def _pair(actor, campaign_id: int, target_id: int) -> tuple[Campaign, Target]:
    """The campaign and one of its targets, both in the actor's view; else missing."""
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    target = selectors.target_get(actor=actor, target_id=target_id)
    if not selectors.campaign_targets(campaign).filter(pk=target.pk).exists():
        raise Http404(_("This target is not one of the campaign's targets."))
    return campaign, target


# --- the form ------------------------------------------------------------------------------

def _rows(request, campaign: Campaign, target: Target) -> list[ItemRow]:
    bound = request.method == "POST"
    return [ItemRow(ItemForm(request.POST if bound else None, request.FILES if bound else None,
                             item=item, target=target))
            for item in selectors.campaign_items(campaign)]


def _hold(request, row: ItemRow) -> list[str]:
    """Hold the item's photos (kept from before, less those ticked off, plus the new ones);
    the tokens the form named, for the photos' fingerprint."""
    user = request.user
    removed = request.POST.getlist(row.remove_name)
    INSPECT_PHOTOS.release(user, removed)
    named = [t for t in dict.fromkeys(request.POST.getlist(row.held_name)) if t not in removed]
    fresh, refused = INSPECT_PHOTOS.hold_uploads(user, request.FILES.getlist(row.form.photo_name))
    row.held = INSPECT_PHOTOS.valid(user, named) + fresh
    refused = refused or too_many(len(row.held))
    if refused is not None:
        row.form.add_error("photos", refused.message)
    return named


def _submit(request, campaign, target, form, rows, named) -> services.InspectionOutcome:
    user = request.user
    answers = answers_of(rows)
    by_item = {row.form.item.pk: (row, tokens) for row, tokens in zip(rows, named, strict=True)}
    for answer in answers:
        if answer.result != Result.FAIL:
            continue
        row, tokens = by_item[answer.item_id]
        answer.clean_photos = INSPECT_PHOTOS.images(user, row.held)
        # By content: a form sent again names photos its first send saved and released.
        answer.photo_keys = INSPECT_PHOTOS.digests(user, dict.fromkeys([*tokens, *row.held]))
    return services.inspection_submit(actor=user, campaign=campaign, target=target,
                                      data=inspection_input(form, answers),
                                      idempotency_key=form.cleaned_data["idem"])


def _done(request, outcome: services.InspectionOutcome, rows: list[ItemRow]):
    for row in rows:
        INSPECT_PHOTOS.release(request.user, row.held)
    if outcome.replayed:
        messages.info(request, _("This form was sent already: here is what was recorded."))
    else:
        messages.success(request, _("Inspection recorded."))
    return redirect("inspections:inspection_detail", outcome.inspection.pk)


def _sent_before(user, form: InspectionForm, exc: ApplicationError) -> Inspection | None:
    """The inspection this very form recorded, when it comes back changed: back after a
    timeout, a browser that does not put the photos back into the file inputs."""
    if exc.code != "idempotency_mismatch":
        return None
    return Inspection.objects.filter(inspector=user,
                                     submission_key=form.cleaned_data["idem"]).first()


def _resent(request, sent: Inspection, rows: list[ItemRow]):
    # The API answers 409 here; a person at the door is better served by what was
    # recorded, told plainly that the changes made since were not.
    for row in rows:
        INSPECT_PHOTOS.release(request.user, row.held)
    messages.warning(request, _("This form was sent already, with other answers: here is "
                                "what was recorded. Changes made after sending it were not "
                                "saved."))
    return redirect("inspections:inspection_detail", sent.pk)


def _already(request, done: Inspection):
    messages.warning(request, _("%(target)s was already inspected in this campaign.")
                     % {"target": done.target.name})
    return redirect("inspections:inspection_detail", done.pk)


@login_required
def inspect(request, campaign_id: int, target_id: int):
    campaign, target = _pair(request.user, campaign_id, target_id)
    done = Inspection.objects.filter(campaign=campaign, target=target).first()
    if done is not None and request.method != "POST":
        return _already(request, done)
    form = InspectionForm(request.POST or None, target=target)
    rows = _rows(request, campaign, target)
    error: ApplicationError | None = None
    if request.method == "POST":
        named = [_hold(request, row) for row in rows]
        # Every form checked (no short cut), so each shows its own marks.
        valid = [form.is_valid(), *(row.form.is_valid() for row in rows)]
        if all(valid):
            try:
                return _done(request, _submit(request, campaign, target, form, rows, named),
                             rows)
            except ApplicationError as exc:
                error = exc
                sent = _sent_before(request.user, form, exc)
                if sent is not None:
                    return _resent(request, sent, rows)
                if exc.code == "already_inspected" and done is not None:
                    return _already(request, done)
        else:
            error = ValidationFailed(_("Some fields are not right: see the marks below."),
                                     code="invalid")
    today = timezone.localdate()
    return render(request, "inspections/inspect/form.html", {
        "campaign": campaign, "target": target, "form": form, "rows": rows, "error": error,
        "running": selectors.campaign_is_running(campaign, today),
        "tomorrow": today + timedelta(days=1), "max_photos": MAX_FILES,
    }, status=error.status if error else 200)


# --- an inspection as recorded -----------------------------------------------------------

@dataclass
class AnswerShown:
    answer: Answer
    order: Order | None
    order_url: str = ""
    photos: list[tuple[str, str]] = field(default_factory=list)  # (full, thumbnail)


def _shown(answer: Answer, order: Order | None) -> AnswerShown:
    if order is None:
        return AnswerShown(answer, None)
    photos = [(reverse("inspections:photo", args=[p.pk]),
               reverse("inspections:photo_thumb", args=[p.pk])) for p in order.photos.all()
              if p.phase == PhotoPhase.FINDING]
    return AnswerShown(answer, order, reverse("inspections:order", args=[order.pk]), photos)


@login_required
def inspection_detail(request, inspection_id: int):
    inspection = selectors.inspection_get(actor=request.user, inspection_id=inspection_id)
    orders = {o.answer_id: o for o in inspection.orders.prefetch_related("photos")}
    answers = [_shown(a, orders.get(a.pk)) for a in inspection.answers.select_related("item")]
    return render(request, "inspections/inspect/detail.html", {
        "inspection": inspection, "answers": answers})


# --- what is left to inspect ----------------------------------------------------------------

def _left(actor, campaign: Campaign) -> list[Target]:
    done = Inspection.objects.filter(campaign=campaign).values("target_id")
    return list(selectors.campaign_targets(campaign).filter(selectors.placed_q(actor))
                .exclude(pk__in=done).select_related("area")[:MAX_LISTED])


@login_required
def my_inspections(request):
    """Running campaigns with the targets in the person's areas not yet inspected, and the
    inspections they recorded today. Only for inspectors: for anyone else it is missing."""
    user = request.user
    if not permissions.is_inspector(user, None):
        raise Http404
    today = timezone.localdate()
    running = selectors.campaigns_visible(user).filter(starts_on__lte=today, ends_on__gte=today)
    campaigns = [(c, _left(user, c)) for c in running.select_related("template")]
    start = timezone.make_aware(datetime.combine(today, time.min))
    done = (selectors.inspections_visible(user).filter(inspector=user, inspected_at__gte=start)
            .select_related("target", "campaign"))
    return render(request, "inspections/inspect/mine.html", {
        "campaigns": campaigns, "done": done, "max_listed": MAX_LISTED,
    })


urlpatterns: list[URLPattern] = [
    path("campaigns/<int:campaign_id>/targets/<int:target_id>/inspect/", inspect,
         name="inspect"),
    path("inspect/photos/<str:token>/", inspect_photo_held, name="inspect_photo_held"),
    path("inspections/<int:inspection_id>/", inspection_detail, name="inspection_detail"),
    path("mine/", my_inspections, name="my_inspections"),
]
