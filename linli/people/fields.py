"""Encrypted columns for sensitive personal data (DESIGN.md §7).

A sensitive value lives in two columns: `<name>_cipher` (AES-GCM, linli.core.crypto) and,
where exact lookup is needed, `<name>_hash` (keyed hash). Nothing else stores the value in
clear: not the masked text, not the audit log. Reading it goes through `SensitiveValue`,
whose str() is the masked form, so templates and serializers mask by default.
"""

from dataclasses import dataclass

from linli.core.crypto import decrypt, mask_id_number, mask_name, mask_phone

MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "name": mask_name}


def mask_text(text: str) -> str:
    """Generic mask for free text (health notes, care details): keep nothing readable."""
    return "***" if text else ""


@dataclass(frozen=True)
class SensitiveValue:
    kind: str
    cipher: str

    @property
    def masked(self) -> str:
        return MASKERS.get(self.kind, mask_text)(self.reveal_unaudited())

    def reveal_unaudited(self) -> str:
        """Only for `people.reveal` (which audits) and masking; never call it elsewhere."""
        return decrypt(self.cipher) if self.cipher else ""

    def __str__(self) -> str:
        return self.masked

    def __bool__(self) -> bool:
        return bool(self.cipher)


def age(birth_date, today=None) -> int | None:
    """Whole years. Pages show the age, not the birth date: the date fills in 8 of the 10
    digits a masked ID number hides."""
    if birth_date is None:
        return None
    from django.utils import timezone

    today = today or timezone.localdate()
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month,
                                                                        birth_date.day))
