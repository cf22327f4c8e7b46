"""POST requests: an app files a service request, which becomes an ordinary case of channel
"open311" through `cases.services.case_report`, so it lands in the dispatcher's queue like
any other report.

Order of checks: the key (403, 429), the service (400 missing, 404 unknown), then every
problem with the request itself at once (400 with the list). A refused request creates
nothing. The reporter's contact details are accepted as the spec allows and not kept; the
name goes to `case.reporter_name` for the dispatcher.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, Channel
from linli.cases.services import case_report, request_fingerprint
from linli.core.audit import audit_record
from linli.core.errors import ValidationFailed
from linli.core.geo import metres_between
from linli.open311.attributes import Answer, attributes_clean, attributes_parse, plain_text
from linli.open311.models import ApiKey, Jurisdiction, Submission
from linli.open311.selectors import service_attributes, service_get
from linli.open311.services import api_key_check
from linli.orgs.models import Area, AreaKind

MAX_DESCRIPTION = 2000  # the case's own limit (the spec allows 4000)
MAX_ADDRESS = 200
MAX_DISTANCE_M = 3000   # farther than this from every centre in the community: elsewhere
TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_CJK = re.compile(r"[\u3400-\u9fff]")
T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    area: Area
    address: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None


def _coordinate(raw: str, name: str, limit: int) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not -limit <= value <= limit:
        raise ValidationFailed(_("%(name)s must be a number between -%(limit)d and "
                                 "%(limit)d.") % {"name": name, "limit": limit})
    return value.quantize(Decimal("0.000001"))


def _nearest(community: Area, lat: Decimal, lng: Decimal) -> Area:
    """The community, grid or estate whose centre is nearest the point."""
    centres = Area.objects.filter(
        path__startswith=community.path, lat__isnull=False, lng__isnull=False,
        kind__in=[AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE])
    # The query keeps areas with a centre only.
    distances = sorted((metres_between(lat, lng, a.lat or 0, a.lng or 0), a.path, a)
                       for a in centres)
    if not distances:  # no centres recorded: nothing to measure against
        return community
    nearest_m, _path, nearest = distances[0]
    if nearest_m > MAX_DISTANCE_M:
        raise ValidationFailed(_("lat/long is outside this jurisdiction."))
    return nearest


def _by_id(community: Area, raw: str) -> Area:
    area = (Area.objects.filter(pk=int(raw), path__startswith=community.path).first()
            if raw.isdigit() else None)
    if area is None:
        raise ValidationFailed(_("address_id %(id)s is not a place in this jurisdiction.")
                               % {"id": raw[:20]})
    return area


def _place(community: Area, form: QueryDict) -> Place:
    lat_raw, lng_raw = form.get("lat", "").strip(), form.get("long", "").strip()
    address_id = form.get("address_id", "").strip()
    address = plain_text(form.get("address_string", ""))
    if not (lat_raw or lng_raw or address_id or address):
        raise ValidationFailed(_("A location is required: lat and long, address_string or "
                                 "address_id."))
    if len(address) > MAX_ADDRESS:
        raise ValidationFailed(_("address_string is at most %(most)d characters.")
                               % {"most": MAX_ADDRESS})
    lat = lng = None
    if lat_raw or lng_raw:
        if not (lat_raw and lng_raw):
            raise ValidationFailed(_("lat and long are sent together."))
        lat, lng = _coordinate(lat_raw, "lat", 90), _coordinate(lng_raw, "long", 180)
    if address_id:
        area = _by_id(community, address_id)
    elif lat is not None and lng is not None:
        area = _nearest(community, lat, lng)
    else:
        area = community
    return Place(area, address, lat, lng)


def _description(form: QueryDict) -> str:
    text = plain_text(form.get("description", ""))
    if not text:
        raise ValidationFailed(_("Describe the problem in description."))
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(_("description is at most %(most)d characters.")
                               % {"most": MAX_DESCRIPTION})
    return text


def _media_url(form: QueryDict) -> str:
    url = form.get("media_url", "").strip()
    if not url:
        return ""
    try:
        if len(url) > 500:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(_("media_url must be an http(s) URL of at most 500 "
                                 "characters.")) from None
    return url


def _reporter_name(form: QueryDict) -> str:
    first = plain_text(form.get("first_name", ""))
    last = plain_text(form.get("last_name", ""))
    if _CJK.search(first + last):  # Chinese names: family name first, no space
        return f"{last}{first}"[:64]
    return " ".join(part for part in (first, last) if part)[:64]


@dataclass(frozen=True)
class Filing:
    place: Place
    description: str
    answers: dict[str, Answer]
    media_url: str
    reporter_name: str


def _collect(problems: list[str], read: Callable[[], T]) -> T | None:
    try:
        return read()
    except ValidationFailed as error:
        problems.append(error.message)
        return None


def _filing(community: Area, category: Category, form: QueryDict) -> Filing:
    """Everything about the request itself, with every problem found listed at once."""
    problems: list[str] = []
    place = _collect(problems, lambda: _place(community, form))
    description = _collect(problems, lambda: _description(form))
    media_url = _collect(problems, lambda: _media_url(form))
    answers, wrong = attributes_clean(service_attributes(category), attributes_parse(form))
    problems += wrong
    if problems or place is None or description is None or media_url is None:
        raise ValidationFailed(problems[0], code="bad_request", details=problems)
    return Filing(place, description, answers, media_url, _reporter_name(form))


def _replayed(api_key: ApiKey, token: str, fingerprint: str) -> Case | None:
    found = Submission.objects.filter(api_key=api_key, token=token).select_related("case")
    first = found.first()
    if first is None:
        return None
    if first.fingerprint != fingerprint:
        raise ValidationFailed(_("This Idempotency-Key was already used for a different "
                                 "request."), code="idempotency_mismatch")
    return first.case


@transaction.atomic
def _create(api_key: ApiKey, category: Category, filing: Filing, token: str,
            fingerprint: str) -> Case:
    place = filing.place
    case = case_report(actor=None, category=category, area=place.area,
                       description=filing.description, channel=Channel.OPEN311,
                       address=place.address, lat=place.lat, lng=place.lng,
                       reporter_name=filing.reporter_name)
    Submission.objects.create(case=case, api_key=api_key, token=token, fingerprint=fingerprint,
                              attributes=filing.answers, media_url=filing.media_url,
                              media_urls=[filing.media_url] if filing.media_url else [])
    audit_record(actor=None, action="open311.request_filed", obj=case,
                 changes={"api_key": api_key.prefix, "app": api_key.app_name})
    return case


def request_file(*, jurisdiction: Jurisdiction, form: QueryDict, api_key_raw: str,
                 idempotency_key: str = "") -> tuple[Case, bool]:
    """File a request; returns the case and whether it is new (False: a retry with the
    same Idempotency-Key and the same form, answered with the first case)."""
    api_key = api_key_check(api_key_raw, jurisdiction.community)
    code = form.get("service_code", "").strip()
    if not code:
        raise ValidationFailed(_("service_code was not provided."), code="no_service_code")
    category = service_get(code)
    if idempotency_key and not TOKEN.match(idempotency_key):
        raise ValidationFailed(_("An Idempotency-Key is 1-128 letters, digits, - or _."))
    fingerprint = request_fingerprint({k: form.getlist(k) for k in form if k != "api_key"})
    if idempotency_key and (case := _replayed(api_key, idempotency_key, fingerprint)):
        return case, False
    filing = _filing(jurisdiction.community, category, form)
    token = idempotency_key or secrets.token_urlsafe(16)
    try:
        return _create(api_key, category, filing, token, fingerprint), True
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its case.
        case = _replayed(api_key, token, fingerprint) if idempotency_key else None
        if case is None:
            raise
        return case, False
