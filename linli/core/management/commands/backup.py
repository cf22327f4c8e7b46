from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from linli.core.backup.archive import backup_create
from linli.core.backup.databases import DatabaseToolMissing


class Command(BaseCommand):
    help = ("Write the database, the uploaded files and a manifest to one tar.gz archive. "
            "The field-encryption key is not included: keep it apart (docs/operations.md).")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="",
                            help="Archive file, or a directory for linli-backup-<time>.tar.gz "
                                 "(default: the current directory).")

    def handle(self, *args, **options):
        path = Path(options["path"] or ".")
        if path.is_dir():
            path = path / f"linli-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        if not path.parent.is_dir():
            raise CommandError(f"No directory {path.parent} to write the backup to.")
        started = timezone.now()
        try:
            result = backup_create(path)
        except (DatabaseToolMissing, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        seconds = (timezone.now() - started).total_seconds()
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(
            f"Backup written: {result.path} ({result.size / 1e6:.1f} MB, {seconds:.1f} s; "
            f"{manifest['database']['vendor']} database, {sum(manifest['counts'].values())} "
            f"rows, {manifest['media_files']} media files; field key fingerprint "
            f"{manifest['field_key_fingerprint']}, the key itself is not in the archive)."))
