"""Similar past disputes (类案参考): when a dispute is registered, the mediator sees the
earlier disputes like it in their areas, why each is alike and how it ended.

"Past" is every other dispute in the actor's scope registered before this one. Alike, in
the order they rank:
1. the same parties: who a party is compared by `grading.party_keys` (never decrypting),
   by the repeat rule's measure: all of them when there is one party, two otherwise;
2. the same type at the same place: the estate the place lies in (else its building,
   else the place itself), so a neighbours' quarrel in 花楼小区 finds the earlier ones
   of any building there;
3. similar words: the share of character pairs (bigrams) the two summaries have in common
   (Dice coefficient, in Python), over a bounded set: the CANDIDATES latest earlier
   disputes, plus those found by 1 and 2 (each bounded the same way).
Within a rank, more words in common first, then the latest.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import pairwise

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linli.disputes.grading import party_keys
from linli.disputes.indicators import working_days
from linli.disputes.models import Agreement, Dispute, Party
from linli.disputes.selectors import dispute_list
from linli.orgs.models import Area, AreaKind

CANDIDATES = 200      # earlier disputes compared by words, and the bound of each lookup
WORDS_AT_LEAST = 0.3  # Dice coefficient of the summaries' bigrams
MAX_LIMIT = 20

SAME_PARTIES = "same_parties"
SAME_TYPE_PLACE = "same_type_place"
SIMILAR_WORDS = "similar_words"
REASONS = {
    SAME_PARTIES: _("same parties"),
    SAME_TYPE_PLACE: _("same type + place"),
    SIMILAR_WORDS: _("similar words"),
}


@dataclass(frozen=True)
class Similar:
    dispute: Dispute
    why: tuple[str, ...]         # codes of REASONS, in rank order
    words: float                 # the summaries' bigram overlap, 0 to 1
    has_agreement: bool
    days: Decimal | None         # working days from registration to the end; None if open

    @property
    def reasons(self) -> list[str]:
        return [str(REASONS[code]) for code in self.why]

    @property
    def state(self) -> str:
        return str(self.dispute.get_state_display())

    @property
    def resolved(self) -> bool | None:
        return self.dispute.resolved


def bigrams(text: str) -> set[str]:
    """Pairs of neighbouring letters or characters, punctuation and spaces left out."""
    chars = [c for c in text.lower() if c.isalnum()]
    return {a + b for a, b in pairwise(chars)}


def overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def place_path(area: Area) -> str:
    """The path of the place disputes are compared at: estate, else building, else the
    area itself."""
    for kind in (AreaKind.ESTATE, AreaKind.BUILDING):
        found = area.ancestor_of_kind(kind)
        if found is not None:
            return found.path
    return area.path


def _earlier(actor, dispute: Dispute) -> QuerySet[Dispute]:
    before = Q(registered_at__lt=dispute.registered_at) | Q(
        registered_at=dispute.registered_at, pk__lt=dispute.pk)
    return dispute_list(actor=actor).filter(before).exclude(pk=dispute.pk)


def same_parties_query(earlier: QuerySet[Dispute], keys: set[str]) -> QuerySet[Dispute, int]:
    """The ids of the latest earlier disputes with a party of `keys` (bounded)."""
    residents = [int(k[1:]) for k in keys if k.startswith("r")]
    ids = [k[1:] for k in keys if k.startswith("i")]
    names = [k[1:].split(":")[0] for k in keys if k.startswith("n")]
    match = Q(resident_id__in=residents) | Q(id_number_hash__in=ids) | Q(name_hash__in=names)
    # The parties' indexed keys narrow first, the scope and "earlier" then filter the few
    # disputes found: `dispute__in=earlier` made SQLite list every earlier dispute in scope
    # (all of a street's history) before probing a party (bench/disputes.py).
    matched = Party.objects.filter(match).values("dispute_id")
    return earlier.filter(pk__in=matched).values_list("pk", flat=True)[:CANDIDATES * 4]


def _same_parties_ids(earlier: QuerySet[Dispute], keys: set[str]) -> set[int]:
    return set(same_parties_query(earlier, keys))


def _candidates(actor, dispute: Dispute, keys: set[str]) -> list[Dispute]:
    earlier = _earlier(actor, dispute)
    ids = set(earlier.values_list("pk", flat=True)[:CANDIDATES])
    ids |= set(earlier.filter(kind=dispute.kind, area_path__startswith=place_path(
        dispute.area)).values_list("pk", flat=True)[:CANDIDATES])
    if keys:
        ids |= _same_parties_ids(earlier, keys)
    return list(Dispute.objects.filter(pk__in=ids).select_related("area")
                .prefetch_related("parties"))


def _why(dispute: Dispute, other: Dispute, keys: set[str], place: str,
         words: float) -> tuple[str, ...]:
    why = []
    if keys and len(party_keys(other.parties.all()) & keys) >= min(2, len(keys)):
        why.append(SAME_PARTIES)
    if other.kind == dispute.kind and other.area_path.startswith(place):
        why.append(SAME_TYPE_PLACE)
    if words >= WORDS_AT_LEAST:
        why.append(SIMILAR_WORDS)
    return tuple(why)


def _days(other: Dispute) -> Decimal | None:
    end: datetime | None = other.ended_at or other.referred_at or other.closed_at
    return working_days(other.registered_at, end).quantize(Decimal("0.1")) if end else None


def similar_to(*, actor, dispute: Dispute, limit: int = 5) -> list[Similar]:
    """Up to `limit` earlier disputes in the actor's scope like `dispute`, best first."""
    limit = max(1, min(limit, MAX_LIMIT))
    keys = party_keys(dispute.parties.all())
    place = place_path(dispute.area)
    words = bigrams(dispute.summary)
    found = []
    for other in _candidates(actor, dispute, keys):
        score = overlap(words, bigrams(other.summary))
        why = _why(dispute, other, keys, place, score)
        if why:
            found.append((other, why, score))
    found.sort(key=lambda f: (SAME_PARTIES in f[1], SAME_TYPE_PLACE in f[1], f[2],
                              f[0].registered_at, f[0].pk), reverse=True)
    best = found[:limit]
    agreed = set(Agreement.objects.filter(dispute__in=[f[0] for f in best])
                 .values_list("dispute_id", flat=True))
    return [Similar(dispute=other, why=why, words=round(score, 2),
                    has_agreement=other.pk in agreed, days=_days(other))
            for other, why, score in best]
