"""Every write to the registers of households and residents, and every reveal.

ID numbers and phones are written only as ciphertext plus a keyed hash (`linli.core.crypto`);
nothing here puts a clear value into the audit log, an error message or a log line. Care tags,
plans, visits and consents are in `care.py`; the retention job in `retention.py`.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.accounts import scope
from linli.accounts.models import Role
from linli.core.audit import audit_record, diff, snapshot
from linli.core.context import current_request
from linli.core.crypto import blind_index, encrypt
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.people import permissions, sensitive
from linli.people.models import AccessLog, Gender, Household, Outcome, Relation, Resident, Tenure
from linli.people.validators import (
    id_number_birth_date,
    id_number_gender,
    id_number_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)

# What a reveal may show; the key is written to the access log.
REVEAL_FIELDS = {
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("phone"),
    "tags": gettext_lazy("care tags"),
    "plan": gettext_lazy("care plan contacts and needs"),
    "findings": gettext_lazy("visit findings"),
}
PURPOSE_MIN, PURPOSE_MAX = 2, 200


def purpose_acceptable(purpose: str) -> bool:
    """A stated purpose says something: 2 to 200 characters with at least one letter.

    Two characters because a Chinese purpose is often one word (核对, 走访); at least one
    letter (any script) so that "11" or "..." does not pass for a reason.
    """
    return (PURPOSE_MIN <= len(purpose) <= PURPOSE_MAX
            and any(ch.isalpha() for ch in purpose))


class Keep:
    """Marks an argument of an update that was not given: the stored value stays."""


KEEP = Keep()


# --- access log ------------------------------------------------------------------------

def access_record(*, actor, resident: Resident | None, field: str, outcome: str,
                  purpose: str = "", area_path: str = "") -> AccessLog:
    """One row of the access audit: who saw (or tried to see) whose what, and why."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AccessLog.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "",
        resident=resident, field=field[:32], purpose=purpose[:200], outcome=outcome,
        area_path=area_path or (resident.area_path if resident is not None else ""),
        ip=current_request().ip)


# --- households ------------------------------------------------------------------------

def _check_dwelling(actor, dwelling: Area | None) -> Area:
    if dwelling is None or dwelling.kind != AreaKind.DWELLING:
        raise ValidationFailed(_("Choose a dwelling (a flat or house) of the area tree."),
                               code="bad_dwelling")
    if not permissions.can_keep(actor, dwelling.path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    return dwelling


@transaction.atomic
def household_create(*, actor, dwelling: Area) -> Household:
    _check_dwelling(actor, dwelling)
    household = Household.objects.create(dwelling=dwelling, area_path=dwelling.path)
    audit_record(actor=actor, action="household.created", obj=household,
                 area_path=dwelling.path, changes={"dwelling": dwelling.pk})
    return household


def _open_household(actor, dwelling: Area) -> Household:
    """The household living at the dwelling now, or a new one."""
    _check_dwelling(actor, dwelling)
    found = (Household.objects.filter(dwelling=dwelling, members__moved_out__isnull=True)
             .order_by("-id").first())
    return found or household_create(actor=actor, dwelling=dwelling)


@transaction.atomic
def household_move_out(*, actor, household: Household, moved_out: date | None = None) -> int:
    """Move every current member out; returns how many moved."""
    if not permissions.can_keep(actor, household.area_path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    members = list(household.members.filter(moved_out__isnull=True))
    for resident in members:
        resident_move_out(actor=actor, resident=resident, moved_out=moved_out)
    return len(members)


# --- cleaning input --------------------------------------------------------------------

def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ValidationFailed(_("Enter the name (at most 64 characters)."), code="bad_name")
    return name


def _clean_id_number(value: str, exclude_pk: int | None = None) -> str:
    number = normalize_id_number(value)
    if not number:
        return ""
    problem = id_number_problem(number)
    if problem:
        raise ValidationFailed(problem, code="bad_id_number")
    others = Resident.objects.filter(id_number_hash=blind_index(number))
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise Conflict(_("A resident with this ID number is already registered. If they "
                         "moved, they must first be moved out at the old address."),
                       code="duplicate_id_number")
    return number


def _clean_phone(value: str) -> str:
    phone = normalize_phone(value)
    if not phone:
        return ""
    problem = phone_problem(phone)
    if problem:
        raise ValidationFailed(problem, code="bad_phone")
    return phone


def _clean_choices(relation: str, tenure: str, gender: str) -> None:
    if relation not in Relation.values:
        raise ValidationFailed(_("Choose the relation to the head of household."),
                               code="bad_relation")
    if tenure not in Tenure.values:
        raise ValidationFailed(_("Choose owner, tenant or other."), code="bad_tenure")
    if gender and gender not in Gender.values:
        raise ValidationFailed(_("Choose male or female."), code="bad_gender")


def _birth_and_gender(id_number: str, birth_date: date | None, gender: str
                      ) -> tuple[date | None, str]:
    """Fill the birth date and gender from the ID number; refuse a contradiction."""
    if not id_number:
        return birth_date, gender
    born, sex = id_number_birth_date(id_number), id_number_gender(id_number)
    if birth_date is not None and birth_date != born:
        raise ValidationFailed(_("The birth date does not match the one in the ID number."),
                               code="birth_date_mismatch")
    if gender and gender != sex:
        raise ValidationFailed(_("The gender does not match the ID number (its 17th digit)."),
                               code="gender_mismatch")
    return born, sex


def _check_dates(birth_date: date | None, moved_in: date | None,
                 moved_out: date | None = None) -> None:
    today = timezone.localdate()
    if birth_date is not None and birth_date > today:
        raise ValidationFailed(_("The birth date is in the future."), code="bad_date")
    if moved_in is not None and moved_out is not None and moved_out < moved_in:
        raise ValidationFailed(_("The move-out date is before the move-in date."),
                               code="bad_date")


def _check_user_link(user, dwelling: Area, resident_pk: int | None = None) -> None:
    if user is None:
        return
    if not scope.has_role(user, Role.RESIDENT, dwelling):
        raise ValidationFailed(_("That login is not a resident of this dwelling."),
                               code="bad_user")
    others = Resident.objects.filter(user=user)
    if resident_pk is not None:
        others = others.exclude(pk=resident_pk)
    if others.exists():
        raise Conflict(_("That login already belongs to another resident record."),
                       code="user_taken")


def _seal(resident: Resident, id_number: str, phone: str) -> None:
    resident.id_number_cipher, resident.id_number_hash = encrypt(id_number), blind_index(
        id_number)
    resident.phone_cipher, resident.phone_hash = encrypt(phone), blind_index(phone)


def _save(resident: Resident, **kwargs) -> None:
    """Save; a concurrent registration of the same ID number is the same conflict."""
    try:
        with transaction.atomic():
            resident.save(**kwargs)
    except IntegrityError:
        raise Conflict(_("A resident with this ID number is already registered. If they "
                         "moved, they must first be moved out at the old address."),
                       code="duplicate_id_number") from None


# --- residents -------------------------------------------------------------------------

@transaction.atomic
def resident_create(*, actor, household: Household | None = None, dwelling: Area | None = None,
                    name: str, id_number: str = "", phone: str = "",
                    birth_date: date | None = None, gender: str = "", relation: str,
                    tenure: str, moved_in: date | None = None, user=None) -> Resident:
    """Register a resident in `household`, or in the household now living at `dwelling`
    (a new one if nobody lives there)."""
    if household is None and dwelling is not None:
        household = _open_household(actor, dwelling)
    elif household is None or dwelling is not None:
        raise ValidationFailed(_("Give either the household or the dwelling."))
    elif not permissions.can_keep(actor, household.area_path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    name = _clean_name(name)
    _clean_choices(relation, tenure, gender)
    id_number, phone = _clean_id_number(id_number), _clean_phone(phone)
    birth_date, gender = _birth_and_gender(id_number, birth_date, gender)
    _check_dates(birth_date, moved_in)
    _check_user_link(user, household.dwelling)
    resident = Resident(household=household, area_path=household.area_path, name=name,
                        birth_date=birth_date, gender=gender, relation=relation, tenure=tenure,
                        moved_in=moved_in, user=user)
    _seal(resident, id_number, phone)
    _save(resident)
    audit_record(actor=actor, action="resident.created", obj=resident,
                 area_path=resident.area_path,
                 changes={"household": household.pk, "relation": relation, "tenure": tenure,
                          "id_number": "set" if id_number else "", "phone":
                          "set" if phone else ""})
    return resident


PLAIN_FIELDS = ["name", "birth_date", "gender", "relation", "tenure", "moved_in"]


def _check_writable(actor, resident: Resident) -> None:
    if not permissions.can_keep(actor, resident.area_path):
        raise PermissionDenied(_("You can only keep the registers of your own areas."))
    if resident.anonymised_at is not None:
        raise ValidationFailed(_("This record was anonymised after the resident moved out; "
                                 "it can no longer be changed."), code="anonymised")


def _apply_plain(resident: Resident, values: dict[str, Any]) -> None:
    given = {k: v for k, v in values.items() if not isinstance(v, Keep)}
    if "name" in given:
        given["name"] = _clean_name(given["name"])
    for key, value in given.items():
        setattr(resident, key, value)
    _clean_choices(resident.relation, resident.tenure, resident.gender)


@transaction.atomic
def resident_update(*, actor, resident: Resident, name: str | Keep = KEEP,
                    id_number: str | Keep = KEEP, phone: str | Keep = KEEP,
                    birth_date: date | Keep | None = KEEP, gender: str | Keep = KEEP,
                    relation: str | Keep = KEEP, tenure: str | Keep = KEEP,
                    moved_in: date | Keep | None = KEEP) -> Resident:
    """Change the given fields; an empty ID number or phone clears it."""
    _check_writable(actor, resident)
    before = snapshot(resident, PLAIN_FIELDS)
    _apply_plain(resident, {"name": name, "birth_date": birth_date, "gender": gender,
                            "relation": relation, "tenure": tenure, "moved_in": moved_in})
    changed_sensitive = {}
    if isinstance(id_number, Keep):
        number = resident.id_number.reveal_unaudited()
    else:
        number = _clean_id_number(id_number, exclude_pk=resident.pk)
        resident.id_number_cipher, resident.id_number_hash = encrypt(number), blind_index(number)
        changed_sensitive["id_number"] = "changed"
    if not isinstance(phone, Keep):
        clean = _clean_phone(phone)
        resident.phone_cipher, resident.phone_hash = encrypt(clean), blind_index(clean)
        changed_sensitive["phone"] = "changed"
    # A new ID number brings its own birth date and gender unless they were given too.
    renumbered = bool(changed_sensitive.get("id_number"))
    resident.birth_date, resident.gender = _birth_and_gender(
        number, None if renumbered and isinstance(birth_date, Keep) else resident.birth_date,
        "" if renumbered and isinstance(gender, Keep) else resident.gender)
    _check_dates(resident.birth_date, resident.moved_in, resident.moved_out)
    _save(resident)
    changes = diff(resident, PLAIN_FIELDS, before)
    if "birth_date" in changes:
        # Not the dates: with a masked ID number they would give most of it away.
        changes["birth_date"] = "changed"
    audit_record(actor=actor, action="resident.updated", obj=resident,
                 area_path=resident.area_path, changes={**changes, **changed_sensitive})
    return resident


@transaction.atomic
def resident_move_out(*, actor, resident: Resident, moved_out: date | None = None) -> Resident:
    _check_writable(actor, resident)
    if resident.moved_out is not None:
        raise Conflict(_("This resident has already moved out."), code="moved_out")
    moved_out = moved_out or timezone.localdate()
    if moved_out > timezone.localdate():
        raise ValidationFailed(_("The move-out date is in the future."), code="bad_date")
    _check_dates(None, resident.moved_in, moved_out)
    resident.moved_out = moved_out
    resident.save(update_fields=["moved_out", "updated_at"])
    audit_record(actor=actor, action="resident.moved_out", obj=resident,
                 area_path=resident.area_path, changes={"moved_out": str(moved_out)})
    return resident


@transaction.atomic
def resident_link_user(*, actor, resident: Resident, user) -> Resident:
    """Link (or with None, unlink) the resident's own login, so they see their record."""
    _check_writable(actor, resident)
    _check_user_link(user, resident.household.dwelling, resident.pk)
    resident.user = user
    resident.save(update_fields=["user", "updated_at"])
    audit_record(actor=actor, action="resident.user_linked", obj=resident,
                 area_path=resident.area_path,
                 changes={"user": user.get_username() if user is not None else None})
    return resident


# --- reveal ----------------------------------------------------------------------------

def _reveal_problem(actor, resident: Resident, field: str, purpose: str):
    """The error refusing this reveal, or None."""
    if not permissions.can_read(actor, resident):
        return NotFound(_("Not found."))
    if permissions.is_own_record(actor, resident) and not permissions.can_reveal(actor,
                                                                                   resident):
        return PermissionDenied(_("Your own record is shown in full on the page \"What Linli "
                                  "holds about me\"."), code="use_own_page")
    if not permissions.can_reveal(actor, resident):
        return PermissionDenied(_("You may not reveal this resident's data."))
    if field not in REVEAL_FIELDS:
        return ValidationFailed(_("This field cannot be revealed."), code="bad_field")
    if not purpose_acceptable(purpose):
        return ValidationFailed(_("State why you need to see it, in words (2 to 200 "
                                  "characters)."),
                                code="purpose_required")
    return None


def resident_reveal(*, actor, resident: Resident, field: str, purpose: str) -> str:
    """The clear value of one field, for staff of the resident's area stating a purpose.

    Every attempt writes one AccessLog row: `revealed`, or `refused` before the error is
    raised. The refusal row commits on its own, so do not call this inside a transaction
    that the caller rolls back on error.
    """
    purpose = (purpose or "").strip()
    problem = _reveal_problem(actor, resident, field, purpose)
    if problem is not None:
        with transaction.atomic():
            access_record(actor=actor, resident=resident, field=field,
                          outcome=Outcome.REFUSED, purpose=purpose)
        raise problem
    with transaction.atomic():
        access_record(actor=actor, resident=resident, field=field, outcome=Outcome.REVEALED,
                      purpose=purpose)
        return sensitive.clear_value(resident, field)


@transaction.atomic
def resident_self_view(*, actor) -> sensitive.SelfRecord | None:
    """What Linli holds about the logged-in resident, in clear; audited as self-access."""
    if not getattr(actor, "is_authenticated", False):
        return None
    resident = (Resident.objects.filter(user=actor, anonymised_at__isnull=True)
                .select_related("household__dwelling").first())
    if resident is None:
        return None
    access_record(actor=actor, resident=resident, field="record", outcome=Outcome.SELF,
                  purpose=_("own record"))
    return sensitive.self_record(resident)


@dataclass(frozen=True)
class SealedIdentity:
    """Someone who is not in the registry (a dispute's outside party), sealed as the
    registry seals residents: ciphertext and keyed hashes only."""

    name_cipher: str
    name_hash: str
    phone_cipher: str
    phone_hash: str
    id_number_cipher: str
    id_number_hash: str


def identity_seal(*, name: str, phone: str = "", id_number: str = "") -> SealedIdentity:
    """Check and encrypt an outsider's name, phone and ID number (both optional). A bad
    value is refused with the field it is in, never with the value itself."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Give the person's name."), code="name_required")
    if len(name) > 64:
        raise ValidationFailed(_("A name is at most 64 characters."), code="name_too_long")
    phone = normalize_phone(phone or "")
    if phone and (problem := phone_problem(phone)):
        raise ValidationFailed(problem, code="bad_phone")
    number = normalize_id_number(id_number or "")
    if number and (problem := id_number_problem(number)):
        raise ValidationFailed(problem, code="bad_id_number")
    return SealedIdentity(
        encrypt(name), blind_index(name),
        encrypt(phone) if phone else "", blind_index(phone) if phone else "",
        encrypt(number) if number else "", blind_index(number) if number else "")
