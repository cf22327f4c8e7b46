"""The manifest of a backup: what the archive holds, and the checks a restore makes with it.

It names the field-encryption key by its fingerprint only (crypto.key_fingerprint): the key
never goes into a backup, so that a stolen archive does not reveal the personal data in it.
"""

import importlib.metadata
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from linli.core.crypto import key_fingerprint

FORMAT = 1


@dataclass
class DatabaseState:
    """Applied migrations per app, and rows per model (by label)."""

    migrations: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def model_tables() -> dict[str, str]:
    """Every model's table, by the model's label (many-to-many tables included)."""
    return {model._meta.label: model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy}


_TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


def database_state(cursor, vendor: str) -> DatabaseState:
    """The state seen by a DB-API `cursor` (any connection, e.g. one holding a snapshot)."""
    cursor.execute(_TABLES_SQL[vendor])
    present = {row[0] for row in cursor.fetchall()}
    state = DatabaseState()
    if "django_migrations" in present:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            state.migrations.setdefault(app, []).append(name)
    for label, table in sorted(model_tables().items()):
        if table in present:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (model tables)
            state.counts[label] = cursor.fetchone()[0]
    return state


def live_state() -> DatabaseState:
    connection = connections["default"]
    with connection.cursor() as cursor:
        return database_state(cursor, connection.vendor)


def manifest_build(*, vendor: str, database_file: str, state: DatabaseState,
                   media_files: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "linli_version": importlib.metadata.version("linli"),
        "database": {"vendor": vendor, "file": database_file},
        "migrations": state.migrations,
        "counts": state.counts,
        "media_files": media_files,
        "field_key_fingerprint": key_fingerprint(),
    }


class RestoreRefused(Exception):
    pass


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in manifest["migrations"].items()
            for name in names if (app, name) not in on_disk]


def manifest_check(manifest: dict[str, Any], *, vendor: str) -> None:
    """Refuses an archive this installation cannot take, saying why."""
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(f"Not a Linli backup of format {FORMAT} "
                             f"(manifest format: {manifest.get('format')!r}).")
    if manifest["database"]["vendor"] != vendor:
        raise RestoreRefused(
            f"The archive holds a {manifest['database']['vendor']} database; this installation "
            f"uses {vendor}. Restore it onto a {manifest['database']['vendor']} installation.")
    if manifest["field_key_fingerprint"] != key_fingerprint():
        raise RestoreRefused(
            "The field-encryption key (LINLI_FIELD_KEY) of this installation is not the one the "
            f"backup was made with (fingerprint {key_fingerprint()}, the backup's "
            f"{manifest['field_key_fingerprint']}). The personal data in the backup could "
            "not be decrypted. Set LINLI_FIELD_KEY (embedded default: the file "
            "LINLI_DATA_DIR/field_key) to the key kept apart from your backups and run the "
            "restore again.")
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise RestoreRefused(
            f"The backup was made by a newer Linli ({manifest['linli_version']}); this code does "
            f"not know its migrations {', '.join(unknown[:5])}. Install that version first.")
