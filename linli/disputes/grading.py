"""三色预警: a dispute's grade from the rules in `GradeRule` (data an administrator edits).

The grade is the highest yellow/red outcome among the rules that hold (green when none
does), then one level up for each "raise" rule that holds, never past red. The codes of the
rules that held are kept with the dispute (`grade_reasons`) so the page can say why.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

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


def last_between(keys: set[str], *, before: datetime, exclude_id: int | None = None
                 ) -> Dispute | None:
    """The latest earlier dispute whose parties include the same people: all of them when
    there is one party, at least two otherwise."""
    if not keys:
        return None
    residents, ids, names = _keys_q_values(keys)
    candidates = (Party.objects.filter(dispute__registered_at__lt=before)
                  .filter(resident_id__in=residents) | Party.objects.filter(
                      dispute__registered_at__lt=before, id_number_hash__in=ids or ["-"])
                  | Party.objects.filter(dispute__registered_at__lt=before,
                                         name_hash__in=names or ["-"]))
    dispute_ids = set(candidates.values_list("dispute_id", flat=True))
    dispute_ids.discard(exclude_id)
    needed = min(2, len(keys))
    found = None
    for dispute in (Dispute.objects.filter(pk__in=dispute_ids)
                    .prefetch_related("parties").order_by("-registered_at")):
        if len(party_keys(dispute.parties.all()) & keys) >= needed:
            found = dispute
            break
    return found


def repeat_after_days(keys: set[str], *, at: datetime, exclude_id: int | None = None
                      ) -> int | None:
    earlier = last_between(keys, before=at, exclude_id=exclude_id)
    if earlier is None:
        return None
    return max(0, (at - earlier.registered_at) // timedelta(days=1))
