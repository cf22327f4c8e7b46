"""Which rule applies to a message, and whether a reading breaches it. The rules are data
(models.AlarmRule, shipped.py); they change rarely and every message reads them, so each
process keeps them for RULES_SECONDS."""

import time
from decimal import Decimal

from linli.iot.models import AlarmRule, Operator, Source

RULES_SECONDS = 30.0
_cache: dict[str, object] = {"at": -1e9, "rules": []}


def active_rules() -> list[AlarmRule]:
    now = time.monotonic()
    if now - float(_cache["at"]) > RULES_SECONDS:  # type: ignore[arg-type]
        _cache["rules"] = list(AlarmRule.objects.filter(is_active=True))
        _cache["at"] = now
    return _cache["rules"]  # type: ignore[return-value]


def forget() -> None:
    """Read the rules afresh on the next message (tests, and after an edit)."""
    _cache["at"] = -1e9


def rule_for(kind: str, alarm_type: str) -> AlarmRule | None:
    """The kind's own rule for the type, else the rule for every kind."""
    found = None
    for rule in active_rules():
        if rule.alarm_type == alarm_type and rule.kind in (kind, ""):
            if rule.kind == kind:
                return rule
            found = rule
    return found


def reading_rules(kind: str) -> list[AlarmRule]:
    """The rules a telemetry reading is checked against: the kind's thresholds, and those
    of every kind (a low battery)."""
    return [rule for rule in active_rules()
            if rule.kind in (kind, "") and rule.metric and rule.threshold is not None
            and rule.source in (Source.READING, Source.HEALTH)]


def breaches(rule: AlarmRule, value: Decimal) -> bool:
    threshold = rule.threshold
    assert threshold is not None
    results: dict[str, bool] = {
        Operator.GT: value > threshold, Operator.GE: value >= threshold,
        Operator.LT: value < threshold, Operator.LE: value <= threshold}
    return results.get(rule.operator, False)
