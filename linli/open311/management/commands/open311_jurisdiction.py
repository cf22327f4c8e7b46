"""`linli open311_jurisdiction`: publish a community through Open311.

  linli open311_jurisdiction add hualou.example.gov.cn --community 420103001001 [--default]
  linli open311_jurisdiction add-sandbox sandbox.hualou.example.gov.cn [--key "街坊 App"]
  linli open311_jurisdiction list

`add-sandbox` makes (or reuses) a community of its own in the "Open311 sandbox" tree,
which nobody staffs and no route leads from, publishes it at the test endpoint
(/open311/test/v2/) and, with --key, prints a key for it.
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
        sandbox = sub.add_parser("add-sandbox",
                                 help="publish a sandbox at the test endpoint, on a "
                                      "community nobody staffs (made here)")
        sandbox.add_argument("jurisdiction_id")
        sandbox.add_argument("--key", metavar="APP",
                             help="also issue a key for the app APP (printed once)")
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
            if action == "add-sandbox":
                self._sandbox(options["jurisdiction_id"], options.get("key"))
                return
        except ApplicationError as error:
            raise CommandError(error.message) from None
        for row in Jurisdiction.objects.select_related("community"):
            flags = " ".join(f for f, on in (("default", row.is_default),
                                             ("sandbox", row.is_sandbox),
                                             ("inactive", not row.is_active)) if on)
            self.stdout.write(f"{row.jurisdiction_id}  {row.community.name}  {flags}".rstrip())

    def _sandbox(self, jurisdiction_id: str, app: str | None) -> None:
        row = services.sandbox_add(actor=None, jurisdiction_id=jurisdiction_id)
        self.stdout.write(f"Sandbox {row} on {row.community.name} ({row.community.code}), "
                          "served at /open311/test/v2/.")
        if app:
            key, raw = services.api_key_issue(actor=None, app_name=app,
                                              communities=[row.community])
            self.stderr.write(f"Issued key {key.prefix} for {key.app_name}, for the sandbox "
                              "only. It is shown this once; Linli keeps only a hash.")
            self.stdout.write(raw)
