"""Run inside the benchmark's Django environment (DATABASE_URL etc. set by the caller):
an API token for every demo resident, with the place they report from and the categories
they report in. Prints JSON on stdout; nothing else may print there."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django

django.setup()

from linli.accounts.models import Role, RoleAssignment  # noqa: E402
from linli.accounts.services import api_token_create  # noqa: E402
from linli.cases.models import Route  # noqa: E402

# Everyday estate matters, all routed in the demo (the route lookup is part of the work).
CATEGORIES = ["L1002", "L1001", "L1006", "06042", "01037", "L1009"]


def main() -> None:
    routed = set(Route.objects.values_list("category__code", flat=True))
    missing = [code for code in CATEGORIES if code not in routed]
    if missing:
        sys.exit(f"categories without a route: {missing}")
    reporters = []
    rows = RoleAssignment.objects.filter(role=Role.RESIDENT).select_related("user", "area")
    for row in rows.order_by("user__username"):
        _token, secret = api_token_create(actor=row.user, name="bench", days=1)
        # Report at the entrance (the stairwell light, the door): one level above home.
        reporters.append({"username": row.user.username, "token": secret,
                          "area_id": row.area.parent_id})
    json.dump({"reporters": reporters, "categories": CATEGORIES}, sys.stdout)


if __name__ == "__main__":
    main()
