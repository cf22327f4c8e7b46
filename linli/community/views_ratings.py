"""The 最美楼栋 pages: the monthly ratings of a community's buildings by its score sheet.
`urlpatterns` is gathered by urls.py; the names `ratings` and `rating` are the contract
other parts link to.

- `ratings`: the ratings the person sees (residents: published ones of their community);
  staff keeping a community's rating open a month's here.
- `rating`: the ranking (buildings by total, the first three highlighted as 最美楼栋, each
  criterion's score and figure); staff keeping it score the manual criteria per building,
  recompute and publish.
- `ratings_sheet`: a community's score sheet for its staff, with the add and edit forms.

A refused form shows the page again with the reason and the status the API would answer,
what the person typed kept.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from linli.community import selectors_ratings, services
from linli.community.forms_ratings import (
    BuildingScoresForm,
    CriterionForm,
    RatingForm,
    first_invalid,
)
from linli.community.models import Criterion, Rating, RatingState, Source
from linli.community.permissions import manages
from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.models import Area

# --- the list --------------------------------------------------------------------------------


def _render_list(request, error: ApplicationError | None = None):
    user = request.user
    return render(request, "community/ratings/list.html", {
        "ratings": selectors_ratings.rating_list(actor=user)[:60],
        "communities": selectors_ratings.communities_managed(user),
        "is_staff": selectors_ratings.communities_served(user).exists(),
        "error": error, "posted": request.POST if error else {},
    }, status=error.status if error else 200)


@login_required
@require_GET
def rating_list(request):
    return _render_list(request)


@login_required
@require_POST
def rating_create(request):
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        rating = services.rating_create(
            actor=request.user, community=Area.objects.filter(pk=data["community"]).first(),
            month=data["month"])
    except ApplicationError as exc:
        return _render_list(request, exc)
    messages.success(request, _("The rating is open: score the buildings."))
    return redirect("community:rating", rating.pk)


# --- one rating ------------------------------------------------------------------------------

def _get(request, rating_id: int) -> Rating:
    return selectors_ratings.rating_get(actor=request.user, rating_id=rating_id)


def _detail_context(user, rating: Rating) -> dict[str, Any]:
    criteria = selectors_ratings.rating_criteria(rating)
    keeps = manages(user, rating.community) and rating.state == RatingState.OPEN
    return {"rating": rating, "criteria": criteria, "rows": selectors_ratings.ranking(rating),
            "can_score": keeps, "manual": [c for c in criteria if c.source == Source.MANUAL],
            "top": selectors_ratings.TOP}


def render_detail(request, rating: Rating, error: ApplicationError | None = None,
                  form_id: str = ""):
    context = _detail_context(request.user, rating)
    if error is not None:
        wanted = request.POST.get("building", "")
        context |= {"error": error, "posted": request.POST, "form_id": form_id,
                    "open_building": int(wanted) if wanted.isdigit() and len(wanted) < 12
                    else None}
    return render(request, "community/ratings/detail.html", context,
                  status=error.status if error is not None else 200)


@login_required
@require_GET
def rating_detail(request, rating_id: int):
    return render_detail(request, _get(request, rating_id))


@login_required
@require_POST
def rating_scores(request, rating_id: int):
    rating = _get(request, rating_id)
    manual = [c for c in selectors_ratings.rating_criteria(rating) if c.source == Source.MANUAL]
    form = BuildingScoresForm(request.POST, criteria=manual)
    form_id = f"scores-{request.POST.get('building', '')}"
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="bad_score")
        building = Area.objects.filter(pk=form.cleaned_data["building"]).first()
        services.building_scores_set(actor=request.user, rating=rating, building=building,
                                     scores=form.scores())
    except ApplicationError as exc:
        return render_detail(request, rating, error=exc, form_id=form_id)
    messages.success(request, _("Scores saved."))
    return redirect(f"{reverse('community:rating', args=[rating.pk])}#ranking")


@login_required
@require_POST
def rating_recompute(request, rating_id: int):
    rating = _get(request, rating_id)
    try:
        services.rating_recompute(actor=request.user, rating=rating)
    except ApplicationError as exc:
        return render_detail(request, rating, error=exc, form_id="recompute")
    messages.success(request, _("Participation and cases computed again."))
    return redirect("community:rating", rating.pk)


@login_required
@require_POST
def rating_publish(request, rating_id: int):
    rating = _get(request, rating_id)
    try:
        services.rating_publish(actor=request.user, rating=rating)
    except ApplicationError as exc:
        return render_detail(request, rating, error=exc, form_id="publish")
    messages.success(request, _("The ranking is published to the residents."))
    return redirect("community:rating", rating.pk)


# --- the score sheet ---------------------------------------------------------------------------

def _render_sheet(request, community: Area, error: ApplicationError | None = None,
                  form_id: str = ""):
    user = request.user
    return render(request, "community/ratings/sheet.html", {
        "community": community, "communities": selectors_ratings.communities_served(user),
        "criteria": selectors_ratings.criteria_of(actor=user, community=community),
        "can_edit": manages(user, community), "sources": Source.choices,
        "error": error, "posted": request.POST if error else {}, "form_id": form_id,
        "open_criterion": int(form_id.removeprefix("criterion-"))
        if form_id.removeprefix("criterion-").isdigit() else None,
    }, status=error.status if error else 200)


@login_required
@require_GET
def rating_sheet(request):
    served = selectors_ratings.communities_served(request.user)
    wanted = request.GET.get("community", "")
    community = (served.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 12
                 else served.first())
    if community is None:
        raise Http404
    return _render_sheet(request, community)


@login_required
@require_POST
def criterion_new(request):
    served = selectors_ratings.communities_served(request.user)
    wanted = request.POST.get("community", "")
    community = (served.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 12
                 else None)
    if community is None:
        raise Http404
    form = CriterionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        services.criterion_create(actor=request.user, community=community,
                                  **form.cleaned_data)
    except ApplicationError as exc:
        return _render_sheet(request, community, exc, form_id="criterion-new")
    messages.success(request, _("Criterion added."))
    return redirect(f"{reverse('community:ratings_sheet')}?community={community.pk}")


@login_required
@require_POST
def criterion_edit(request, criterion_id: int):
    criterion: Criterion = selectors_ratings.criterion_get(actor=request.user,
                                                           criterion_id=criterion_id)
    form = CriterionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(first_invalid(form), code="invalid")
        data = form.cleaned_data
        position = data["position"] if data["position"] is not None else criterion.position
        services.criterion_update(actor=request.user, criterion=criterion, name=data["name"],
                                  max_score=data["max_score"], source=data["source"],
                                  position=position, is_active=data["is_active"])
    except ApplicationError as exc:
        return _render_sheet(request, criterion.community, exc,
                             form_id=f"criterion-{criterion.pk}")
    messages.success(request, _("Criterion saved."))
    return redirect(f"{reverse('community:ratings_sheet')}?community={criterion.community_id}")


urlpatterns = [
    path("ratings/", rating_list, name="ratings"),
    path("ratings/new/", rating_create, name="ratings_new"),
    path("ratings/sheet/", rating_sheet, name="ratings_sheet"),
    path("ratings/sheet/new/", criterion_new, name="ratings_criterion_new"),
    path("ratings/criteria/<int:criterion_id>/", criterion_edit, name="ratings_criterion"),
    path("ratings/<int:rating_id>/", rating_detail, name="rating"),
    path("ratings/<int:rating_id>/scores/", rating_scores, name="ratings_scores"),
    path("ratings/<int:rating_id>/recompute/", rating_recompute, name="ratings_recompute"),
    path("ratings/<int:rating_id>/publish/", rating_publish, name="ratings_publish"),
]
