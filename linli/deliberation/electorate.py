"""Electorates: who may vote, frozen when a vote opens, and which elector an account casts.

- adults: every current resident of the scope aged 18 or more on the opening day (a
  resident whose birth date the registry lacks is left out and counted in `unknown_age`);
- households: every household of the scope with a current member, one vote each, cast by
  any adult member;
- members: the body's members on the opening day;
- owners: every dwelling of the scope with a current owner, weighted by its floor area;
  one vote per dwelling (the owners' headcount counts one per 专有部分), cast by an owner.

The frozen list (`Elector` rows) never changes afterwards: a member who joins later, or a
resident who moves in, is not in it.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.crypto import mask_name
from linli.core.errors import ValidationFailed
from linli.deliberation.models import Elector, Electorate, Member, Threshold, Vote
from linli.deliberation.rules import Share
from linli.people.models import Household, Resident, Tenure
from linli.people.selectors import place_labels

ADULT_AGE = 18


def adult_born_by(day: date) -> date:
    """The latest birth date of someone who is 18 on `day` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:
        return day.replace(year=day.year - ADULT_AGE, day=28)


def _current(qs, path: str):
    return qs.filter(area_path__startswith=path, moved_out__isnull=True,
                     anonymised_at__isnull=True)


def _adults(vote: Vote, today: date) -> list[Elector]:
    residents = _current(Resident.objects, vote.area_path).filter(
        birth_date__lte=adult_born_by(today)).select_related("household__dwelling")
    labels = place_labels(r.household.dwelling for r in residents)
    return [Elector(vote=vote, key=f"resident:{r.pk}", resident=r,
                    label=f"{mask_name(r.name)} {labels.get(r.household.dwelling_id, '')}")
            for r in residents]


def _households(vote: Vote, today: date) -> list[Elector]:
    with_members = _current(Resident.objects, vote.area_path).values("household_id")
    households = Household.objects.filter(pk__in=with_members).select_related("dwelling")
    labels = place_labels(h.dwelling for h in households)
    return [Elector(vote=vote, key=f"household:{h.pk}", household=h,
                    label=labels.get(h.dwelling_id, "") or h.dwelling.name)
            for h in households]


def active_members(body, day: date):
    return Member.objects.filter(body=body, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day))


def _members(vote: Vote, today: date) -> list[Elector]:
    if vote.body is None:
        raise ValidationFailed(_("A vote of a body's members names the body."),
                               code="body_required")
    return [Elector(vote=vote, key=f"member:{m.pk}", member=m, resident=m.resident,
                    label=m.name) for m in active_members(vote.body, today)]


def _owners(vote: Vote, today: date) -> list[Elector]:
    owners = _current(Resident.objects, vote.area_path).filter(tenure=Tenure.OWNER)
    dwellings = {r.household.dwelling for r in owners.select_related("household__dwelling")}
    missing = sorted(d.name for d in dwellings if not d.floor_area)
    if missing:
        raise ValidationFailed(
            _("%(n)d dwellings with owners have no floor area (%(names)s): record them "
              "first, owners' votes are weighed by floor area.")
            % {"n": len(missing), "names": "、".join(missing[:5])}, code="floor_area_missing")
    labels = place_labels(dwellings)
    return [Elector(vote=vote, key=f"dwelling:{d.pk}", dwelling=d,
                    weight=d.floor_area, label=labels.get(d.pk, d.name))
            for d in sorted(dwellings, key=lambda d: d.path)]


_BUILD: dict[str, object] = {Electorate.ADULTS: _adults, Electorate.HOUSEHOLDS: _households,
          Electorate.MEMBERS: _members, Electorate.OWNERS: _owners}


def check_rule(vote: Vote) -> None:
    """A rule that cannot be applied is refused before anyone votes."""
    if vote.quorum:
        Share.parse(vote.quorum)
    if vote.threshold == Threshold.CUSTOM:
        Share.parse(vote.custom_share)
    if vote.threshold == Threshold.OWNERS and vote.electorate != Electorate.OWNERS:
        raise ValidationFailed(_("The owners' rule applies to a vote of owners."),
                               code="bad_threshold")
    if vote.electorate == Electorate.OWNERS and vote.threshold != Threshold.OWNERS:
        raise ValidationFailed(_("A vote of owners is decided by the owners' rule (civil "
                                 "code art. 278)."), code="bad_threshold")


def electors_preview(vote: Vote, today: date | None = None) -> list[Elector]:
    """The electorate as it would be frozen now (unsaved): its count before opening."""
    build = _BUILD[vote.electorate]
    return build(vote, today or timezone.localdate())  # type: ignore[operator]


def freeze(vote: Vote, now: datetime) -> dict:
    """Write the electorate and return the columns the opening sets."""
    check_rule(vote)
    if vote.closes_at <= now:
        raise ValidationFailed(_("The closing time has passed: set a later one first."),
                               code="closes_in_past")
    if vote.options.count() < 2:
        raise ValidationFailed(_("A vote needs at least two options."), code="few_options")
    electors = electors_preview(vote, timezone.localdate(now))
    if not electors:
        raise ValidationFailed(_("Nobody is in this electorate: nobody could vote. Check the "
                                 "scope and the registry."), code="empty_electorate")
    Elector.objects.bulk_create(electors, batch_size=500)
    return {"opens_at": now, "electorate_count": len(electors),
            "electorate_area": sum((e.weight for e in electors), Decimal(0))}


def elector_for(vote: Vote, user) -> Elector | None:
    """The elector `user` casts for in `vote`, or None when they are not in it."""
    if not getattr(user, "is_authenticated", False):
        return None
    electors = vote.electors.all()
    if vote.electorate == Electorate.MEMBERS:
        return electors.filter(Q(member__user=user) | Q(member__resident__user=user)).first()
    resident = Resident.objects.filter(user=user, moved_out__isnull=True).first()
    if resident is None:
        return None
    if vote.electorate == Electorate.ADULTS:
        return electors.filter(resident=resident).first()
    if vote.electorate == Electorate.HOUSEHOLDS:
        adult = resident.birth_date and resident.birth_date <= adult_born_by(
            timezone.localdate())
        return electors.filter(household_id=resident.household_id).first() if adult else None
    if resident.tenure != Tenure.OWNER:
        return None
    return electors.filter(dwelling_id=resident.household.dwelling_id).first()
