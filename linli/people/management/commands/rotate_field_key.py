"""`linli rotate_field_key`: re-encrypt every sensitive column under a new field key.

Usual order: stop Linli; set LINLI_FIELD_KEY to the new key and LINLI_FIELD_KEY_OLD to the
old one; run this command; start Linli; remove LINLI_FIELD_KEY_OLD. `--old-key` and
`--new-key` override the variables (they show up in the process list: prefer the variables).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from linli.core.env import env_str
from linli.people.rotation import RotationError, rotate_field_key


class Command(BaseCommand):
    help = "Re-encrypt people's and accounts' sensitive columns under a new field key."

    def add_arguments(self, parser):
        parser.add_argument("--old-key", default="", help="default: $LINLI_FIELD_KEY_OLD")
        parser.add_argument("--new-key", default="", help="default: the configured key")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        old = options["old_key"] or env_str("LINLI_FIELD_KEY_OLD")
        new = options["new_key"] or settings.FIELD_ENCRYPTION_KEY
        if not old:
            raise CommandError("Give --old-key or set LINLI_FIELD_KEY_OLD.")
        if old == new:
            raise CommandError("The old and the new key are the same.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")

        def report(table: str, rows: int) -> None:
            self.stdout.write(f"{table}: {rows} rows re-encrypted")

        try:
            rotate_field_key(old=old, new=new, batch=options["batch_size"], progress=report)
        except RotationError as exc:
            raise CommandError(f"Stopped: {exc}. Batches before it are done; fix the data "
                               "or the keys and run again.") from None
        if new != settings.FIELD_ENCRYPTION_KEY:
            self.stdout.write(self.style.WARNING(
                "Set LINLI_FIELD_KEY to the new key before Linli starts again."))
        self.stdout.write(self.style.SUCCESS("Done."))
