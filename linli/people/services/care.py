"""Every write to care (一人一策): consents, care tags, care plans and visits.

A care tag needs a recorded legal basis for care data (a Consent row); which tag a resident
carries is stored only as ciphertext plus a keyed hash. Plan contacts, needs and visit findings
are ciphertext too. A visit that needs follow-up can raise a case in the same step.
"""

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases.models import Category, Channel
from linli.core.audit import audit_record
from linli.core.crypto import decrypt, encrypt, mask_phone
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.images import MAX_FILES, CleanImage, images_clean
from linli.people import permissions, sensitive
from linli.people.models import (
    AccessLog,
    CareNote,
    CarePlan,
    CareTag,
    Consent,
    DataCategory,
    Outcome,
    Resident,
    ResidentTag,
    Visit,
    VisitKind,
    VisitPhoto,
)
from linli.people.services.registry import KEEP, Keep

MAX_TEXT = 2000
MAX_VISIT_DAYS = 365


def _check_care_writable(actor, resident: Resident) -> None:
    if not permissions.can_keep(actor, resident.area_path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    if resident.anonymised_at is not None or resident.moved_out is not None:
        raise ValidationFailed(_("This resident has moved out: their care record is closed."),
                               code="moved_out")


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise ValidationFailed(_("%(field)s is at most 2000 characters.") % {"field": label},
                               code="too_long")
    return value


# --- consents --------------------------------------------------------------------------

def active_basis(resident: Resident, category: str = DataCategory.CARE) -> Consent | None:
    return (Consent.objects.filter(resident=resident, category=category,
                                   withdrawn_at__isnull=True).order_by("-id").first())


@transaction.atomic
def consent_record(*, actor, resident: Resident, basis: str, reference: str = "",
                   category: str = DataCategory.CARE) -> Consent:
    """Record the legal basis (or the person's consent) for a sensitive data category."""
    _check_care_writable(actor, resident)
    if category not in DataCategory.values:
        raise ValidationFailed(_("Unknown data category."), code="bad_category")
    if basis not in Consent.Basis.values:
        raise ValidationFailed(_("Choose the legal basis."), code="bad_basis")
    reference = (reference or "").strip()
    if len(reference) > 200:
        raise ValidationFailed(_("The reference is at most 200 characters."), code="too_long")
    consent = Consent.objects.create(resident=resident, category=category, basis=basis,
                                     reference=reference, recorded_by=actor)
    audit_record(actor=actor, action="consent.recorded", obj=resident,
                 area_path=resident.area_path,
                 changes={"consent": consent.pk, "category": category, "basis": basis})
    return consent


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent) -> Consent:
    """Withdraw a basis. With no basis left for care data, the resident's care tags and plan
    are removed: Linli may no longer process them. Visit history stays, encrypted."""
    resident = consent.resident
    if not permissions.can_keep(actor, resident.area_path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    claimed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now())
    if not claimed:
        raise Conflict(_("This basis was already withdrawn."), code="withdrawn")
    consent.refresh_from_db()
    removed = 0
    if consent.category == DataCategory.CARE and active_basis(resident) is None:
        removed = resident.tags.count()
        resident.tags.all().delete()
        CarePlan.objects.filter(resident=resident).delete()
    audit_record(actor=actor, action="consent.withdrawn", obj=resident,
                 area_path=resident.area_path,
                 changes={"consent": consent.pk, "tags_removed": removed})
    return consent


# --- tags ------------------------------------------------------------------------------

def _tag_label(tag: CareTag) -> str:
    # The audit log is read by administrators: a sensitive tag is not named there either.
    return "sensitive" if tag.is_sensitive else tag.code


@transaction.atomic
def resident_tag_add(*, actor, resident: Resident, tag: CareTag, note: str = "") -> ResidentTag:
    _check_care_writable(actor, resident)
    basis = active_basis(resident)
    if basis is None:
        raise ValidationFailed(_("Record the legal basis or the resident's consent for care "
                                 "data before adding a care tag."), code="no_legal_basis")
    cipher, digest = sensitive.tag_seal(tag)
    if resident.tags.filter(tag_hash=digest).exists():
        raise Conflict(_("The resident already has this care tag."), code="duplicate_tag")
    row = ResidentTag.objects.create(
        resident=resident, tag_cipher=cipher, tag_hash=digest,
        note_cipher=encrypt(_text(note, _("The note"))),
        legal_basis=f"{basis.basis}#{basis.pk}")
    audit_record(actor=actor, action="resident.tag_added", obj=resident,
                 area_path=resident.area_path, changes={"tag": _tag_label(tag)})
    return row


@transaction.atomic
def resident_tag_remove(*, actor, resident: Resident, tag: CareTag) -> None:
    if not permissions.can_keep(actor, resident.area_path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    deleted, _rows = resident.tags.filter(tag_hash=sensitive.tag_hash(tag.code)).delete()
    if not deleted:
        raise Conflict(_("The resident does not have this care tag."), code="no_such_tag")
    audit_record(actor=actor, action="resident.tag_removed", obj=resident,
                 area_path=resident.area_path, changes={"tag": _tag_label(tag)})


# --- care plans ------------------------------------------------------------------------

def _default_interval(resident: Resident) -> int:
    known = sensitive.tags_by_hash()
    days = [known[row.tag_hash].default_visit_days for row in resident.tags.all()
            if row.tag_hash in known]
    return min(days) if days else 30


def _check_plan(resident: Resident, grid_worker, every: int) -> None:
    if active_basis(resident) is None or not resident.tags.exists():
        raise ValidationFailed(_("A care plan is for a resident with a care tag and a "
                                 "recorded legal basis."), code="no_legal_basis")
    if grid_worker is None or not permissions.is_grid_worker_for(grid_worker,
                                                                 resident.area_path):
        raise ValidationFailed(_("The responsible person must be a grid worker of the "
                                 "resident's grid."), code="bad_grid_worker")
    if not 1 <= every <= MAX_VISIT_DAYS:
        raise ValidationFailed(_("Visit every 1 to 365 days."), code="bad_interval")


@transaction.atomic
def care_plan_save(*, actor, resident: Resident, grid_worker, visit_every_days: int | None = None,
                   emergency_contact: str | Keep = KEEP, needs: str | Keep = KEEP,
                   next_visit_due: date | None = None) -> CarePlan:
    """Create the resident's care plan or change it. Contacts and needs left as KEEP stay."""
    _check_care_writable(actor, resident)
    plan = CarePlan.objects.filter(resident=resident).first()
    every = visit_every_days or (plan.visit_every_days if plan else _default_interval(resident))
    _check_plan(resident, grid_worker, every)
    created = plan is None
    if plan is None:
        plan = CarePlan(resident=resident, area_path=resident.area_path,
                        next_visit_due=next_visit_due or timezone.localdate())
    elif next_visit_due is not None:
        plan.next_visit_due = next_visit_due
    plan.grid_worker, plan.visit_every_days = grid_worker, every
    if not isinstance(emergency_contact, Keep):
        plan.emergency_contact_cipher = encrypt(_text(emergency_contact,
                                                      _("The emergency contact")))
    if not isinstance(needs, Keep):
        plan.needs_cipher = encrypt(_text(needs, _("The needs")))
    plan.save()
    audit_record(actor=actor, action="care_plan.created" if created else "care_plan.updated",
                 obj=resident, area_path=resident.area_path,
                 changes={"grid_worker": grid_worker.get_username(), "visit_every_days": every,
                          "next_visit_due": str(plan.next_visit_due)})
    return plan


# --- visits ----------------------------------------------------------------------------

def _check_visit(resident: Resident, visited_on: date, kind: str) -> CarePlan:
    plan = CarePlan.objects.select_for_update().filter(resident=resident).first()
    if plan is None:
        raise ValidationFailed(_("Make a care plan for this resident first."), code="no_plan")
    if kind not in VisitKind.values:
        raise ValidationFailed(_("Choose a home visit or a phone call."), code="bad_kind")
    if visited_on is None or visited_on > timezone.localdate():
        raise ValidationFailed(_("The visit date cannot be in the future."), code="bad_date")
    return plan


def _raise_case(actor, resident: Resident, category: Category | None, description: str):
    from linli.cases.services import case_report

    if category is None:
        raise ValidationFailed(_("Choose the category of the case to raise."),
                               code="bad_category")
    # Never public: it concerns one person's care. Placed at the dwelling it is about.
    return case_report(actor=actor, category=category, area=resident.household.dwelling,
                       description=description, channel=Channel.GRID_PATROL, is_public=False)


@transaction.atomic
def visit_record(*, actor, resident: Resident, visited_on: date, kind: str, findings: str = "",
                 follow_up_needed: bool = False, photos: Sequence = (), raise_case: bool = False,
                 case_category: Category | None = None, case_description: str = "",
                 clean_photos: Sequence[CleanImage] = ()) -> Visit:
    """Record a visit; the plan's next due date moves on. With `raise_case`, a case is
    reported from the grid patrol channel in the same step and linked to the visit.
    `clean_photos` are photos cleaned already (held while the form came back, see
    core/held.py); `photos`, uploads still to be checked."""
    _check_care_writable(actor, resident)
    plan = _check_visit(resident, visited_on, kind)
    images = [*clean_photos, *images_clean(photos)]
    if len(images) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d photos at a time.") % {"n": MAX_FILES},
                               code="too_many_photos")
    next_due = visited_on + timedelta(days=plan.visit_every_days)
    # Only a visit that moves the schedule on meets the current due date (see Visit.due_on).
    met = plan.next_visit_due if next_due > plan.next_visit_due else None
    case = _raise_case(actor, resident, case_category, case_description) if raise_case else None
    visit = Visit.objects.create(
        resident=resident, visitor=actor, visited_on=visited_on, kind=kind,
        findings_cipher=encrypt(_text(findings, _("The findings"))), due_on=met,
        follow_up_needed=follow_up_needed or raise_case, case=case,
        area_path=resident.area_path)
    for index, image in enumerate(images):
        full, thumb = image.files(f"visit{visit.pk}-{index}")
        VisitPhoto.objects.create(visit=visit, image=full, thumbnail=thumb,
                                  content_type=image.content_type)
    if met is not None:
        plan.next_visit_due = next_due
        plan.save(update_fields=["next_visit_due", "updated_at"])
    audit_record(actor=actor, action="visit.recorded", obj=resident,
                 area_path=resident.area_path,
                 changes={"visit": visit.pk, "kind": kind, "photos": len(images),
                          "case": case.pk if case else None})
    return visit


# --- notes from other apps ---------------------------------------------------------------

@transaction.atomic
def care_note_add(*, author, resident: Resident, text: str, source: str) -> CareNote:
    """A note for the resident's care plan from outside the registers (a party member who
    keeps in touch with the household): the caller's service checked the author's right.
    The plan's grid worker is told; the note is kept encrypted and shown on the plan."""
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from linli.notifications.services import notify
    from linli.notifications.text import Text

    if resident.anonymised_at is not None or resident.moved_out is not None:
        raise ValidationFailed(_("This resident has moved out: their care record is closed."),
                               code="moved_out")
    plan = CarePlan.objects.filter(resident=resident).select_related("grid_worker").first()
    if plan is None:
        raise ValidationFailed(_("This resident has no care plan."), code="no_plan")
    text = _text(text, _("The note"))
    if not text:
        raise ValidationFailed(_("Write the note."), code="note_required")
    source = (source or "")[:32]
    note = CareNote.objects.create(resident=resident, author=author, source=source,
                                   text_cipher=encrypt(text), area_path=resident.area_path)
    audit_record(actor=author, action="care_note.recorded", obj=resident,
                 area_path=resident.area_path, changes={"note": note.pk, "source": source})
    notify(recipients=[plan.grid_worker], kind="people.care_note",
           title=Text(gettext_noop("A note for a care plan")),
           body=Text(gettext_noop("A visitor left a note for a resident you look after.")),
           link=reverse("people:resident", args=[resident.pk]), subject=resident,
           source_key=f"people.care_note:{note.pk}")
    return note


# --- machines acting for a care plan (IoT: a help button, a quiet door) -----------------------

# A mainland mobile number in the free text of an emergency contact ("女儿 王丽 13812345678").
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
SYSTEM_LABEL = "system"


def _active_plan(resident: Resident) -> CarePlan | None:
    if resident.anonymised_at is not None or resident.moved_out is not None:
        return None
    return CarePlan.objects.filter(resident=resident).first()


@transaction.atomic
def care_contact_for_alert(*, resident: Resident, purpose: str) -> tuple[str, str]:
    """The emergency contact's mobile number, in clear, for a machine alert (a help button
    pressed): (number, masked number), or ("", "") when the plan names none. Reading the
    contact is a reveal without a person: one AccessLog row with the purpose, as a person's
    reveal writes (DESIGN.md §7)."""
    plan = _active_plan(resident)
    if plan is None or not plan.emergency_contact_cipher:
        return "", ""
    AccessLog.objects.create(actor=None, actor_label=SYSTEM_LABEL, resident=resident,
                             field="plan", purpose=purpose[:200], outcome=Outcome.REVEALED,
                             area_path=resident.area_path)
    found = _MOBILE.search(decrypt(plan.emergency_contact_cipher).replace(" ", "")
                           .replace("-", ""))
    number = found.group(0) if found else ""
    return number, mask_phone(number) if number else ""


@transaction.atomic
def care_welfare_check_raise(*, resident: Resident, source: str,
                             at: datetime | None = None) -> CarePlan | None:
    """A welfare check for the resident (their door has been quiet too long): the plan's
    next visit falls due today, so it is on the grid worker's list now. None when the
    resident has no care plan any more (consent withdrawn, moved out)."""
    plan = _active_plan(resident)
    if plan is None:
        return None
    plan = CarePlan.objects.select_for_update().get(pk=plan.pk)
    today = timezone.localdate(at) if at is not None else timezone.localdate()
    before = plan.next_visit_due
    if before > today:
        plan.next_visit_due = today
        plan.save(update_fields=["next_visit_due", "updated_at"])
    audit_record(actor=None, action="care_plan.updated", obj=resident,
                 area_path=resident.area_path,
                 changes={"next_visit_due": [str(before), str(plan.next_visit_due)],
                          "source": source[:32]})
    return plan
