"""Likely duplicates of a case, for the dispatcher who merges them (issue #21).

A candidate is scored 0–1 from four signs, each with the words a dispatcher reads:
where (the same building, within LINLI_DUPLICATE_RADIUS_M metres, the same estate or only
the same community), when (reported within LINLI_TRIAGE_DUPLICATE_DAYS days; nearer is
stronger), what (the descriptions' character bigrams, cosine) and the category (a bonus
only: residents often pick different categories for the same burst pipe).

Only cases the merge move accepts as a master are candidates: open, of the same community,
seen by the actor and within their dispatcher areas. Read-only; at most MAX_READ rows in
one query, so a busy community costs what a quiet one does.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.accounts.models import Role
from linli.cases import selectors as case_selectors
from linli.cases.models import OPEN_STATES, Case
from linli.core.geo import metres_between
from linli.orgs.models import Area, AreaKind
from linli.triage.text import normalise

MAX_READ = 300
LIMIT = 5
# How much each sign counts; they add up to 1.
W_PLACE, W_TEXT, W_TIME, W_CATEGORY = 0.35, 0.35, 0.15, 0.15
# Place strengths: the same building (or spot) is as strong as it gets; the community alone
# is weak, since every candidate shares it.
PLACE_BUILDING, PLACE_ESTATE, PLACE_COMMUNITY = 1.0, 0.6, 0.2
# Below this a "candidate" is just another case of the community that week.
MIN_SCORE = 0.3
# Below this the descriptions are not called similar (bigram cosine of unrelated Chinese
# sentences about the same estate sits around 0.1–0.2).
SIMILAR_TEXT = 0.3


@dataclass(frozen=True)
class DuplicateCandidate:
    case: Case
    score: float  # 0–1
    reasons: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass(frozen=True)
class _Place:
    """Where the case is, as the paths its candidates are compared against."""

    building: Area | None
    estate: Area | None


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of each normalised run (no bigram across a space); a one-character
    run counts as itself, so "漏" still meets "漏"."""
    counts: Counter[str] = Counter()
    for run in normalise(text).split():
        if len(run) == 1:
            counts[run] += 1
        counts.update(run[i:i + 2] for i in range(len(run) - 1))
    return counts


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(n * b[g] for g, n in a.items() if g in b)
    norm = math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0


def _place_of(area: Area) -> _Place:
    above = {a.kind: a for a in area.ancestors()} | {area.kind: area}
    return _Place(above.get(AreaKind.BUILDING), above.get(AreaKind.ESTATE))


def _distance(case: Case, other: Case) -> float | None:
    if None in (case.lat, case.lng, other.lat, other.lng):
        return None
    return metres_between(case.lat, case.lng, other.lat, other.lng)  # type: ignore[arg-type]


def place_score(case: Case, place: _Place, other: Case) -> tuple[float, list[str]]:
    """How close `other` is to `case`, with the words for it (the strongest sign only, and
    the distance when both have coordinates)."""
    reasons = []
    strength = PLACE_COMMUNITY
    if place.building is not None and other.area_path.startswith(place.building.path):
        strength = PLACE_BUILDING
        reasons.append(_("Same building"))
    elif place.building is None and other.area_id == case.area_id:
        strength = PLACE_BUILDING
        reasons.append(_("Same place"))
    metres = _distance(case, other)
    radius = settings.DUPLICATE_RADIUS_M
    if metres is not None and metres <= radius:
        # Within the radius: from as strong as the estate at its edge to the building's.
        nearness = 1 - metres / radius if radius else 1.0
        strength = max(strength, PLACE_ESTATE + (PLACE_BUILDING - PLACE_ESTATE) * nearness)
        reasons.append(_("%(metres)d m apart") % {"metres": round(metres)})
    if strength == PLACE_COMMUNITY and place.estate is not None \
            and other.area_path.startswith(place.estate.path):
        strength = PLACE_ESTATE
        reasons.append(_("Same estate"))
    if not reasons:
        reasons.append(_("Same community"))
    return strength, reasons


def time_score(case: Case, other: Case, window: timedelta) -> tuple[float, list[str]]:
    gap = abs(case.reported_at - other.reported_at)
    strength = max(0.0, 1 - gap / window) if window else 0.0
    # Read as the dispatcher reads the page: how long ago the other case came in.
    now = timezone.now()
    if now - other.reported_at < timedelta(minutes=1):
        return strength, [_("Just now")]
    return strength, [_("%(time)s ago") % {"time": timesince(other.reported_at, now, depth=1)}]


def text_score(mine: Counter[str], other: Case) -> tuple[float, list[str]]:
    similarity = cosine(mine, bigrams(other.description))
    if similarity < SIMILAR_TEXT:
        return similarity, []
    return similarity, [_("Similar description %(percent)d%%")
                        % {"percent": round(similarity * 100)}]


def score_candidate(case: Case, place: _Place, mine: Counter[str], other: Case,
                    window: timedelta) -> DuplicateCandidate:
    where, where_why = place_score(case, place, other)
    when, when_why = time_score(case, other, window)
    what, what_why = text_score(mine, other)
    same_category = other.category_id == case.category_id
    score = (W_PLACE * where + W_TEXT * what + W_TIME * when
             + (W_CATEGORY if same_category else 0.0))
    reasons = where_why + when_why + what_why + ([_("Same category")] if same_category else [])
    return DuplicateCandidate(other, round(min(1.0, score), 4), reasons)


def _candidates(actor, case: Case, window: timedelta):
    """The cases `case` could be merged into: open, of its community, seen by the actor
    and within their dispatcher areas (the merge move asks both), near it in time."""
    dispatcher_q = scope.scope_q(actor, roles=[Role.DISPATCHER], path_field="area_path")
    return (case_selectors.case_list(actor=actor)
            .filter(dispatcher_q if not actor.is_superuser else Q(),
                    community_id=case.community_id, state__in=OPEN_STATES,
                    reported_at__gte=case.reported_at - window,
                    reported_at__lte=case.reported_at + window)
            .exclude(pk=case.pk)[:MAX_READ])


def duplicate_candidates(*, actor, case: Case, limit: int = LIMIT) -> list[DuplicateCandidate]:
    """The `limit` open cases most likely the same problem as `case`, best first."""
    window = timedelta(days=settings.TRIAGE_DUPLICATE_DAYS)
    place = _place_of(case.area)
    mine = bigrams(case.description)
    scored = [score_candidate(case, place, mine, other, window)
              for other in _candidates(actor, case, window)]
    kept = [c for c in scored if c.score >= MIN_SCORE]
    kept.sort(key=lambda c: (-c.score, -c.case.reported_at.timestamp(), -c.case.pk))
    return kept[:max(0, limit)]
