"""`linli open311_jurisdiction`: publish a community through Open311.

  linli open311_jurisdiction add hualou.example.gov.cn --community 420103001001 [--default]
  linli open311_jurisdiction list
"""

from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.open311 import services
from linli.open311.management.commands.open311_key import community_named
from linli.open311.models import Jurisdiction


class Command(BaseCommand):
    help = "Publish communities through Open311 (jurisdictions)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="publish a community under a jurisdiction_id")
        add.add_argument("jurisdiction_id")
        add.add_argument("--community", required=True, help="the community's code or id")
        add.add_argument("--default", action="store_true",
                         help="used when a client sends no jurisdiction_id")
        sub.add_parser("list", help="list jurisdictions")

    def handle(self, *args, action: str, **options):
        try:
            if action == "add":
                row = services.jurisdiction_save(
                    actor=None, jurisdiction=None, jurisdiction_id=options["jurisdiction_id"],
                    community=community_named(options["community"]),
                    is_default=options["default"])
                self.stdout.write(f"Published {row.community.name} as {row}.")
                return
        except ApplicationError as error:
            raise CommandError(error.message) from None
        for row in Jurisdiction.objects.select_related("community"):
            flags = " ".join(f for f, on in (("default", row.is_default),
                                             ("inactive", not row.is_active)) if on)
            self.stdout.write(f"{row.jurisdiction_id}  {row.community.name}  {flags}".rstrip())
