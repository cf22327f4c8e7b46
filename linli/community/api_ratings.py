"""The ratings API (最美楼栋, mounted under /api/community): the monthly ratings of a
community's buildings with their ranking, manual scores, recompute and publish, and the
community's score sheet (criteria).

Parse, call a selector or a service, serialize. A rating or criterion named in the path is
loaded through `selectors_ratings`, so one out of sight is a 404 before any service runs;
the service then decides whether the caller may act (403 `not_rating_staff`). Buildings
are named by `building_id` in the body.
"""

from ninja import Router, Status
from ninja.pagination import paginate

from linli.community import selectors_ratings, services
from linli.community.models import Criterion, Rating
from linli.community.permissions import manages
from linli.community.schemas_ratings import (
    CriterionIn,
    CriterionOut,
    CriterionUpdateIn,
    RatingDetailOut,
    RatingIn,
    RatingOut,
    RatingScoreIn,
)
from linli.core.bounds import Id, Pages
from linli.orgs.models import Area

router = Router(tags=["community"])


def _detail(request, rating_id: int) -> dict:
    rating = selectors_ratings.rating_get(actor=request.user, rating_id=rating_id)
    rows = selectors_ratings.ranking(rating)
    return {
        "id": rating.pk, "community_id": rating.community_id,
        "community_name": rating.community.name, "month": rating.month,
        "state": rating.state, "published_at": rating.published_at,
        "criteria": selectors_ratings.rating_criteria(rating),
        "ranking": [{"rank": r.rank, "top": r.top, "building_id": r.building.pk,
                     "building_name": r.label, "total": r.total,
                     "scores": r.scores} for r in rows],
        "can_score": manages(request.user, rating.community),
    }


def _rating(request, rating_id: int) -> Rating:
    return selectors_ratings.rating_get(actor=request.user, rating_id=rating_id)


@router.get("/ratings", response=list[RatingOut])
@paginate(Pages, page_size=20)
def rating_list(request):
    """The ratings the caller sees, newest month first: staff of a community all of them,
    residents the published ones of their own community."""
    return selectors_ratings.rating_list(actor=request.user)


@router.post("/ratings", response={201: RatingDetailOut})
def rating_create(request, payload: RatingIn):
    """Open a month's rating of the community's buildings (staff managing the community;
    403 `not_rating_staff` otherwise). `month` is the first day of a month (400
    `bad_month`), not one to come (400 `future_month`); one rating a month (409
    `rating_exists`). A community without a score sheet gets the default one."""
    community = Area.objects.filter(pk=payload.community_id).first()
    rating = services.rating_create(actor=request.user, community=community,
                                    month=payload.month)
    return Status(201, _detail(request, rating.pk))


@router.get("/ratings/{rating_id}", response=RatingDetailOut)
def rating_detail(request, rating_id: Id):
    """The rating with its criteria and the ranking: buildings by total, ties by name,
    each criterion's score and the figure it came from."""
    return _detail(request, rating_id)


@router.put("/ratings/{rating_id}/scores", response=RatingDetailOut)
def rating_score(request, rating_id: Id, payload: RatingScoreIn):
    """Set a building's score on a manual criterion (staff managing the community). Not a
    building of the community: 400 `bad_building`; a computed criterion: 400
    `computed_criterion`; out of 0..most: 400 `bad_score`; published: 409
    `rating_published`."""
    rating = _rating(request, rating_id)
    services.score_set(actor=request.user, rating=rating,
                       building=Area.objects.filter(pk=payload.building_id).first(),
                       criterion=Criterion.objects.filter(pk=payload.criterion_id).first(),
                       score=payload.score)
    return _detail(request, rating_id)


@router.post("/ratings/{rating_id}/recompute", response=RatingDetailOut)
def rating_recompute(request, rating_id: Id):
    """Compute participation and cases again from the month's data; manual scores stay
    (published: 409 `rating_published`)."""
    services.rating_recompute(actor=request.user, rating=_rating(request, rating_id))
    return _detail(request, rating_id)


@router.post("/ratings/{rating_id}/publish", response=RatingDetailOut)
def rating_publish(request, rating_id: Id):
    """Publish the ranking to the community's residents; its scores are frozen (a second
    time: 409 `rating_published`)."""
    services.rating_publish(actor=request.user, rating=_rating(request, rating_id))
    return _detail(request, rating_id)


@router.get("/criteria", response=list[CriterionOut])
@paginate(Pages, page_size=50)
def criterion_list(request, community_id: Id | None = None):
    """The score sheets the caller sees (staff of the community), by position; `community_id`
    keeps one community's."""
    qs = selectors_ratings.criteria_visible(request.user).order_by(
        "community__path", "position", "pk")
    return qs.filter(community_id=community_id) if community_id else qs


@router.post("/criteria", response={201: CriterionOut})
def criterion_create(request, payload: CriterionIn):
    """Add a criterion to a community's score sheet (staff managing it; 403
    `not_rating_staff`): a name of at most 40 characters, 1..100 most points, scored from
    `manual`, `participation` or `cases` (400 `bad_source`)."""
    community = Area.objects.filter(pk=payload.community_id).first()
    return Status(201, services.criterion_create(
        actor=request.user, community=community, name=payload.name,
        max_score=payload.max_score, source=payload.source, position=payload.position,
        is_active=payload.is_active))


@router.put("/criteria/{criterion_id}", response=CriterionOut)
def criterion_update(request, criterion_id: Id, payload: CriterionUpdateIn):
    """Change a criterion (staff managing the community). Open ratings take the change at
    their next recompute; published ones keep their scores."""
    criterion = selectors_ratings.criterion_get(actor=request.user, criterion_id=criterion_id)
    return services.criterion_update(
        actor=request.user, criterion=criterion, name=payload.name,
        max_score=payload.max_score, source=payload.source, position=payload.position,
        is_active=payload.is_active)
