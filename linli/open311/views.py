"""GeoReport v2 endpoints. Each view parses the query, calls a selector or `intake`, and
renders in the format the URL's suffix asks for; every refusal is the spec's error list."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation, TooManyFilesSent
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from linli.cases.selectors.public import merged_into_public
from linli.core.bounds import MAX_ID, MAX_PAGE, MAX_PAGE_SIZE
from linli.core.errors import ApplicationError, NotFound, ValidationFailed
from linli.open311 import intake, present, selectors, updates
from linli.open311.dates import MAX_RESULTS, w3c, window
from linli.open311.models import Jurisdiction, ServiceAttribute
from linli.open311.render import error_response, respond
from linli.open311.status import EXTENDED_STATUSES, STATUSES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


class MethodNotAllowed(ApplicationError):
    status = 405
    code = "method_not_allowed"


# What a browser on another web origin may do (CORS). Reading is public and carries no
# cookies or credentials; filing and posting updates are not opened to web pages, where
# an api_key would be a key given to everyone. POST is a "CORS-safelisted" method, so
# leaving it out of Access-Control-Allow-Methods would not stop a browser: a preflight
# that asks for POST is answered without Access-Control-Allow-Origin instead, so the
# browser never sends that POST (rather than filing a request whose answer the page
# could not read). `Allow` still lists every method the resource takes.
CORS_METHODS = "GET, HEAD, OPTIONS"
CORS_HEADERS = "Accept, Accept-Language, Content-Type, Idempotency-Key"
CORS_MAX_AGE = str(24 * 60 * 60)


def _cross_origin_allowed(request: HttpRequest) -> bool:
    """Reads, and preflights for a read (or that name no method)."""
    if request.method == "OPTIONS":
        asked = request.headers.get("Access-Control-Request-Method", "").strip().upper()
        return asked in ("", "GET", "HEAD")
    return request.method in ("GET", "HEAD")


def _preflight(request: HttpRequest, allowed: set[str]) -> HttpResponse:
    """The answer to OPTIONS: what the resource takes, and what a web page may use."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(sorted(allowed))
    if _cross_origin_allowed(request):
        response["Access-Control-Allow-Methods"] = CORS_METHODS
        response["Access-Control-Allow-Headers"] = CORS_HEADERS
        response["Access-Control-Max-Age"] = CORS_MAX_AGE
    return response


def _answer(view: Callable[..., HttpResponse], allowed: set[str], request: HttpRequest,
            *args, fmt: str, **kwargs) -> HttpResponse:
    try:
        if request.method == "OPTIONS":
            return _preflight(request, allowed)
        if request.method not in allowed:
            response = error_response(fmt, MethodNotAllowed(
                _("%(method)s is not allowed here.") % {"method": request.method}))
            response["Allow"] = ", ".join(sorted(allowed))
            return response
        return view(request, *args, fmt=fmt, **kwargs)
    except ApplicationError as error:
        return error_response(fmt, error)
    except (BadRequest, SuspiciousOperation):
        # A body Django refuses to read (not UTF-8, too many fields, too large): still a
        # refusal in the spec's format, not an HTML page.
        return error_response(fmt, ValidationFailed(
            _("The request body could not be read: send it form-encoded in UTF-8.")))


def georeport(*methods: str) -> Callable:
    """Answer refusals in the requested format, and only the given HTTP methods (HEAD
    wherever GET is, OPTIONS everywhere for CORS preflights). Reads may be made from
    scripts on any web origin (CORS): they are public and use no cookies or credentials.
    Filing is not opened to browsers, since an api_key in a web page is a key given to
    everyone. The test endpoint's URLs pass `sandbox=True`, kept on the request for
    `_jurisdiction`, so no view needs to know which endpoint it serves."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set()) | {"OPTIONS"}

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def run(request: HttpRequest, *args, fmt: str, sandbox: bool = False,
                **kwargs) -> HttpResponse:
            request.open311_sandbox = sandbox  # type: ignore[attr-defined]
            return _finish(request, _answer(view, allowed, request, *args, fmt=fmt,
                                            **kwargs))
        return csrf_exempt(run)
    return wrap


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    # `*` is the same for every origin, so no `Vary: Origin` is needed.
    if _cross_origin_allowed(request):
        response["Access-Control-Allow-Origin"] = "*"
    if request.method == "HEAD":  # the headers GET would send, without the body
        response["Content-Length"] = str(len(response.content))
        response.content = b""
    return response


def _param(request: HttpRequest, name: str) -> str:
    """A parameter from the form body (POST) or the query string."""
    return (request.POST.get(name) or request.GET.get(name) or "").strip()


def _many(query: QueryDict, name: str) -> list[str]:
    """A parameter that may repeat and may be comma delimited."""
    return [part.strip() for value in query.getlist(name) for part in value.split(",")
            if part.strip()]


def _jurisdiction(request: HttpRequest) -> Jurisdiction:
    return selectors.jurisdiction_resolve(_param(request, "jurisdiction_id"),
                                          sandbox=getattr(request, "open311_sandbox", False))


def _changeset() -> str:
    latest = [Jurisdiction.objects.aggregate(at=Max("updated_at"))["at"],
              ServiceAttribute.objects.aggregate(at=Max("updated_at"))["at"]]
    found = [moment for moment in latest if moment is not None]
    return (w3c(max(found)) if found else None) or "2026-01-01T00:00:00+08:00"


def _endpoint(request: HttpRequest, root: str, kind: str, changeset: str) -> dict:
    return {
        "specification": SPECIFICATION,
        "url": request.build_absolute_uri(reverse(root)).rstrip("/"),
        "changeset": changeset,
        "type": kind,
        "formats": ["text/xml", "application/json"],
    }


def _jurisdiction_out(row: Jurisdiction) -> dict:
    return {"jurisdiction_id": row.jurisdiction_id, "name": row.community.name,
            "type": "test" if row.is_sandbox else "production", "default": row.is_default}


@georeport("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """The spec's discovery document, plus `jurisdictions` (what each endpoint serves).
    The sandbox endpoint is listed as `test` only while a sandbox jurisdiction exists."""
    changeset = _changeset()
    published = selectors.jurisdictions_published()
    endpoints = [_endpoint(request, "open311:root",
                           "test" if settings.DEBUG else "production", changeset)]
    if any(row.is_sandbox for row in published):
        endpoints.append(_endpoint(request, "open311:test_root", "test", changeset))
    return respond(fmt, "discovery", {
        "changeset": changeset,
        "contact": _("Ask the community office that runs this Linli site."),
        "key_service": _("The Linli administrators of a community issue API keys to apps "
                         "that file requests there; ask them for one."),
        "endpoints": endpoints,
        "jurisdictions": [_jurisdiction_out(row) for row in published],
    })


@georeport("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    data = [present.service_out(c) for c in selectors.service_list()]
    return respond(fmt, "services", data)


@georeport("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    category = selectors.service_get(code)
    attributes = selectors.service_attributes(category)
    return respond(fmt, "service_definition", present.definition_out(category, attributes))


# The query parameters each read takes. `api_key` is accepted (apps send it on every
# call) but not needed; `lang` is Linli's own choice of language. Anything else is refused,
# so a client that misspells a filter learns it rather than reading an unfiltered list.
DETAIL_PARAMS = ("jurisdiction_id", "extensions", "api_key", "lang")
LIST_PARAMS = ("jurisdiction_id", "service_request_id", "service_code", "start_date",
               "end_date", "status", "extensions", "page", "page_size", "max_requests",
               "agency_responsible", "has_photo", "api_key", "lang")
DEFAULT_PAGE_SIZE = 100


def _known(request: HttpRequest, accepted: tuple[str, ...]) -> None:
    unknown = sorted(name for name in request.GET if name not in accepted)
    if unknown:
        raise ValidationFailed(
            _("Unknown parameter %(names)s: this resource takes %(accepted)s.") % {
                "names": ", ".join(name[:50] for name in unknown[:5]),
                "accepted": ", ".join(accepted)}, code="unknown_parameter")


def _ids(request: HttpRequest) -> list[int] | None:
    """The ids asked for, or None when none were. An id that cannot exist (not a number, or
    out of range) matches nothing, like a number that is no request."""
    raw = _many(request.GET, "service_request_id")
    if not raw:
        return None
    return [int(value) for value in raw
            if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID]


def _statuses(request: HttpRequest, extended: bool) -> list[str]:
    statuses = [s.lower() for s in _many(request.GET, "status")]
    accepted = tuple(dict.fromkeys((*STATUSES, *EXTENDED_STATUSES))) if extended else STATUSES
    for status in statuses:
        if status in accepted:
            continue
        if status in EXTENDED_STATUSES:
            raise ValidationFailed(_("status %(status)s is an extended status: send "
                                     "extensions=true to filter by it.") % {"status": status},
                                   code="bad_status")
        if extended:
            raise ValidationFailed(_("status is open, closed or an extended status: "
                                     "%(statuses)s.") % {"statuses": ", ".join(accepted)},
                                   code="bad_status")
        raise ValidationFailed(_("status is open or closed."), code="bad_status")
    return statuses


def _extensions(request: HttpRequest) -> bool:
    return request.GET.get("extensions", "").strip().lower() == "true"


def _whole(request: HttpRequest, name: str, most: int) -> int | None:
    """A whole number from 1 to `most`, or None when not given."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= most):
        raise ValidationFailed(_("%(name)s must be a whole number from 1 to %(most)s.") % {
            "name": name, "most": most}, code="bad_paging")
    return int(raw)


def _paging(request: HttpRequest) -> selectors.Paging:
    page = _whole(request, "page", MAX_PAGE)
    size = _whole(request, "page_size", MAX_PAGE_SIZE)
    cap = _whole(request, "max_requests", MAX_RESULTS)
    if page is not None and size is None:
        size = DEFAULT_PAGE_SIZE
    return selectors.Paging(page=page or 1, size=size, cap=cap)


def _has_photo(request: HttpRequest) -> bool | None:
    raw = request.GET.get("has_photo", "").strip().lower()
    if not raw:
        return None
    if raw not in ("true", "false"):
        raise ValidationFailed(_("has_photo is true or false."), code="bad_filter")
    return raw == "true"


def _filters(request: HttpRequest, extended: bool) -> selectors.RequestFilters:
    return selectors.RequestFilters(
        codes=_many(request.GET, "service_code"), statuses=_statuses(request, extended),
        window=window(request.GET.get("start_date", ""), request.GET.get("end_date", "")),
        agencies=[name.strip() for name in request.GET.getlist("agency_responsible")
                  if name.strip()],
        has_photo=_has_photo(request))


def _page_link(request: HttpRequest, page: int, size: int, rel: str) -> str:
    query = request.GET.copy()
    query["page"], query["page_size"] = str(page), str(size)
    return f'<{request.build_absolute_uri(request.path)}?{query.urlencode()}>; rel="{rel}"'


def _page_headers(request: HttpRequest, response: HttpResponse,
                  found: selectors.RequestPage) -> HttpResponse:
    """The total in X-Total-Count and the neighbouring pages in Link, readable by scripts
    on other origins too."""
    response["X-Total-Count"] = str(found.total)
    links = []
    if found.page > 1:
        links.append(_page_link(request, found.page - 1, found.size, "prev"))
    if found.has_next:
        links.append(_page_link(request, found.page + 1, found.size, "next"))
    if links:
        response["Link"] = ", ".join(links)
    response["Access-Control-Expose-Headers"] = "X-Total-Count, Link"
    return response


def _list(request: HttpRequest, fmt: str) -> HttpResponse:
    _known(request, LIST_PARAMS)
    jurisdiction = _jurisdiction(request)
    extended = _extensions(request)
    paging = _paging(request)
    ids = _ids(request)
    if ids is not None:  # the spec: ids override every other argument (paging aside)
        found = selectors.request_list(jurisdiction, ids=ids, paging=paging)
    else:
        found = selectors.request_list(jurisdiction, filters=_filters(request, extended),
                                       paging=paging)
    data = present.requests_out(found.cases, extended)
    return _page_headers(request, respond(fmt, "service_requests", data), found)


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    _body_read(request)
    jurisdiction = _jurisdiction(request)
    case, created = intake.request_file(
        jurisdiction=jurisdiction, form=request.POST, files=request.FILES,
        api_key_raw=_param(request, "api_key"),
        idempotency_key=request.headers.get("Idempotency-Key", "").strip())
    data = [{"service_request_id": str(case.pk),
             "service_notice": present.service_notice(case)}]
    return respond(fmt, "service_requests", data, status=201 if created else 200)


@georeport("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    return _file(request, fmt) if request.method == "POST" else _list(request, fmt)


@georeport("GET")
def request_detail(request: HttpRequest, request_id: int, fmt: str) -> HttpResponse:
    _known(request, DETAIL_PARAMS)
    case = selectors.request_get(_jurisdiction(request), request_id)
    data = present.requests_out([case], _extensions(request))
    return respond(fmt, "service_requests", data)


@georeport("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    found = selectors.token_list(_jurisdiction(request), token)
    data = [{"service_request_id": str(s.case_id), "token": s.token} for s in found]
    return respond(fmt, "service_requests", data)


def _file_update(request: HttpRequest, fmt: str) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    row, created = updates.update_file(
        jurisdiction=jurisdiction, form=request.POST, api_key_raw=_param(request, "api_key"),
        idempotency_key=request.headers.get("Idempotency-Key", ""))
    data = [{"update_id": str(row.event_id)}]
    return respond(fmt, "service_request_updates", data, status=201 if created else 200)


@georeport("GET", "POST")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: the feed of public steps; POST: an app posts its reporter's update
    (FixMyStreet's extension, `updates.update_file`)."""
    if request.method == "POST":
        return _file_update(request, fmt)
    jurisdiction = _jurisdiction(request)
    span = window(request.GET.get("start_date", ""), request.GET.get("end_date", ""),
                  now=timezone.now())
    events = selectors.update_list(jurisdiction, span)
    data = [present.update_out(e, merged_into_public(e.case)) for e in events]
    return respond(fmt, "service_request_updates", data)


@csrf_exempt
def unknown(request: HttpRequest, rest: str = "", sandbox: bool = False) -> HttpResponse:
    fmt = "json" if request.path.endswith(".json") else "xml"
    return _finish(request, error_response(fmt, NotFound(
        _("There is no such Open311 resource."))))


def root(request: HttpRequest, sandbox: bool = False) -> HttpResponse:
    """The endpoint's base URL shows the discovery document (the spec's suggestion)."""
    return discovery(request, fmt="xml", sandbox=sandbox)


def _body_read(request: HttpRequest) -> None:
    """Read a filing's body first: a multipart body Django cannot parse (no boundary, cut
    short) raises an error of its own, which would otherwise be a server error page."""
    try:
        request.POST, request.FILES  # noqa: B018 (reading them parses the body)
    except TooManyFilesSent:
        raise ValidationFailed(_("At most %(n)d photos at a time.") % {
            "n": intake.MAX_FILES}) from None
    except MultiPartParserError:
        raise ValidationFailed(_("The request body could not be read: send it form-encoded "
                                 "or as multipart/form-data, in UTF-8.")) from None
