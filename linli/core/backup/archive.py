"""One installation in one tar.gz: manifest.json, the database, media/ (docs/operations.md
"Backups"). Used by `linli backup` and `linli restore`.

The database is copied first and the uploaded files after it: files are only ever added, so
every file the copied database refers to is in the archive (a photo uploaded meanwhile may
be there too, unreferenced, which is harmless).
"""

import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from linli.core.backup.databases import database_dump, database_load, vendor
from linli.core.backup.manifest import (
    RestoreRefused,
    live_state,
    manifest_build,
    manifest_check,
)
from linli.core.models import AuditEntry

MANIFEST = "manifest.json"
MEDIA = "media"


class RestoreIncomplete(Exception):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def backup_create(path: Path) -> BackupResult:
    """Writes the archive to `path` (through a temporary name, so a failed backup never
    leaves a complete-looking archive behind)."""
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=path.parent) as workdir:
        database_file, state = database_dump(Path(workdir))
        media_root, media = Path(settings.MEDIA_ROOT), _media_files()
        manifest = manifest_build(vendor=vendor(), database_file=database_file, state=state,
                                  media_files=len(media))
        manifest_path = Path(workdir) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        # The archive holds personal data (encrypted, but also names and addresses).
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") \
                as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            tar.add(Path(workdir) / database_file, arcname=database_file)
            for file in media:
                tar.add(file, arcname=f"{MEDIA}/{file.relative_to(media_root).as_posix()}")
    partial.replace(path)
    return BackupResult(path, path.stat().st_size, manifest)


def archive_manifest(path: Path) -> dict[str, Any]:
    with tarfile.open(path, "r:gz") as tar:
        member = tar.extractfile(MANIFEST)
        if member is None:
            raise RestoreRefused(f"{path} has no {MANIFEST}: not a Linli backup.")
        return json.loads(member.read())


def installation_has_data() -> bool:
    """Whether anyone has used this installation: a user account or an audit entry.
    (A freshly migrated database holds only reference data its migrations wrote.)"""
    connection = connections["default"]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return any(model._meta.db_table in tables and model.objects.exists()
               for model in (get_user_model(), AuditEntry))


def _media_extract(tar: tarfile.TarFile) -> int:
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    members = [m for m in tar.getmembers() if m.name.startswith(f"{MEDIA}/") and m.isfile()]
    for member in members:
        member.name = member.name[len(MEDIA) + 1:]
    tar.extractall(root, members=members, filter="data")  # refuses ../ and absolute names
    return len(members)


def backup_restore(path: Path, *, force: bool = False) -> dict[str, Any]:
    """Brings the archive back onto this installation; returns its manifest."""
    manifest = archive_manifest(path)
    manifest_check(manifest, vendor=vendor())
    if not force and installation_has_data():
        raise RestoreRefused(
            "This installation already has data (user accounts or audit entries); a restore "
            "replaces all of it. Restore onto an empty database, or add --force to replace it.")
    if not force and _media_files():
        raise RestoreRefused(
            f"The media directory {settings.MEDIA_ROOT} already holds files. Restore into an "
            "empty one, or add --force to add the archive's files to them.")
    with tempfile.TemporaryDirectory() as workdir, tarfile.open(path, "r:gz") as tar:
        database_file = manifest["database"]["file"]
        tar.extract(database_file, workdir, filter="data")
        database_load(Path(workdir) / database_file)
        _media_extract(tar)
    differing = [label for label, count in live_state().counts.items()
                 if manifest["counts"].get(label, count) != count]
    if differing:
        raise RestoreIncomplete(
            "The restored database does not hold the rows the manifest counts "
            f"({', '.join(differing[:5])}); the archive is damaged. Do not use this installation.")
    return manifest
