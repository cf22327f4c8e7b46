"""Property-service ratings (红色物业): a household rates its estate's property company once a
month on a short score sheet (`models.SCORE_ITEMS`, 1 to 5 each); a month whose score is
low opens a supervision item for the community (the sweep, once per estate and month).

Refused: a second rating of a household in one month (also the database's
`party_rating_once_a_month`, so two taps at once never count twice), scores outside 1-5, an
estate that is not the rater's own, an estate without a property company.
"""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind, Unit, UnitKind
from linli.party.models import SCORE_ITEMS, PropertyRating, PropertySupervision


def month_of(day: date) -> date:
    return day.replace(day=1)


def property_company(estate: Area) -> Unit | None:
    """The active property company serving the estate, or else the nearest place above
    it."""
    for place in [estate, *estate.ancestors().order_by("-depth")]:
        unit = (Unit.objects.filter(kind=UnitKind.PROPERTY, is_active=True,
                                    service_areas=place).order_by("pk").first())
        if unit is not None:
            return unit
    return None


def _own_household(actor):
    from linli.people.selectors import own_record

    record = own_record(actor)
    if record is None:
        raise PermissionDenied(_("Only a resident registered in the community rates its "
                                 "property service."), code="not_a_resident")
    return record.household


def _scores(scores: dict) -> dict[str, int]:
    clean = {}
    for item in SCORE_ITEMS:
        value = scores.get(item)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValidationFailed(_("Give every item a score from 1 to 5."),
                                   code="bad_score")
        clean[item] = value
    return clean


@transaction.atomic
def property_rate(*, actor, scores: dict, comment: str = "",
                  now: datetime | None = None) -> PropertyRating:
    """The actor's household rates its own estate's property company for this month."""
    now = now or timezone.now()
    household = _own_household(actor)
    estate = household.dwelling.ancestor_of_kind(AreaKind.ESTATE)
    if estate is None:
        raise ValidationFailed(_("Your home is not in an estate with a property company."),
                               code="no_estate")
    unit = property_company(estate)
    if unit is None:
        raise ValidationFailed(_("Your estate has no property company to rate."),
                               code="no_company")
    clean = _scores(scores)
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationFailed(_("The comment is at most 500 characters."), code="too_long")
    month = month_of(timezone.localdate(now))
    try:
        with transaction.atomic():
            rating = PropertyRating.objects.create(
                estate=estate, unit=unit, household=household, rated_by=actor, month=month,
                comment=comment, area_path=estate.path, **clean)
    except IntegrityError:
        raise ValidationFailed(_("Your household has already rated the property service "
                                 "this month."), code="already_rated") from None
    audit_record(actor=actor, action="property.rate", obj=rating, area_path=estate.path,
                 changes={"month": month.isoformat(), "unit": unit.pk})
    return rating


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def supervision_open_low(*, now: datetime) -> int:
    """The previous month: each estate with at least PARTY_PROPERTY_MIN_RATINGS ratings
    whose overall score (the mean of the five item averages) is below
    PARTY_PROPERTY_LOW_SCORE opens one supervision item (unique estate and month, so two
    sweeps at once open one). Returns how many it opened."""
    from linli.party.selectors_agreements import month_figures

    month = previous_month(timezone.localdate(now))
    ratings = PropertyRating.objects.filter(month=month)
    opened = 0
    for figures in month_figures(ratings):
        if figures.low and _open_one(figures, month, now):
            opened += 1
    return opened


@transaction.atomic
def _open_one(figures, month: date, now: datetime) -> bool:
    from linli.party.workflow import SUPERVISIONS

    estate = Area.objects.get(pk=figures.estate_id)
    unit = (PropertyRating.objects.filter(estate=estate, month=month).order_by("-pk")
            .values_list("unit_id", flat=True).first())
    if unit is None:
        return False
    with transaction.atomic():
        try:
            item, made = PropertySupervision.objects.get_or_create(
                estate=estate, month=month,
                defaults={"unit_id": unit, "score": figures.overall, "ratings": figures.count,
                          "area_path": estate.path, "opened_at": now})
        except IntegrityError:  # a concurrent sweep opened it first
            return False
    if not made:
        return False
    data = {"score": str(figures.overall), "ratings": figures.count,
            "month": month.isoformat()}
    SUPERVISIONS.write_event(item, actor=None, action="open", from_state="",
                             to_state=item.state, at=now, data=data)
    audit_record(actor=None, action="supervision.open", obj=item, area_path=item.area_path,
                 changes=data)
    return True


@transaction.atomic
def supervision_resolve(*, actor, item: PropertySupervision, note: str,
                        expected_version: int | None = None,
                        now: datetime | None = None) -> PropertySupervision:
    """Party staff or a dispatcher of the place resolves the item with what was done."""
    from linli.party.workflow import SUPERVISIONS

    SUPERVISIONS.transition(actor=actor, obj=item, action="resolve", note=note,
                            now=now or timezone.now(), expected_version=expected_version)
    return item
