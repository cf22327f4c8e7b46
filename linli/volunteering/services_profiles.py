"""Volunteer profiles: what a volunteer edits (skills, availability, grid) and the totals
the claim service keeps (hours, ratings)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from linli.accounts.models import Role
from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.volunteering import permissions
from linli.volunteering.models import Skill, VolunteerProfile

MAX_AVAILABILITY = 200


def profile_ensure(user) -> VolunteerProfile:
    try:
        with transaction.atomic():
            profile, _created = VolunteerProfile.objects.get_or_create(user=user)
    except IntegrityError:  # made at the same moment by another request
        profile = VolunteerProfile.objects.get(user=user)
    return profile


def profile_add(user, hours: Decimal | None = None, rating: int | None = None) -> None:
    """Add confirmed hours and a rating to the totals, in the caller's transaction."""
    updates: dict = {}
    if hours:
        updates["total_hours"] = F("total_hours") + hours
    if rating:
        updates["rating_sum"] = F("rating_sum") + rating
        updates["rating_count"] = F("rating_count") + 1
    if not updates:
        return
    if not VolunteerProfile.objects.filter(user=user).update(**updates):
        profile_ensure(user)  # the first confirmed work of this volunteer
        VolunteerProfile.objects.filter(user=user).update(**updates)


def _check_grid(actor, grid: Area | None) -> None:
    if grid is None:
        return
    if grid.kind != AreaKind.GRID:
        raise ValidationFailed(_("Choose a grid."), code="bad_grid")
    community = grid.ancestor_of_kind(AreaKind.COMMUNITY)
    if community is None or not permissions.is_volunteer_in(actor, community):
        raise ValidationFailed(_("Choose a grid of the community you volunteer in."),
                               code="bad_grid")


@transaction.atomic
def profile_update(*, actor, skills: list[Skill], availability: str = "",
                   grid: Area | None = None) -> VolunteerProfile:
    """A volunteer says what they can do, when, and in which grid."""
    if not permissions.community_ids(actor, [Role.VOLUNTEER]):
        raise PermissionDenied(_("Only volunteers keep a volunteer profile."),
                               code="not_volunteer")
    availability = (availability or "").strip()
    if len(availability) > MAX_AVAILABILITY:
        raise ValidationFailed(_("Availability is at most 200 characters."), code="too_long")
    if any(not skill.is_active for skill in skills):
        raise ValidationFailed(_("Choose skills from the list."), code="bad_skill")
    _check_grid(actor, grid)
    profile = profile_ensure(actor)
    before = (sorted(profile.skills.values_list("code", flat=True)), profile.availability,
              profile.grid_id)
    profile.availability, profile.grid = availability, grid
    profile.save(update_fields=["availability", "grid", "updated_at"])
    profile.skills.set(skills)
    audit_record(actor=actor, action="volunteering.profile_updated", obj=profile,
                 changes={"before": [before[0], before[1], before[2]],
                          "skills": sorted(s.code for s in skills),
                          "availability": availability, "grid": grid.pk if grid else None},
                 area_path=grid.path if grid else "")
    return profile
