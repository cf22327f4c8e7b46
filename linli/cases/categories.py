"""Loading the category tree from CSV (the fixture, or a deployment's own edited copy)."""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from linli.cases.models import Category, LimitUnit, Priority, Triage
from linli.core.errors import ValidationFailed

FIXTURE = Path(__file__).parent / "fixtures" / "categories.csv"
COLUMNS = ["code", "parent_code", "name_zh", "name_en", "triage", "priority",
           "accept_limit", "handle_limit", "limit_unit", "standard_ref"]


def _decimal(value: str, row: int) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationFailed(_("Row %(row)d: %(value)s is not a number.") % {
            "row": row, "value": value}) from None


def _check_choice(value: str, choices, row: int, column: str) -> None:
    if value and value not in choices.values:
        raise ValidationFailed(_("Row %(row)d: %(value)s is not a valid %(column)s.") % {
            "row": row, "value": value, "column": column})


@transaction.atomic
def categories_load(path: Path = FIXTURE) -> int:
    """Create or update categories from the CSV; returns how many rows were loaded."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_code: dict[str, Category] = {}
    for number, row in enumerate(rows, start=2):
        _check_choice(row["triage"], Triage, number, "triage")
        _check_choice(row["priority"], Priority, number, "priority")
        _check_choice(row["limit_unit"], LimitUnit, number, "limit_unit")
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        if row["parent_code"] and parent is None:
            raise ValidationFailed(_("Row %(row)d: the parent %(code)s must come first.") % {
                "row": number, "code": row["parent_code"]})
        category, _created = Category.objects.update_or_create(
            code=row["code"],
            defaults={
                "parent": parent, "name_zh": row["name_zh"], "name_en": row["name_en"],
                "triage": row["triage"], "priority": row["priority"],
                "accept_limit": _decimal(row["accept_limit"], number),
                "handle_limit": _decimal(row["handle_limit"], number),
                "limit_unit": row["limit_unit"], "standard_ref": row["standard_ref"],
            },
        )
        by_code[category.code] = category
    return len(rows)
