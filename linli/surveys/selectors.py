"""Reads of needs surveys, limited to what the actor may see. Another app reads surveys only
through here (and `services`).

- Staff (grid workers, dispatchers, leaders) see the surveys placed at, under or above their
  areas, and the responses of the households they reach.
- Residents see the surveys out (open or closed, not drafts) placed at or above their
  dwelling, and their household's responses.
"""

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
