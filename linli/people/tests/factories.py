"""Test data for the registers: valid ID numbers and residents written through the services."""

from datetime import date
from importlib import import_module

from linli.people import services
from linli.people.models import CareTag, Consent, Resident
from linli.people.validators import id_number_check_digit


def id_number(area: str = "420103", born: date = date(1980, 1, 1), serial: int = 123) -> str:
    """A valid GB 11643 ID number for the given area code, birth date and serial (odd: male)."""
    first17 = f"{area}{born:%Y%m%d}{serial:03d}"
    return first17 + id_number_check_digit(first17)


def resident(actor, dwelling, name: str = "王建国", **fields) -> Resident:
    defaults = {"relation": "head", "tenure": "owner"}
    return services.resident_create(actor=actor, dwelling=dwelling, name=name,
                                    **(defaults | fields))


def standard_tags() -> None:
    """The seven tags the data migration seeds. A transactional test empties every table
    when it ends, seeds included, so tests that follow one put them back."""
    seed = import_module("linli.people.migrations.0004_seed_care_tags")
    for code, name, sensitive, days in seed.STANDARD_TAGS:
        CareTag.objects.get_or_create(code=code, defaults={
            "name": name, "is_sensitive": sensitive, "default_visit_days": days})


def tag(code: str = "lonely_elderly") -> CareTag:
    standard_tags()
    return CareTag.objects.get(code=code)


def cared_for(actor, person: Resident, grid_worker, *tags: str, **plan):
    """Basis, tags and a plan, as a dispatcher records them for a resident in care."""
    services.consent_record(actor=actor, resident=person, basis=Consent.Basis.LEGAL_DUTY,
                                 reference="民政发〔2024〕1号")
    for code in tags or ("lonely_elderly",):
        services.resident_tag_add(actor=actor, resident=person, tag=tag(code))
    return services.care_plan_save(actor=actor, resident=person, grid_worker=grid_worker,
                                        **plan)
