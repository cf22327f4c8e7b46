"""The one place where people's ciphertext turns back into clear text, and where care tags are
named by their keyed hash.

Callers: `services.resident_reveal` (audited, with a purpose), `services.resident_self_view`
(a resident's own record, audited as self-access), and the key rotation. Masking for display
goes through `fields.SensitiveValue` and `tag_display`, which never show a sensitive value.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from linli.core.crypto import blind_index, decrypt, encrypt
from linli.people.models import CarePlan, CareTag, Resident, ResidentTag

MASK = "***"


def tag_hash(code: str, *, secret: str | None = None) -> str:
    """Keyed hash of a tag code; prefixed so it never equals the hash of a phone or ID."""
    return blind_index(f"tag:{code}", secret=secret)


def tag_seal(tag: CareTag, *, secret: str | None = None) -> tuple[str, str]:
    """(cipher, hash) stored on a ResidentTag for `tag`."""
    return encrypt(str(tag.pk), secret=secret), tag_hash(tag.code, secret=secret)


def tags_by_hash() -> dict[str, CareTag]:
    """Every care tag by its keyed hash: names a resident's tags without decrypting them."""
    return {tag_hash(tag.code): tag for tag in CareTag.objects.all()}


def tag_of(row: ResidentTag, known: dict[str, CareTag] | None = None) -> CareTag | None:
    return (known if known is not None else tags_by_hash()).get(row.tag_hash)


def tag_display(rows, known: dict[str, CareTag] | None = None) -> list[str]:
    """Names of a resident's tags for staff lists: sensitive ones masked."""
    known = known if known is not None else tags_by_hash()
    shown = []
    for row in rows:
        tag = known.get(row.tag_hash)
        shown.append(tag.name if tag is not None and not tag.is_sensitive else MASK)
    return shown


def _tags_clear(resident: Resident) -> str:
    known = tags_by_hash()
    parts = []
    for row in resident.tags.all().order_by("id"):
        tag = known.get(row.tag_hash)
        name = tag.name if tag is not None else _("(tag no longer listed)")
        note = decrypt(row.note_cipher)
        parts.append(f"{name}（{note}）" if note else name)
    return "；".join(parts)


def _plan_clear(resident: Resident) -> str:
    plan = CarePlan.objects.filter(resident=resident).first()
    if plan is None:
        return ""
    return "\n".join([
        _("Emergency contact: %(value)s") % {"value": decrypt(plan.emergency_contact_cipher)},
        _("Needs: %(value)s") % {"value": decrypt(plan.needs_cipher)},
    ])


def _findings_clear(resident: Resident) -> str:
    lines = [f"{visit.visited_on:%Y-%m-%d} {visit.get_kind_display()}: "
             f"{decrypt(visit.findings_cipher)}"
             for visit in resident.visits.all() if visit.findings_cipher]
    return "\n".join(lines)


def clear_value(resident: Resident, name: str) -> str:
    """The clear text of one revealable field (see services.REVEAL_FIELDS)."""
    if name == "id_number":
        return resident.id_number.reveal_unaudited()
    if name == "phone":
        return resident.phone.reveal_unaudited()
    if name == "tags":
        return _tags_clear(resident)
    if name == "plan":
        return _plan_clear(resident)
    if name == "findings":
        return _findings_clear(resident)
    raise KeyError(name)


def masked_value(resident: Resident, name: str) -> str:
    """What pages show in place of the field until someone reveals it."""
    if name == "id_number":
        return resident.id_number.masked
    if name == "phone":
        return resident.phone.masked
    if name == "tags":
        return "、".join(tag_display(resident.tags.all().order_by("id")))
    if name == "plan":
        plan = CarePlan.objects.filter(resident=resident).first()
        present = plan is not None and (plan.emergency_contact_cipher or plan.needs_cipher)
        return MASK if present else ""
    if name == "findings":
        return MASK if resident.visits.exclude(findings_cipher="").exists() else ""
    raise KeyError(name)


@dataclass
class SelfVisit:
    visited_on: date
    kind: str  # the code: home or phone
    kind_label: str
    findings: str


@dataclass
class SelfRecord:
    """Everything Linli holds about one resident, in clear, for that resident only."""

    resident: Resident
    id_number: str
    phone: str
    tags: list[str] = field(default_factory=list)
    emergency_contact: str = ""
    needs: str = ""
    next_visit_due: date | None = None
    grid_worker: str = ""
    visits: list[SelfVisit] = field(default_factory=list)


def self_record(resident: Resident) -> SelfRecord:
    known = tags_by_hash()
    record = SelfRecord(resident=resident, id_number=clear_value(resident, "id_number"),
                        phone=clear_value(resident, "phone"))
    for row in resident.tags.all().order_by("id"):
        tag = known.get(row.tag_hash)
        record.tags.append(tag.name if tag is not None else _("(tag no longer listed)"))
    plan = CarePlan.objects.filter(resident=resident).select_related("grid_worker").first()
    if plan is not None:
        record.emergency_contact = decrypt(plan.emergency_contact_cipher)
        record.needs = decrypt(plan.needs_cipher)
        record.next_visit_due = plan.next_visit_due
        record.grid_worker = str(plan.grid_worker)
    record.visits = [SelfVisit(v.visited_on, v.kind, v.get_kind_display(),
                               decrypt(v.findings_cipher)) for v in resident.visits.all()]
    return record
