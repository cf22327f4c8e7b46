"""最美楼栋: a community's score sheet and its monthly rating of buildings.

- The score sheet is a community's `Criterion` rows, kept by staff who manage the community
  (dispatchers and leaders at or above it). A community without one gets the default sheet
  (环境卫生 40 manual, 活动参与 30 participation, 案件少 30 cases) with its first rating.
- `rating_create` makes one rating per community and month and a `Score` row for every
  building × active criterion. Participation and cases are computed from the month's data;
  manual criteria are 0 until staff score them (`score_set`).
  - participation: the share of a building's current residents who checked in at an
    activity of the community that month; the best building gets the full score, the
    others in proportion (figure "took/residents").
  - cases: the fewer the better: max × (1 − n / most n), so 0 cases is the full score
    (figure: the number of cases).
- `rating_recompute` refreshes the computed scores (and adds rows for new buildings or
  criteria) while the rating is open; `rating_publish` freezes it for residents to see.
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.community.models import Criterion, Rating, RatingState, Score, SignUp, Source
from linli.community.permissions import manages
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind

DEFAULT_SHEET = [("环境卫生", 40, Source.MANUAL), ("活动参与", 30, Source.PARTICIPATION),
                 ("案件少", 30, Source.CASES)]
MAX_NAME = 40
CENT = Decimal("0.01")


# --- the score sheet ------------------------------------------------------------------------

def _require_manager(actor, community: Area | None) -> Area:
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise ValidationFailed(_("Choose a community."), code="bad_community")
    if not manages(actor, community):
        raise PermissionDenied(_("Only staff of the community keep its building rating."),
                               code="not_rating_staff")
    return community


def _criterion_values(name: str, max_score, source: str) -> dict:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the criterion a name."), code="empty_name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(_("A criterion's name is at most 40 characters."),
                               code="too_long")
    if not isinstance(max_score, int) or isinstance(max_score, bool) or not (
            1 <= max_score <= 100):
        raise ValidationFailed(_("The most points of a criterion are 1 to 100."),
                               code="bad_max_score")
    if source not in Source.values:
        raise ValidationFailed(_("Unknown source of a score."), code="bad_source")
    return {"name": name, "max_score": max_score, "source": source}


def _next_position(community: Area) -> int:
    last = Criterion.objects.filter(community=community).order_by("-position").first()
    return last.position + 1 if last else 1


@transaction.atomic
def criterion_create(*, actor, community: Area | None, name: str, max_score: int,
                     source: str = Source.MANUAL, position: int | None = None,
                     is_active: bool = True) -> Criterion:
    """Add a line to the community's score sheet (at the end unless `position` says)."""
    community = _require_manager(actor, community)
    values = _criterion_values(name, max_score, source)
    if position is not None and not 0 <= position <= 1000:
        raise ValidationFailed(_("The position is 0 to 1000."), code="bad_position")
    criterion = Criterion.objects.create(
        community=community, position=_next_position(community) if position is None
        else position, is_active=bool(is_active), **values)
    audit_record(actor=actor, action="community.criterion_created", obj=criterion,
                 changes=values, area_path=community.path)
    return criterion


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, name: str, max_score: int, source: str,
                     position: int, is_active: bool) -> Criterion:
    """Change a line of the sheet. Open ratings take it at their next recompute; published
    ones keep the scores they had."""
    _require_manager(actor, criterion.community)
    values = _criterion_values(name, max_score, source)
    if not 0 <= position <= 1000:
        raise ValidationFailed(_("The position is 0 to 1000."), code="bad_position")
    values |= {"position": position, "is_active": bool(is_active)}
    before = {k: getattr(criterion, k) for k in values}
    Criterion.objects.filter(pk=criterion.pk).update(**values)
    criterion.refresh_from_db()
    audit_record(actor=actor, action="community.criterion_updated", obj=criterion,
                 changes={k: [str(before[k]), str(v)] for k, v in values.items()
                          if before[k] != v}, area_path=criterion.community.path)
    return criterion


def sheet_ensure(community: Area) -> list[Criterion]:
    """The community's active criteria, the default sheet written first if it has none."""
    if not Criterion.objects.filter(community=community).exists():
        Criterion.objects.bulk_create([
            Criterion(community=community, name=name, max_score=most, source=source,
                      position=n) for n, (name, most, source) in enumerate(DEFAULT_SHEET, 1)])
    return list(Criterion.objects.filter(community=community, is_active=True)
                .order_by("position", "pk"))


# --- computing a month ----------------------------------------------------------------------

def month_span(month: date) -> tuple[datetime, datetime]:
    """The month as local time: from its first moment until the next month's."""
    following = (month.replace(year=month.year + 1, month=1) if month.month == 12
                 else month.replace(month=month.month + 1))
    return (timezone.make_aware(datetime.combine(month, time.min)),
            timezone.make_aware(datetime.combine(following, time.min)))


def buildings_of(community: Area) -> list[Area]:
    return list(Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=community.path)
                .order_by("name", "pk"))


@dataclass(frozen=True)
class Computed:
    score: Decimal
    figure: str


def _cents(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP)


def _participation(community: Area, buildings: list[Area], month: date,
                   most: int) -> dict[int, Computed]:
    from linli.people.models import Resident

    since, until = month_span(month)
    took_part = set(SignUp.objects.filter(
        activity__area_path__startswith=community.path, checked_in_at__gte=since,
        checked_in_at__lt=until).values_list("resident_id", flat=True).distinct())
    shares: dict[int, tuple[int, int]] = {}
    for b in buildings:
        living = set(Resident.objects.filter(area_path__startswith=b.path,
                                             moved_out__isnull=True,
                                             anonymised_at__isnull=True)
                     .values_list("pk", flat=True))
        shares[b.pk] = (len(living & took_part), len(living))
    best = max((Fraction(t, n) for t, n in shares.values() if n), default=Fraction(0))
    return {pk: Computed(_cents(most * Fraction(t, n) / best) if n and best else Decimal("0.00"),
                         f"{t}/{n}") for pk, (t, n) in shares.items()}


def _cases(buildings: list[Area], month: date, most: int) -> dict[int, Computed]:
    from linli.cases.selectors import reported_counts_under

    since, until = month_span(month)
    counts = reported_counts_under([b.path for b in buildings], since, until)
    worst = max(counts.values(), default=0)
    return {b.pk: Computed(_cents(most * (1 - Fraction(counts[b.path], worst))) if worst
                           else _cents(Fraction(most)), str(counts[b.path]))
            for b in buildings}


def _fill(rating: Rating) -> None:
    """Write the rating's rows: every building × active criterion. Computed criteria are
    (re)computed; a manual score already given is kept (capped at the criterion's most);
    rows of criteria no longer active go."""
    community = rating.community
    buildings = buildings_of(community)
    criteria = sheet_ensure(community)
    rating.scores.exclude(criterion__in=criteria).delete()
    have = {(s.building_id, s.criterion_id): s for s in rating.scores.all()}
    for c in criteria:
        computed: dict[int, Computed] = {}
        if c.source == Source.PARTICIPATION:
            computed = _participation(community, buildings, rating.month, c.max_score)
        elif c.source == Source.CASES:
            computed = _cases(buildings, rating.month, c.max_score)
        for b in buildings:
            row = have.get((b.pk, c.pk))
            if b.pk in computed:
                score, figure = computed[b.pk].score, computed[b.pk].figure
            else:
                score = min(row.score, Decimal(c.max_score)) if row else Decimal("0.00")
                figure = ""
            if row is None:
                Score.objects.create(rating=rating, building=b, criterion=c, score=score,
                                     figure=figure)
            elif (row.score, row.figure) != (score, figure):
                Score.objects.filter(pk=row.pk).update(score=score, figure=figure)


# --- the rating ------------------------------------------------------------------------------

def _month_start(month) -> date:
    if not isinstance(month, date) or isinstance(month, datetime) or month.day != 1:
        raise ValidationFailed(_("A rating is for a month: give its first day."),
                               code="bad_month")
    return month


@transaction.atomic
def rating_create(*, actor, community: Area | None, month, now: datetime | None = None
                  ) -> Rating:
    """Open the month's rating of the community's buildings (one a month, not a month still
    to come) with the scores computed so far."""
    community = _require_manager(actor, community)
    month = _month_start(month)
    today = timezone.localdate(now or timezone.now())
    if month > today.replace(day=1):
        raise ValidationFailed(_("A month still to come cannot be rated."),
                               code="future_month")
    if Rating.objects.filter(community=community, month=month).exists():
        raise Conflict(_("This month already has a rating."), code="rating_exists")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(community=community, area_path=community.path,
                                           month=month, created_by=actor)
    except IntegrityError:
        raise Conflict(_("This month already has a rating."), code="rating_exists") from None
    _fill(rating)
    audit_record(actor=actor, action="community.rating_created", obj=rating,
                 changes={"month": month.isoformat()}, area_path=community.path)
    return rating


def _require_open(actor, rating: Rating) -> Rating:
    _require_manager(actor, rating.community)
    locked = Rating.objects.select_for_update().get(pk=rating.pk)
    if locked.state != RatingState.OPEN:
        raise Conflict(_("The rating is published: its scores no longer change."),
                       code="rating_published")
    return locked


@transaction.atomic
def rating_recompute(*, actor, rating: Rating) -> Rating:
    """Compute participation and cases again from the month's data (and add rows for
    buildings or criteria added since); manual scores stay."""
    rating = _require_open(actor, rating)
    _fill(rating)
    return rating


def _score_value(score, most: int) -> Decimal:
    try:
        value = Decimal(str(score))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("A score is a number."), code="bad_score") from None
    if not value.is_finite() or value != value.quantize(CENT, rounding=ROUND_HALF_UP) or not (
            0 <= value <= most):
        raise ValidationFailed(
            _("A score is 0 to %(most)s with at most two decimals.") % {"most": most},
            code="bad_score")
    return value.quantize(CENT)


@transaction.atomic
def score_set(*, actor, rating: Rating, building: Area | None, criterion: Criterion | None,
              score) -> Score:
    """Give a building its score on a manual criterion of an open rating."""
    rating = _require_open(actor, rating)
    if building is None or building.kind != AreaKind.BUILDING or not building.path.startswith(
            rating.area_path):
        raise ValidationFailed(_("Choose a building of the community."), code="bad_building")
    if criterion is None or criterion.community_id != rating.community_id:
        raise ValidationFailed(_("Choose a criterion of the community's score sheet."),
                               code="bad_criterion")
    if criterion.source != Source.MANUAL:
        raise ValidationFailed(_("This criterion is computed, not scored by hand."),
                               code="computed_criterion")
    value = _score_value(score, criterion.max_score)
    row, _made = Score.objects.update_or_create(
        rating=rating, building=building, criterion=criterion,
        defaults={"score": value, "scored_by": actor, "figure": ""})
    return row


@transaction.atomic
def building_scores_set(*, actor, rating: Rating, building: Area | None,
                        scores: list[tuple[Criterion | None, object]]) -> None:
    """Several manual scores of one building at once: all or none."""
    for criterion, score in scores:
        score_set(actor=actor, rating=rating, building=building, criterion=criterion,
                  score=score)


@transaction.atomic
def rating_publish(*, actor, rating: Rating, now: datetime | None = None) -> Rating:
    """Publish the ranking to the community's residents; the scores are frozen."""
    rating = _require_open(actor, rating)
    rating.state = RatingState.PUBLISHED
    rating.published_at = now or timezone.now()
    rating.save(update_fields=["state", "published_at"])
    audit_record(actor=actor, action="community.rating_published", obj=rating,
                 changes={"month": rating.month.isoformat()}, area_path=rating.area_path)
    return rating
