"""`linli open311_key`: issue, list and revoke the API keys apps use to file Open311
requests. Run by the operator, who holds the database; every change is audited.

  linli open311_key issue --app "街坊 App" --community 420103001001 [--rate 60]
  linli open311_key list
  linli open311_key revoke <prefix>
"""

from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.open311 import services
from linli.open311.models import ApiKey
from linli.orgs.models import Area, AreaKind


def community_named(ref: str) -> Area:
    """A community by its code (12 digits) or its id."""
    found = Area.objects.filter(kind=AreaKind.COMMUNITY, code=ref).first()
    if found is None and ref.isdigit():
        found = Area.objects.filter(kind=AreaKind.COMMUNITY, pk=int(ref)).first()
    if found is None:
        raise CommandError(f"No community has the code or id {ref!r}.")
    return found


class Command(BaseCommand):
    help = "Issue, list or revoke Open311 API keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a key (printed once)")
        issue.add_argument("--app", required=True, help="the app's name")
        issue.add_argument("--community", action="append", required=True,
                           help="code or id of a community it may report into (repeatable)")
        issue.add_argument("--rate", type=int, default=60, help="requests per minute")
        sub.add_parser("list", help="list keys")
        revoke = sub.add_parser("revoke", help="revoke a key")
        revoke.add_argument("prefix", help="the key's prefix (as `list` shows it)")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as error:
            raise CommandError(error.message) from None

    def _issue(self, app: str, community: list[str], rate: int, **options) -> None:
        areas = [community_named(ref) for ref in community]
        key, raw = services.api_key_issue(actor=None, app_name=app, communities=areas,
                                          rate_limit=rate)
        self.stderr.write(f"Issued key {key.prefix} for {key.app_name}. It is shown this "
                          "once; Linli keeps only a hash.")
        self.stdout.write(raw)

    def _list(self, **options) -> None:
        for key in ApiKey.objects.prefetch_related("communities").order_by("created_at"):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            names = ", ".join(c.name for c in key.communities.all())
            self.stdout.write(f"{key.prefix}  {key.app_name}  {key.rate_limit}/min  {state}  "
                              f"{names}")

    def _revoke(self, prefix: str, **options) -> None:
        key = ApiKey.objects.filter(prefix=prefix.strip()).first()
        if key is None:
            raise CommandError(f"No key has the prefix {prefix!r}.")
        services.api_key_revoke(actor=None, api_key=key)
        self.stdout.write(f"Revoked {key}.")
