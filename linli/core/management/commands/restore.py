import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.backup.archive import RestoreIncomplete, backup_restore
from linli.core.backup.databases import DatabaseToolMissing
from linli.core.backup.manifest import RestoreRefused


class Command(BaseCommand):
    help = ("Bring back a `linli backup` archive onto an empty installation with the same "
            "field-encryption key. Stop the web server and workers first.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `linli backup`.")
        parser.add_argument("--force", action="store_true",
                            help="Replace the data this installation already has.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No backup archive at {path}.")
        try:
            manifest = backup_restore(path, force=options["force"])
        except (RestoreRefused, RestoreIncomplete, DatabaseToolMissing, RuntimeError,
                tarfile.TarError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup of {manifest['created_at']} (Linli "
            f"{manifest['linli_version']}): {sum(manifest['counts'].values())} rows, "
            f"{manifest['media_files']} media files. Run `linli migrate` before starting Linli."))
