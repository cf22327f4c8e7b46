"""Re-encrypting every sensitive column under a new field key (DESIGN.md §7).

Each value is decrypted with the old key and encrypted with the new one, and each keyed hash
is recomputed from the clear value under the new key. Rows go in batches of `batch`, each
batch in one transaction: a value that opens under neither key stops the run and rolls its
batch back, leaving the batches before it done. A value that already opens under the new key
is kept, so a stopped run can simply be started again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from django.db import models, transaction

from linli.accounts.models import User
from linli.core.crypto import blind_index, decrypt, encrypt
from linli.people.models import CarePlan, CareTag, Resident, ResidentTag, Visit
from linli.people.sensitive import tag_hash


class RotationError(Exception):
    pass


@dataclass(frozen=True)
class Column:
    cipher: str
    hash: str = ""
    # How the keyed hash is made from the clear value; the default hashes the value itself.
    hash_of: Callable[[str, str], str] | None = None


def _plain_hash(clear: str, secret: str) -> str:
    return blind_index(clear, secret=secret)


def _tag_hash(clear: str, secret: str) -> str:
    # A ResidentTag's cipher holds the CareTag id; its hash is of the tag's code.
    code = CareTag.objects.values_list("code", flat=True).get(pk=int(clear))
    return tag_hash(code, secret=secret)


TABLES: list[tuple[type[models.Model], list[Column]]] = [
    (Resident, [Column("id_number_cipher", "id_number_hash", _plain_hash),
                Column("phone_cipher", "phone_hash", _plain_hash)]),
    (ResidentTag, [Column("tag_cipher", "tag_hash", _tag_hash), Column("note_cipher")]),
    (CarePlan, [Column("emergency_contact_cipher"), Column("needs_cipher")]),
    (Visit, [Column("findings_cipher")]),
    (User, [Column("phone_cipher", "phone_hash", _plain_hash), Column("otp_secret_cipher")]),
]


def _rekey(token: str, old: str, new: str) -> tuple[str, str]:
    """(the token under the new key, the clear value)."""
    try:
        clear = decrypt(token, secret=old)
    except (InvalidTag, ValueError):
        try:
            return token, decrypt(token, secret=new)  # done by an earlier run
        except (InvalidTag, ValueError):
            raise RotationError("a value opens under neither the old nor the new key") from None
    return encrypt(clear, secret=new), clear


def _rotate_row(row: models.Model, columns: list[Column], old: str, new: str) -> None:
    for column in columns:
        token = getattr(row, column.cipher)
        if not token:
            continue
        sealed, clear = _rekey(token, old, new)
        setattr(row, column.cipher, sealed)
        if column.hash and column.hash_of is not None:
            setattr(row, column.hash, column.hash_of(clear, new))


def _rotate_table(model: type[models.Model], columns: list[Column], old: str, new: str,
                  batch: int) -> int:
    fields = [c.cipher for c in columns] + [c.hash for c in columns if c.hash]
    done, after = 0, 0
    while True:
        with transaction.atomic():
            rows = list(model._default_manager.select_for_update().filter(pk__gt=after)
                        .order_by("pk").only("pk", *fields)[:batch])
            if not rows:
                return done
            for row in rows:
                try:
                    _rotate_row(row, columns, old, new)
                except RotationError as exc:
                    raise RotationError(f"{model._meta.label} #{row.pk}: {exc}") from None
            model._default_manager.bulk_update(rows, fields)
        done, after = done + len(rows), rows[-1].pk


def rotate_field_key(*, old: str, new: str, batch: int = 1000,
                     progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Rows visited per table. Raises RotationError (its batch rolled back) on bad data."""
    if not old or not new or old == new:
        raise RotationError("give two different keys")
    counts = {}
    for model, columns in TABLES:
        counts[model._meta.label] = _rotate_table(model, columns, old, new, batch)
        if progress is not None:
            progress(model._meta.label, counts[model._meta.label])
    return counts
