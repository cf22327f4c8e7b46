"""Needs: posted by a resident (a request with no slot), by staff, or from a survey answer
(the surveys app calls `need_post`); classified, matched and handed over through
`need_transition` (`transitions.NEEDS`). The moves that make work of a need (a case, a
task, a topic, a booking) live in `services/handover.py`."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.library import kinds, permissions, urgency
from linli.library.models import MAX_TEXT, Need, NeedSource, NeedState
from linli.library.workflow import NEEDS
from linli.orgs.models import Area, AreaKind
from linli.people.models import Household, Resident
from linli.people.selectors import own_record


def _community(area: Area) -> Area:
    community = (area if area.kind == AreaKind.COMMUNITY
                 else area.ancestor_of_kind(AreaKind.COMMUNITY))
    if community is None:
        raise ValidationFailed(_("A need is placed within a community."), code="bad_area")
    return community


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Describe the need."), code="text_required")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(_("The need is at most 2000 characters."), code="too_long")
    return text


def may_post_for(actor, household: Household | None, area: Area) -> bool:
    """A resident for their household; staff serving the place for anyone there."""
    if permissions.serves(actor, area):
        return True
    record = own_record(actor)
    return (household is not None and record is not None
            and record.household_id == household.pk)


@transaction.atomic
def need_post(*, actor, text: str, resident: Resident | None = None,
              household: Household | None = None, area: Area | None = None,
              source: str = NeedSource.REQUEST, kind: str = "", checked: bool = False,
              now: datetime | None = None) -> Need:
    """A need of `resident` or `household` (placed at their dwelling) or of a place
    (`area`). `checked`: the caller (a survey answer) has already checked who may post
    it."""
    now = now or timezone.now()
    if resident is not None:
        household = resident.household
    if household is not None:
        area = household.dwelling
    if area is None:
        raise ValidationFailed(_("Say whose need it is or where."), code="bad_area")
    if not checked and not may_post_for(actor, household, area):
        raise PermissionDenied(_("You may post needs for yourself and your household."),
                               code="not_household")
    if source not in NeedSource.values:
        raise ValidationFailed(_("Unknown source of a need."), code="bad_source")
    text = _text(text)
    suggested, _words = urgency.suggest(text)
    need = Need.objects.create(
        community=_community(area), area=area, area_path=area.path, resident=resident,
        household=household, text=text,
        kind=kind or kinds.suggest(text), urgency_suggested=suggested, source=source,
        state=NeedState.OPEN, posted_by=actor, created_at=now)
    NEEDS.write_event(need, actor=actor, action="post", from_state="", to_state=need.state,
                      at=now, data={"source": source})
    audit_record(actor=actor, action="need.post", obj=need,
                 changes={"source": source, "kind": need.kind,
                          "urgency_suggested": suggested},
                 area_path=need.area_path)
    return need


@transaction.atomic
def need_transition(*, actor, need: Need, action: str, note: str = "",
                    expected_version: int | None = None, now: datetime | None = None,
                    **data):
    """classify, match, hand_over, meet or close a need (`transitions.NEEDS`)."""
    return NEEDS.transition(actor=actor, obj=need, action=action, note=note,
                            expected_version=expected_version, now=now, data=data)
