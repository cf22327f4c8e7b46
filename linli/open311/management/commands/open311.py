"""`linli open311 pull`: bring the requests of another GeoReport v2 server into Linli.

  linli open311 pull https://other.example.org/open311/v2 --into hualou.example.gov.cn
  linli open311 pull URL --community 420103001001 [--jurisdiction-id J] [--since DATE]
                         [--service-map map.json] [--fallback L9999] [--closed]

Each remote request becomes a case of channel Open311 once: a second pull creates nothing
new. The command prints what it created, what it had already and what it skipped, why.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.errors import ApplicationError
from linli.open311.dates import parse_w3c
from linli.open311.management.commands.open311_key import community_named
from linli.open311.models import Jurisdiction
from linli.open311.pull import pull
from linli.orgs.models import Area


def _service_map(path: str | None) -> dict[str, str]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"The service map {path} could not be read: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CommandError('A service map is a JSON object: {"remote code": "Linli '
                           'category code"}.')
    return {str(k): v for k, v in data.items()}


def _target(into: str | None, community: str | None) -> Area:
    if bool(into) == bool(community):
        raise CommandError("Name where the cases go: --into JURISDICTION_ID or "
                           "--community CODE (one of them).")
    if community:
        return community_named(community)
    row = Jurisdiction.objects.filter(jurisdiction_id__iexact=into).select_related(
        "community").first()
    if row is None:
        raise CommandError(f"No jurisdiction is published as {into!r} here.")
    return row.community


class Command(BaseCommand):
    help = "Open311 client: pull requests from another GeoReport v2 server as cases."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        get = sub.add_parser("pull", help="import another server's requests as cases")
        get.add_argument("url", help="the remote endpoint's base URL, e.g. "
                                     "https://example.org/open311/v2")
        get.add_argument("--jurisdiction-id", default="",
                         help="the remote jurisdiction_id, when it serves several")
        get.add_argument("--into", help="the Linli jurisdiction whose community gets them")
        get.add_argument("--community", help="or the code or id of a Linli community")
        get.add_argument("--since", help="only requests from this date on (2026-05-01 or a "
                                         "W3C date-time)")
        get.add_argument("--service-map", help='a JSON file {"remote code": "Linli code"}')
        get.add_argument("--fallback", default="",
                         help="the Linli category code for services nothing else maps")
        get.add_argument("--closed", action="store_true",
                         help="also import requests closed at the source")

    def handle(self, *args, action: str, **options):
        community = _target(options["into"], options["community"])
        try:
            since = parse_w3c(options["since"], "since") if options["since"] else None
        except ApplicationError as error:
            raise CommandError(error.message) from None
        report = pull(options["url"], community=community,
                      jurisdiction_id=options["jurisdiction_id"].strip(), since=since,
                      service_map=_service_map(options["service_map"]),
                      fallback=options["fallback"].strip(), closed=options["closed"])
        if report.failure:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
