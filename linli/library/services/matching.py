"""Suggested providers for a need: pure reads, ranked by a score with its reasons in words.

Candidates: the listed (active) providers of the need's community. Each scores

    score = KIND (3)      if the need's kind is one of the provider's kinds of service
          + SKILL (2)     if one of the provider's skill words is in the need's words
          + NEAR[level]   where they serve, against the need's place: the deepest place
                          both lie in — same building (3), estate (2), grid (1),
                          community (0)
          + (avg - 3) / 2 the average rating of their served, rated bookings (1 to 5
                          stars: -1 to +1), when rated at least once
          + 2 * (d - 2f) / (d + f + 2)
                          the delivery record of their decided matches: d delivered,
                          f did not deliver; each failure weighs twice a delivery, so a
                          provider who keeps failing sinks (about -4 at worst, +2 at best)

Highest first, then by name; only the providers whose kind or skills fit the need, unless
none does (then every provider, so staff still have a choice); at most five. The ratings
and the delivery records are two aggregate queries over all candidates (no query per
provider); the places one query.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from linli.library.models import Need, Provider
from linli.library.selectors_providers import track_records
from linli.orgs.models import Area, AreaKind

KIND = 3.0
SKILL = 2.0
NEAR: dict[str, float] = {AreaKind.BUILDING: 3.0, AreaKind.ESTATE: 2.0, AreaKind.GRID: 1.0,
        AreaKind.COMMUNITY: 0.0}
LIMIT = 5


@dataclass
class Suggestion:
    provider: Provider
    score: float
    reasons: list[str] = field(default_factory=list)
    kind_match: bool = False
    skill_match: bool = False
    rating: float | None = None
    ratings: int = 0
    delivered: int = 0
    failed: int = 0


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _level_words() -> dict[str, str]:
    return {AreaKind.BUILDING: _("same building"), AreaKind.ESTATE: _("same estate"),
            AreaKind.GRID: _("same grid"), AreaKind.COMMUNITY: _("same community")}


def _skill_words(skills: str) -> list[str]:
    return [w for w in re.split(r"[\s,，、;；/]+", skills or "") if len(w) >= 2]


def _nearest(need_ids: list[int], provider_path: str, kinds: dict[int, str]) -> str:
    """The kind of the deepest place both the need and the provider's area lie in,
    coarsened to building, estate, grid or community."""
    common = None
    for a, b in zip(need_ids, _ids(provider_path), strict=False):
        if a != b:
            break
        common = a
    kind = kinds.get(common) if common is not None else None
    if kind in (AreaKind.BUILDING, AreaKind.ENTRANCE, AreaKind.DWELLING):
        return AreaKind.BUILDING
    if kind in (AreaKind.ESTATE, AreaKind.GRID):
        return kind
    return AreaKind.COMMUNITY


def suggest_providers(need: Need, limit: int = LIMIT) -> list[Suggestion]:
    """The listed providers of the need's community, best first, with their reasons."""
    providers = list(Provider.objects.filter(community_id=need.community_id, is_active=True))
    if not providers:
        return []
    need_ids = _ids(need.area_path)
    kinds = dict(Area.objects.filter(pk__in=need_ids).values_list("pk", "kind"))
    ratings, delivery = track_records([p.pk for p in providers])
    words = _level_words()
    out = []
    for provider in providers:
        score, reasons = 0.0, []
        kind_match = bool(need.kind) and need.kind in (provider.service_kinds or [])
        if kind_match:
            score += KIND
            reasons.append(_("same kind of service"))
        skills = [w for w in _skill_words(provider.skills) if w in need.text]
        if skills:
            score += SKILL
            reasons.append(_("skills: %(words)s") % {"words": "、".join(skills[:3])})
        level = _nearest(need_ids, provider.area_path, kinds)
        score += NEAR[level]
        reasons.append(words[level])
        found = Suggestion(provider=provider, score=0, kind_match=kind_match,
                           skill_match=bool(skills))
        if provider.pk in ratings:
            avg, n = ratings[provider.pk]
            score += (avg - 3) / 2
            found.rating, found.ratings = round(avg, 1), n
            reasons.append(_("rated %(avg).1f (%(n)d times)") % {"avg": avg, "n": n})
        d, f, _pending = delivery.get(provider.pk, (0, 0, 0))
        if d or f:
            score += 2 * (d - 2 * f) / (d + f + 2)
            found.delivered, found.failed = d, f
            reasons.append(_("delivered %(d)d times, did not deliver %(f)d") %
                           {"d": d, "f": f})
        found.score = round(score, 2)
        found.reasons = reasons
        out.append(found)
    out.sort(key=lambda s: (-s.score, s.provider.name, s.provider.pk))
    fitting = [s for s in out if s.kind_match or s.skill_match]
    return (fitting or out)[:limit]
