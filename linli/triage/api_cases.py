"""The triage API for one case: its likely duplicates and the units to dispatch it to.

For the dispatchers of the case's place only. The case is loaded through the cases
selectors, so a case out of the caller's sight is a 404; one they see but may not dispatch
or merge (a resident's own case, a leader's) is a 403. No reporter data is returned.
"""

from datetime import datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import selectors as case_selectors
from linli.cases.models import Case
from linli.core.bounds import Id
from linli.core.errors import PermissionDenied
from linli.triage import selectors

router = Router(tags=["triage"])

Limit = Annotated[int, Field(ge=1, le=20)]


class TriageDuplicateOut(Schema):
    """A case this one may repeat: enough to recognise the problem, nothing about who
    reported it."""

    case_id: int
    score: float = Field(description="0–1: how likely it is the same problem.")
    reasons: list[str] = Field(description="Why, in words a dispatcher reads.")
    category: str = Field(description="The category's code.")
    category_name: str
    state: str
    reported_at: datetime


class TriageUnitOut(Schema):
    unit_id: int
    name: str
    score: float = Field(description="0–1: how well the unit suits the case.")
    reasons: list[str]


def _dispatchers_case(request, case_id: int) -> Case:
    """The case as the caller sees it (404 outside their sight), if they dispatch and
    merge its place's cases (403 otherwise)."""
    case = case_selectors.case_get(actor=request.user, case_id=case_id)
    if not (request.user.is_superuser or scope.has_role(request.user, Role.DISPATCHER,
                                                        case.area)):
        raise PermissionDenied(_("Only the dispatchers of this case's community see its "
                                 "triage suggestions."))
    return case


@router.get("/cases/{case_id}/duplicates", response=list[TriageDuplicateOut])
def case_duplicate_candidates(request, case_id: Id, limit: Limit = 5):
    """Open cases this one may repeat, most likely first: those it may be merged into."""
    case = _dispatchers_case(request, case_id)
    return [{"case_id": c.case.pk, "score": c.score, "reasons": c.reasons,
             "category": c.case.category.code, "category_name": c.case.category.name,
             "state": c.case.state, "reported_at": c.case.reported_at}
            for c in selectors.duplicate_candidates(actor=request.user, case=case,
                                                    limit=limit)]


@router.get("/cases/{case_id}/units", response=list[TriageUnitOut])
def case_unit_suggestions(request, case_id: Id, limit: Limit = 3):
    """Units to dispatch the case to, best first: the default route and the units that
    closed its category in its community, less those that keep returning it."""
    case = _dispatchers_case(request, case_id)
    return [{"unit_id": s.unit.pk, "name": s.unit.name, "score": s.score,
             "reasons": s.reasons}
            for s in selectors.unit_suggestions(category=case.category, area=case.area,
                                                limit=limit)]
