"""What the fuzz tests share: the site as a WSGI app that keeps the test's transaction, and
API tokens for a dispatcher and a resident of the shared demo (linli/demo_fixtures.py).

In-process rather than a live server: no thread, no port, and every request sees the
demo rows of the shared transaction, which is rolled back at the end.
"""

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Repeatable by default: the same code gets the same inputs. LINLI_FUZZ_SEED explores other
# inputs (and a failure found with it comes back with the same seed); LINLI_FUZZ_EXAMPLES
# raises the count of generated examples per operation (docs/testing.md).
SEED = os.environ.get("LINLI_FUZZ_SEED")
EXAMPLES = int(os.environ.get("LINLI_FUZZ_EXAMPLES", "10"))

# Every check on every answer; a check is left out only with a written reason. Not used:
# negative_data_rejection/positive_data_acceptance (the API may accept more than the schema
# says, e.g. an unknown query parameter; the schema checks above judge the answer itself),
# and the stateful checks (use_after_free, ensure_resource_availability,
# ignored_auth, unsupported_method), which need the CLI's stateful phase.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

# Requests sent, by "<test module> <operation>": written to the data directory when a fuzz
# module ends.
SENT: Counter[str] = Counter()


class FuzzApp:
    """Django's WSGI handler without its connection clean-up, as Django's test client
    runs it: closing the connection between requests would end the test's transaction."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict, start_response) -> Iterable[bytes]:
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()  # request_finished: the request's own clean-up
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def api_schema() -> schemathesis.BaseSchema:
    """The schema /api/openapi.json serves, answered in-process by the site."""
    from linli.api import api

    schema = schemathesis.openapi.from_dict(
        api.get_openapi_schema(),
        config=schemathesis.Config.from_dict({
            **({"seed": int(SEED)} if SEED else {}),
            "generation": {
                "max-examples": EXAMPLES,
                "deterministic": SEED is None,
                # We send a real token; random credentials would only reach the 401 path,
                # which the status-code tests walk.
                "with-security-parameters": False,
            },
        }),
    )
    schema.app = FuzzApp()
    return schema


def fuzz_call(case: schemathesis.Case, headers: dict[str, str]) -> None:
    """Send one generated request as the holder of `headers`; fail on any broken check."""
    case.call_and_validate(headers=headers, checks=CHECKS)


@dataclass(frozen=True)
class FuzzLogins:
    """Bearer headers of the demo's dispatcher (staff of community A) and of a resident,
    and an Open311 api_key for the demo jurisdiction's community."""

    staff: dict[str, str]
    resident: dict[str, str]
    open311_key: str


def _bearer(username: str) -> dict[str, str]:
    from linli.accounts.models import User
    from linli.accounts.services import api_token_create

    user = User.objects.get(username=username)
    _token, secret = api_token_create(actor=user, name="fuzz")
    return {"Authorization": f"Bearer {secret}"}


def _open311_key() -> str:
    from linli.open311.demo import DEMO_JURISDICTION
    from linli.open311.models import Jurisdiction
    from linli.open311.services import MAX_RATE, api_key_issue

    community = Jurisdiction.objects.get(jurisdiction_id=DEMO_JURISDICTION).community
    _row, raw = api_key_issue(actor=None, app_name="fuzz", communities=[community],
                              rate_limit=MAX_RATE)
    return raw


def sent_write(module: str) -> None:
    """Record how many requests `module` sent for each operation (the data directory's
    fuzz-<module>.tsv), so a run's size can be read after the fact."""
    mine = {key.split(" ", 1)[1]: count for key, count in SENT.items()
             if key.split(" ", 1)[0] == module}
    lines = [f"{count}\t{operation}" for operation, count in sorted(mine.items())]
    total = sum(mine.values())
    target = Path(settings.DATA_DIR) / f"fuzz-{module.rsplit('.', 1)[-1]}.tsv"
    target.write_text("\n".join([*lines, f"{total}\ttotal"]) + "\n", encoding="utf-8")


def fuzz_logins() -> FuzzLogins:
    """Tokens of the demo's dispatcher and resident and an Open311 key, made in the shared
    demo's transaction (rolled back with it)."""
    return FuzzLogins(staff=_bearer("dispatcher"), resident=_bearer("resident"),
                      open311_key=_open311_key())
