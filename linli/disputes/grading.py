"""三色预警: a dispute's grade from the rules in `GradeRule` (data an administrator edits).

The grade is the highest yellow/red outcome among the rules that hold (green when none
does), then one level up for each "raise" rule that holds, never past red. The codes of the
rules that held are kept with the dispute (`grade_reasons`) so the page can say why.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db.models import Q

from linli.disputes.models import LEVELS, Condition, Dispute, Grade, GradeRule, Outcome, Party


@dataclass(frozen=True)
class Facts:
    """What the rules look at, gathered before the dispute row exists."""

    people_involved: int
    violence_threat: bool = False
    petition_risk: bool = False
    vulnerable_party: bool = False
    # Days since the last dispute between the same parties (None: never).
    repeat_after_days: int | None = None


def _holds(rule: GradeRule, facts: Facts) -> bool:
    if rule.condition == Condition.PEOPLE_AT_LEAST:
        return facts.people_involved >= (rule.threshold or 0)
    if rule.condition == Condition.VIOLENCE:
        return facts.violence_threat
    if rule.condition == Condition.PETITION:
        return facts.petition_risk
    if rule.condition == Condition.VULNERABLE:
        return facts.vulnerable_party
    if rule.condition == Condition.REPEAT_WITHIN:
        return (facts.repeat_after_days is not None
                and facts.repeat_after_days <= (rule.threshold or 0))
    return False


def grade_for(facts: Facts, rules: list[GradeRule] | None = None) -> tuple[str, list[str]]:
    """(grade, codes of the rules that held)."""
    if rules is None:
        rules = list(GradeRule.objects.filter(is_active=True))
    held = [rule for rule in rules if _holds(rule, facts)]
    level = 0
    for rule in held:
        if rule.outcome == Outcome.YELLOW:
            level = max(level, 1)
        elif rule.outcome == Outcome.RED:
            level = max(level, 2)
    level += sum(1 for rule in held if rule.outcome == Outcome.RAISE)
    return LEVELS[min(level, len(LEVELS) - 1)], [rule.code for rule in held]


def rank(grade: str) -> int:
    return LEVELS.index(Grade(grade))


def party_keys(parties) -> set[str]:
    """Who a party is, comparable across disputes without decrypting: the registry
    resident's id, else the keyed hash of the ID number, else of the name and phone."""
    keys = set()
    for party in parties:
        if party.resident_id:
            keys.add(f"r{party.resident_id}")
        elif party.id_number_hash:
            keys.add(f"i{party.id_number_hash}")
        elif party.name_hash:
            keys.add(f"n{party.name_hash}:{party.phone_hash}")
    return keys


def _keys_q_values(keys: set[str]) -> tuple[list[int], list[str], list[str]]:
    residents = [int(k[1:]) for k in keys if k.startswith("r")]
    ids = [k[1:] for k in keys if k.startswith("i")]
    names = [k[1:].split(":")[0] for k in keys if k.startswith("n")]
    return residents, ids, names


class _PartyKeys(NamedTuple):
    """The columns `party_keys` reads: enough to compare parties, no ciphertext loaded."""

    resident_id: int | None
    id_number_hash: str
    name_hash: str
    phone_hash: str


def last_between(keys: set[str], *, before: datetime, exclude_id: int | None = None
                 ) -> Dispute | None:
    """The latest earlier dispute whose parties include the same people: all of them when
    there is one party, at least two otherwise."""
    if not keys:
        return None
    residents, ids, names = _keys_q_values(keys)
    match = Q(resident_id__in=residents) | Q(id_number_hash__in=ids) | Q(name_hash__in=names)
    dispute_ids = set(Party.objects.filter(match, dispute__registered_at__lt=before)
                      .values_list("dispute_id", flat=True))
    dispute_ids.discard(exclude_id)
    # A frequent party (a resident with many disputes, a common name) brings many
    # candidates: compare them on the key columns alone, not as model rows
    # (bench/disputes.py measured that as most of a registration's time at 50,000).
    parties_of: dict[int, list[_PartyKeys]] = defaultdict(list)
    for dispute_id, resident_id, id_hash, name_hash, phone_hash in Party.objects.filter(
            dispute_id__in=dispute_ids).values_list(
            "dispute_id", "resident_id", "id_number_hash", "name_hash", "phone_hash"):
        parties_of[dispute_id].append(_PartyKeys(resident_id, id_hash, name_hash, phone_hash))
    needed = min(2, len(keys))
    same = [pk for pk, parties in parties_of.items()
            if len(party_keys(parties) & keys) >= needed]
    return Dispute.objects.filter(pk__in=same).order_by("-registered_at", "-id").first()


def repeat_after_days(keys: set[str], *, at: datetime, exclude_id: int | None = None
                      ) -> int | None:
    earlier = last_between(keys, before=at, exclude_id=exclude_id)
    if earlier is None:
        return None
    return max(0, (at - earlier.registered_at) // timedelta(days=1))
