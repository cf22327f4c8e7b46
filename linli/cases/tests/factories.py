from decimal import Decimal

from linli.cases.models import Category, Route


def category(code: str = "L1003", **overrides) -> Category:
    """A leaf category like the fixture's pipe leak: urgent, 1 h to accept, 8 h to handle."""
    group, _ = Category.objects.get_or_create(code=code[:2], defaults={"name_zh": "分组"})
    defaults = {"parent": group, "name_zh": "管道漏水", "name_en": "Pipe leak",
                "triage": "major", "priority": "urgent", "accept_limit": Decimal("1"),
                "handle_limit": Decimal("8"), "limit_unit": "work_hours"}
    defaults.update(overrides)
    cat, _ = Category.objects.get_or_create(code=code, defaults=defaults)
    return cat


def route(cat: Category, area, unit) -> Route:
    return Route.objects.create(category=cat, area=area, unit=unit)
