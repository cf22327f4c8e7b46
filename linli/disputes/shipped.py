"""The grading rules (三色预警) and mediation deadlines Linli ships with. Migration 0002
writes them into a new database; administrators edit them afterwards (the admin site).
`ship_defaults` puts back whatever is missing — the demo calls it, because a test run that
empties every table also removes seeded rows — and leaves existing rows as they are."""

from decimal import Decimal

from django.db import models

# condition, threshold, outcome
RULES = [
    ("people_at_least", 5, "yellow"),
    ("people_at_least", 30, "red"),
    ("violence", None, "red"),
    ("petition", None, "red"),
    ("repeat_within", 90, "raise"),
    ("vulnerable", None, "raise"),
]
KINDS = ["neighbour", "property", "family", "marriage", "debt", "labour", "other"]
MEDIATION_LIMIT = (Decimal(30), "work_days")  # 人民调解: mediate within 30 days


def ship_defaults(grade_rule: type[models.Model], kind_limit: type[models.Model]) -> None:
    """Take the model classes, so the migration can pass its historical models."""
    if not grade_rule._default_manager.exists():
        for condition, threshold, outcome in RULES:
            grade_rule._default_manager.create(condition=condition, threshold=threshold,
                                               outcome=outcome)
    amount, unit = MEDIATION_LIMIT
    for kind in KINDS:
        kind_limit._default_manager.get_or_create(kind=kind, defaults={
            "amount": amount, "unit": unit})
