"""Writing checked residents rows: households first, then residents, in the caller's
transaction, each ID number and phone as AES-GCM ciphertext plus a keyed hash.

`bulk_create` everywhere; on PostgreSQL the same rows go through COPY instead, because
Django's bulk_create spends most of a 100,000-row import preparing values one field at a
time (see docs/performance.md). Both paths write exactly the same columns.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.crypto import blind_index, encrypt
from linli.core.errors import Conflict
from linli.people.imports.cells import Person
from linli.people.models import Household, Resident

_BATCH = 2000
# The resident columns an import fills; the others keep their defaults (NULL or "").
RESIDENT_FIELDS = ["household", "area_path", "name", "id_number_cipher", "id_number_hash",
                   "phone_cipher", "phone_hash", "birth_date", "gender", "relation", "tenure",
                   "moved_in", "moved_out", "created_at", "updated_at"]

Key = tuple[int, str]  # (dwelling, head's name): one new household


def _new_households(people: list[Person]) -> dict[Key, str]:
    """The households to create, with their dwelling's path."""
    new: dict[Key, str] = {}
    for person in people:
        if person.household_id is None:
            new.setdefault((person.dwelling_id, person.head_name), person.dwelling_path)
    return new


def _values(person: Person, household_id: int, now) -> tuple:
    """One resident's values in RESIDENT_FIELDS order, sealed."""
    return (household_id, person.dwelling_path, person.name, encrypt(person.id_number),
            person.id_hash, encrypt(person.phone), blind_index(person.phone),
            person.birth_date, person.gender, person.relation, person.tenure,
            person.moved_in, person.moved_out, now, now)


def _household_ids_bulk(new: dict[Key, str]) -> dict[Key, int]:
    rows = [Household(dwelling_id=key[0], area_path=path) for key, path in new.items()]
    Household.objects.bulk_create(rows, batch_size=_BATCH)
    return {key: row.pk for key, row in zip(new, rows, strict=True)}


def _residents_bulk(rows: list[tuple]) -> None:
    names = ["household_id" if f == "household" else f for f in RESIDENT_FIELDS]
    Resident.objects.bulk_create([Resident(**dict(zip(names, row, strict=True)))
                                  for row in rows], batch_size=_BATCH)


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _household_ids_copy(new: dict[Key, str], now) -> dict[Key, int]:
    table = connection.ops.quote_name(Household._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                       "FROM generate_series(1, %s)", [Household._meta.db_table, len(new)])
        ids = dict(zip(new, (row[0] for row in cursor.fetchall()), strict=True))
        columns = ", ".join(_column(Household, f) for f in ("id", "dwelling", "area_path",
                                                           "created_at"))
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for key, path in new.items():
                copy.write_row((ids[key], key[0], path, now))
    return ids


def _residents_copy(rows: list[tuple]) -> None:
    table = connection.ops.quote_name(Resident._meta.db_table)
    columns = ", ".join(_column(Resident, f) for f in RESIDENT_FIELDS)
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _integrity_errors() -> tuple[type[Exception], ...]:
    if connection.vendor == "postgresql":
        import psycopg

        return IntegrityError, psycopg.IntegrityError  # COPY raises the driver's own
    return (IntegrityError,)


def registry_write(people: list[Person]) -> tuple[int, int]:
    """Write checked rows: (households created, residents created). Rows without a
    `household_id` form new households by (dwelling, head's name). In the caller's
    transaction; the caller audits."""
    new, now = _new_households(people), timezone.now()
    copying = connection.vendor == "postgresql"
    try:
        with transaction.atomic():
            ids = _household_ids_copy(new, now) if copying else _household_ids_bulk(new)
            rows = [_values(p, p.household_id or ids[(p.dwelling_id, p.head_name)], now)
                    for p in people]
            (_residents_copy if copying else _residents_bulk)(rows)
    except _integrity_errors():
        # Someone registered one of these ID numbers since the file was checked.
        raise Conflict(_("A resident in the file was registered by someone else while "
                         "importing; nothing was imported. Please try again."),
                       code="duplicate_id_number") from None
    return len(new), len(rows)
