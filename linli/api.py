"""The JSON API: one NinjaAPI, one router per app, errors as `{"code", "message"}`.

Authentication: a bearer API token (apps) or the browser session (pages, with CSRF).
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from ninja import Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from linli.accounts.api_auth import SessionAuth, TokenAuth
from linli.core.errors import ApplicationError
from linli.core.openapi import LinliAPI
from linli.core.parser import LinliParser

api = LinliAPI(
    title="Linli API",
    version="1",
    description="Linli (邻里) community governance. Errors are JSON objects with a "
    "machine-readable `code` and a human-readable `message`.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    # No badge from the public validator: nothing on the page leaves this site. Hundreds
    # of operations: the page opens with the apps' tags folded and a filter box, and
    # without the schema list at the bottom, so it draws in a moment even on a phone.
    docs=Swagger(settings={"validatorUrl": None, "docExpansion": "none", "filter": True,
                           "defaultModelsExpandDepth": -1}),
    parser=LinliParser(),
)


def _error(request, status: int, code: str, message: str, details=None):
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    return _error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    details = [
        {"field": ".".join(str(p) for p in err.get("loc", [])[1:]), "message": err.get("msg")}
        for err in exc.errors
    ]
    return _error(request, 400, "invalid", _("Some fields are missing or invalid."), details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", _("Log in or send a valid API token."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApplicationError):
        # ninja wraps what the parser refused (the wrong content type, control characters).
        return _application_error(request, exc.__cause__)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # ninja wraps a body that does not parse as JSON.
        return _error(request, 400, "bad_json", _("The request body is not valid JSON."))
    if exc.status_code == 403 and "CSRF" in str(exc):
        # ninja's session auth refuses a write without the page's CSRF token.
        return _error(request, 403, "csrf_failed",
                      _("The page has expired. Reload it and try again."))
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    # 413, as the proxy in front answers a body over its own limit: one status for both.
    return _error(request, 413, "too_large", _("The request is too large."))


@api.exception_handler(SuspiciousOperation)
@api.exception_handler(MultiPartParserError)
def _bad_request(request, exc):
    # Too many fields or files, a malformed multipart body: Django's own 400 is HTML.
    return _error(request, 400, "bad_request", _("The request could not be read."))


def not_found(request, exception=None):
    """The project's 404 (`handler404`): an address under /api/ that matches no operation
    (e.g. a non-number where a route takes `{int:id}`) answers in the API's error shape,
    as its documentation promises; pages keep Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return page_not_found(request, exception)


def _mount_routers() -> None:
    from linli.accounts.api import router as accounts_router
    from linli.cases.api import extras_router as cases_extras_router
    from linli.cases.api import router as cases_router
    from linli.core.api import router as core_router
    from linli.notifications.api import router as notifications_router
    from linli.orgs.api import router as orgs_router
    from linli.people.api import router as people_router
    from linli.points.api import router as points_router

    api.add_router("/", core_router)
    api.add_router("/accounts", accounts_router)
    api.add_router("/orgs", orgs_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/cases", cases_router)
    api.add_router("/people", people_router)
    api.add_router("/", cases_extras_router)
    api.add_router("/points", points_router)
    api.add_router("/volunteering", "linli.volunteering.api.router")
    api.add_router("/daily", "linli.dailyreports.api.router")
    # The indicators and the map first: /disputes/{dispute_id} would take their words.
    api.add_router("/disputes", "linli.disputes.api_insight.router")
    api.add_router("/disputes", "linli.disputes.api.router")
    # One router per part of inspections, all under /inspections (docs/inspections.md).
    for part in ("campaigns", "targets", "inspect", "orders", "ledger"):
        api.add_router("/inspections", f"linli.inspections.api_{part}.router")
    # One router per part of deliberation, all under /deliberation (docs/deliberation.md).
    for part in ("topics", "meetings", "votes", "results", "conventions"):
        api.add_router("/deliberation", f"linli.deliberation.api_{part}.router")
    # One router per part of community life, all under /community (docs/community.md).
    for part in ("activities", "notices", "honours", "ratings"):
        api.add_router("/community", f"linli.community.api_{part}.router")
    # One router per part of the service library, all under /library (docs/library.md).
    for part in ("providers", "services", "needs"):
        api.add_router("/library", f"linli.library.api_{part}.router")
    api.add_router("/surveys", "linli.surveys.api.router")
    api.add_router("/triage", "linli.triage.api_cases.router")
    api.add_router("/triage", "linli.triage.api.router")
    # One router per part of party work, all under /party (docs/party.md).
    for part in ("members", "contacts", "meetings", "agreements"):
        api.add_router("/party", f"linli.party.api_{part}.router")
    # One router per part of IoT, all under /iot (docs/iot.md).
    for part in ("devices", "alarms", "access"):
        api.add_router("/iot", f"linli.iot.api_{part}.router")


_mount_routers()
