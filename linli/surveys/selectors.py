"""Reads of needs surveys, limited to what the actor may see. Another app reads surveys only
through here (and `services`).

- Staff (grid workers, dispatchers, leaders) see the surveys placed at, under or above their
  areas, and the responses of the households they reach.
- Residents see the surveys out (open or closed, not drafts) placed at or above their
  dwelling, and their household's responses.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from linli.accounts import scope
from linli.accounts.models import Role
from linli.surveys.models import Response, Survey, SurveyState
from linli.surveys.permissions import STAFF


def staff_q(actor, path_field: str = "area_path") -> Q:
    return scope.reach_q(actor, STAFF, path_field=path_field)


def resident_q(actor, path_field: str = "area_path") -> Q:
    return scope.reach_q(actor, [Role.RESIDENT], path_field=path_field, below=False)


def surveys_visible(actor):
    out = resident_q(actor) & ~Q(state=SurveyState.DRAFT)
    return Survey.objects.filter(staff_q(actor) | out)


def responses_visible(actor):
    from linli.people.selectors import own_record

    if not getattr(actor, "is_authenticated", False):
        return Response.objects.none()
    q = staff_q(actor) | Q(entered_by=actor)
    record = own_record(actor)
    if record is not None:
        q |= Q(household_id=record.household_id)
    return Response.objects.filter(q)


def one(qs, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- lists, the answer and visit pages, the tiles --------------------------------------------

def is_staff(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and scope.has_role(actor, STAFF)


def survey_get(*, actor, survey_id: int) -> Survey:
    return one(surveys_visible(actor).select_related("area"), survey_id)


def staff_surveys(actor):
    """Surveys the staff reach, with their response counts."""
    from django.db.models import Count

    return (Survey.objects.filter(staff_q(actor)).select_related("area")
            .annotate(response_count=Count("responses")))


def resident_open(actor, now=None):
    """Open surveys placed at or above the resident's dwelling."""
    from django.utils import timezone

    now = now or timezone.now()
    return Survey.objects.filter(resident_q(actor), state=SurveyState.OPEN,
                                 opens_at__lte=now, closes_at__gt=now)


def answered_ids(actor, surveys) -> set[int]:
    """Which of `surveys` the actor's household has answered."""
    from linli.people.selectors import own_record

    record = own_record(actor)
    if record is None:
        return set()
    return set(Response.objects.filter(survey__in=surveys, household_id=record.household_id)
               .values_list("survey_id", flat=True))


def household_response(survey: Survey, household_id: int, resident_id: int | None = None):
    qs = Response.objects.filter(survey=survey, household_id=household_id)
    if resident_id is not None:
        qs = qs.filter(resident_id=resident_id)
    return qs.prefetch_related("answers__question", "answers__area").first()


def place_choices(actor) -> list:
    """Audiences the actor may write surveys to (staff areas and the places under them)."""
    from linli.orgs.models import Area
    from linli.surveys.services.surveys import AUDIENCE_KINDS

    if not is_staff(actor):
        return []
    areas = Area.objects.filter(kind__in=AUDIENCE_KINDS).filter(
        scope.scope_q(actor, roles=STAFF, path_field="path"))
    return list(areas.order_by("depth", "path")[:300])


ANSWER_PLACE_KINDS = ("community", "grid", "estate", "building")


@dataclass(frozen=True)
class PlaceChoice:
    pk: int
    label: str


def answer_places(survey: Survey) -> list[PlaceChoice]:
    """The places an area question offers: estates and buildings (and communities, grids)
    under the survey's audience, never single dwellings; each with its `label` ("花楼小区
    1栋": two estates both have a 1栋)."""
    from linli.orgs.models import Area
    from linli.people.selectors import place_labels

    places = list(Area.objects.filter(path__startswith=survey.area_path,
                                      kind__in=ANSWER_PLACE_KINDS).order_by("path")[:300])
    labels = place_labels(places)
    return [PlaceChoice(place.pk, labels[place.pk]) for place in places]


def visit_reach(actor, survey: Survey):
    """Households of the survey's audience the actor serves (a grid worker: their grid's)."""
    from linli.people.models import Household

    within = Q(pk__in=[])
    for path in scope.area_paths(actor, STAFF):
        if path.startswith(survey.area_path):
            within |= Q(area_path__startswith=path)
        elif survey.area_path.startswith(path):
            within |= Q(area_path__startswith=survey.area_path)
    return Household.objects.filter(within).select_related("dwelling__parent")


def visit_households(actor, survey: Survey, search: str = "", limit: int = 30):
    """Households of the survey's audience the actor serves, found by their building or
    dwelling ("3栋", "101")."""
    qs = visit_reach(actor, survey)
    search = search.strip()[:32]
    if search:
        qs = qs.filter(Q(dwelling__name__icontains=search)
                       | Q(dwelling__parent__name__icontains=search)
                       | Q(dwelling__parent__parent__name__icontains=search))
    return list(qs.order_by("area_path", "pk")[:limit])


def home_tiles(user):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from linli.core.tiles import Tile

    if not getattr(user, "is_authenticated", False):
        return []
    url = reverse("surveys:home")
    if is_staff(user):
        from django.db.models import Count

        open_ = Survey.objects.filter(staff_q(user), state=SurveyState.OPEN)
        responses = Response.objects.filter(survey__in=open_).aggregate(n=Count("pk"))["n"]
        return [Tile("open", _("Open surveys"), url, open_.count()),
                Tile("responses", _("Answers to open surveys"), url, responses)]
    surveys = list(resident_open(user))
    if not surveys:
        return []
    done = answered_ids(user, surveys)
    return [Tile("to-answer", _("Surveys to answer"), url,
                 len([s for s in surveys if s.pk not in done]))]
