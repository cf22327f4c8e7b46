"""POST requests: an app files a service request, which becomes an ordinary case of channel
"open311" through `cases.services.case_report`, so it lands in the dispatcher's queue like
any other report.

Order of checks: the key (403, 429), the service (400 missing, 404 unknown), then every
problem with the request itself at once (400 with the list). A refused request creates
nothing, not even a photo file. The reporter's contact details are accepted as the spec
allows and not kept; the name goes to `case.reporter_name` for the dispatcher.

Photos come as files (multipart `media`, `media[]` or `photo`) and become the case's own
photos, checked and stripped like every photo; `media_url`s (repeated or `media_url[]`)
are kept in order on the `Submission`. Nothing an app sends is dropped silently: what
cannot be kept is refused.
"""

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.cases.models import Case, Category, Channel
from linli.cases.services import MAX_DESCRIPTION, case_report, request_fingerprint
from linli.core.audit import audit_record
from linli.core.errors import ValidationFailed
from linli.core.geo import metres_between
from linli.core.images import MAX_BYTES, MAX_FILES, CleanImage, image_clean
from linli.open311.attributes import (
    Answer,
    answer_text,
    attributes_clean,
    attributes_parse,
    plain_text,
)
from linli.open311.models import (
    ApiKey,
    Jurisdiction,
    ServiceAttribute,
    Submission,
    submission_media,
)
from linli.open311.selectors import service_attributes, service_get
from linli.open311.services import api_key_check
from linli.orgs.models import Area, AreaKind
from linli.triage import selectors as triage_selectors

MAX_ADDRESS = 200
MAX_URL = 500
MAX_MEDIA_URLS = 9
URL_FIELDS = ("media_url", "media_url[]")
PHOTO_FIELDS = ("media", "media[]", "photo")  # what GeoReport clients name their files
# FixMyStreet's address_id for a report whose reporter placed no pin on the map.
NOT_PINPOINTED = "#NOTPINPOINTED#"
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


def _point(lat_raw: str, lng_raw: str) -> tuple[Decimal | None, Decimal | None]:
    if not (lat_raw or lng_raw):
        return None, None
    if not (lat_raw and lng_raw):
        raise ValidationFailed(_("lat and long are sent together."))
    return _coordinate(lat_raw, "lat", 90), _coordinate(lng_raw, "long", 180)


def _not_pinpointed(community: Area, address: str) -> Place:
    """The reporter placed no pin (a point sent beside it is only a geocoder's guess, so it
    is not kept): the community's dispatcher places the case from the address."""
    if not address:
        raise ValidationFailed(_("address_id #NOTPINPOINTED# means the reporter placed no "
                                 "pin: say where the problem is in address_string."))
    return Place(community, address)


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
    lat, lng = _point(lat_raw, lng_raw)
    if address_id.upper() == NOT_PINPOINTED:
        return _not_pinpointed(community, address)
    if address_id:
        area = _by_id(community, address_id)
    elif lat is not None and lng is not None:
        area = _nearest(community, lat, lng)
    else:
        area = community
    return Place(area, address, lat, lng)


def _description(form: QueryDict, optional: bool) -> str:
    """The description as sent; "" only when `optional` (the answers or media say it)."""
    text = plain_text(form.get("description", ""))
    if not text and not optional:
        raise ValidationFailed(_("Describe the problem in description."))
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(_("description is at most %(most)d characters.")
                               % {"most": MAX_DESCRIPTION})
    return text


def _made_description(definition: list[ServiceAttribute], answers: dict[str, Answer]
                       ) -> str:
    """A case is never empty: without a description, the answers (question: answer; …),
    else a pointer to the media. In the site's language, which the staff read."""
    questions = {a.code: a for a in definition}
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("%(question)s: %(answer)s") % {
                     "question": questions[code].description,
                     "answer": answer_text(questions[code], answer)}
                 for code, answer in sorted(answers.items(),
                                            key=lambda item: questions[item[0]].order)]
        text = pgettext("between answers", "; ").join(lines) or _("(see the photos)")
    return text[:MAX_DESCRIPTION]


def _url_checked(url: str) -> str:
    try:
        if len(url) > MAX_URL:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(_("media_url must be an http(s) URL of at most 500 "
                                 "characters.")) from None
    return url


def _sent_urls(form: QueryDict) -> list[str]:
    """media_url repeated or as media_url[], in the order sent, each once."""
    sent = [url.strip() for key in form if key in URL_FIELDS for url in form.getlist(key)]
    return list(dict.fromkeys(url for url in sent if url))


def media_urls_read(form: QueryDict, most: int = MAX_MEDIA_URLS) -> list[str]:
    """Every media URL an app sent (a request's or an update's), checked, in order."""
    urls = _sent_urls(form)
    if len(urls) > most:
        raise ValidationFailed(_("At most %(most)d media_url at a time.") % {"most": most})
    return [_url_checked(url) for url in urls]


Upload = tuple[str, UploadedFile]  # the file field's name, the file


def _uploads(files: MultiValueDict | None) -> list[Upload]:
    if files is None:
        return []
    return [(key, upload) for key in files for upload in files.getlist(key)]


def _photo(upload: UploadedFile) -> CleanImage:
    name = plain_text(upload.name or "")[:100]
    if (upload.size or 0) > MAX_BYTES:  # refused before it is read
        raise ValidationFailed(_("%(name)s is larger than 10 MB.")
                               % {"name": name or _("the photo")})
    upload.seek(0)
    return image_clean(upload.read(), name)


def _photos(uploads: list[Upload]) -> list[CleanImage]:
    """Every file, checked by content and stripped; one problem per bad file."""
    unknown = [key for key, _upload in uploads if key not in PHOTO_FIELDS]
    if unknown:
        raise ValidationFailed(_("Send photos in the file field media; %(field)s is not "
                               "read.") % {"field": plain_text(unknown[0])[:50]})
    if len(uploads) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d photos at a time.") % {"n": MAX_FILES})
    problems: list[str] = []
    photos = []
    for _key, upload in uploads:
        photo = _collect(problems, partial(_photo, upload))
        if photo is not None:
            photos.append(photo)
    if problems:
        raise ValidationFailed(problems[0], details=problems)
    return photos


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
    media_urls: list[str]
    reporter_name: str
    photos: list[CleanImage] = field(default_factory=list)


def _collect(problems: list[str], read: Callable[[], T]) -> T | None:
    try:
        return read()
    except ValidationFailed as error:
        if isinstance(error.details, list) and error.details:  # several, e.g. bad files
            problems.extend(str(detail) for detail in error.details)
        else:
            problems.append(error.message)
        return None


def _filing(community: Area, category: Category, form: QueryDict,
            uploads: list[Upload]) -> Filing:
    """Everything about the request itself, with every problem found listed at once.
    The description may be left out when the service asks required questions or media
    came: the case's description is then made from the answers."""
    problems: list[str] = []
    definition = service_attributes(category)
    asks = any(a.required and a.variable for a in definition)
    place = _collect(problems, lambda: _place(community, form))
    description = _collect(problems, lambda: _description(
        form, optional=asks or bool(uploads or _sent_urls(form))))
    media_urls = _collect(problems, lambda: media_urls_read(form))
    photos = _collect(problems, lambda: _photos(uploads))
    answers, wrong = attributes_clean(definition, attributes_parse(form))
    problems += wrong
    if (problems or place is None or description is None or media_urls is None
            or photos is None):
        raise ValidationFailed(problems[0], code="bad_request", details=problems)
    return Filing(place, description or _made_description(definition, answers), answers,
                  media_urls, _reporter_name(form), photos)


def _file_hash(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _fingerprint(form: QueryDict, uploads: list[Upload]) -> str:
    """The form (the key aside) and the files' contents: a retry carries the same files.
    Without files it is the form alone, as before uploads were read, so the fingerprints
    kept for earlier requests still match their retries."""
    fields = {k: form.getlist(k) for k in form if k != "api_key"}
    if not uploads:
        return request_fingerprint(fields)
    return request_fingerprint({"form": fields,
                                "files": [[key, _file_hash(f)] for key, f in uploads]})


def _replayed(api_key: ApiKey, token: str, fingerprint: str) -> Case | None:
    found = Submission.objects.filter(api_key=api_key, token=token).select_related("case")
    first = found.first()
    if first is None:
        return None
    if first.fingerprint != fingerprint:
        raise ValidationFailed(_("This Idempotency-Key was already used for a different "
                                 "request."), code="idempotency_mismatch")
    return first.case


def _create(api_key: ApiKey, category: Category, filing: Filing, token: str,
            fingerprint: str) -> Case:
    """The case, its photos and the submission, or none of them: a rolled back filing
    (a concurrent retry won the token) takes its photo files off the disk too."""
    stored: list[str] = []
    try:
        return _create_atomic(api_key, category, filing, token, fingerprint, stored)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


@transaction.atomic
def _create_atomic(api_key: ApiKey, category: Category, filing: Filing, token: str,
                   fingerprint: str, stored: list[str]) -> Case:
    place = filing.place
    case = case_report(actor=None, category=category, area=place.area,
                       description=filing.description, channel=Channel.OPEN311,
                       address=place.address, lat=place.lat, lng=place.lng,
                       reporter_name=filing.reporter_name, clean_photos=filing.photos)
    stored += [str(name) for photo in case.photos.all()
               for name in (photo.image.name, photo.thumbnail.name) if name]
    Submission.objects.create(case=case, api_key=api_key, token=token, fingerprint=fingerprint,
                              attributes=filing.answers,
                              **submission_media(filing.media_urls))
    audit_record(actor=None, action="open311.request_filed", obj=case,
                 changes={"api_key": api_key.prefix, "app": api_key.app_name,
                          "photos": len(filing.photos),
                          "media_urls": len(filing.media_urls)})
    return case


def _service(form: QueryDict) -> Category:
    """The service_code's category; without one, the category smart triage suggests first
    for the description (a free-text app that lets people describe instead of choose)."""
    code = form.get("service_code", "").strip()
    if code:
        return service_get(code)
    best = triage_selectors.category_suggestions(form.get("description", "")).items
    if not best:
        raise ValidationFailed(_("service_code was not provided, and the description does not "
                                 "say what kind of problem it is."), code="no_service_code")
    return best[0].category


def request_file(*, jurisdiction: Jurisdiction, form: QueryDict, api_key_raw: str,
                 idempotency_key: str = "", files: MultiValueDict | None = None
                 ) -> tuple[Case, bool]:
    """File a request, with the photos uploaded beside the form (`files`); returns the
    case and whether it is new (False: a retry with the same Idempotency-Key, the same
    form and the same files, answered with the first case)."""
    api_key = api_key_check(api_key_raw, jurisdiction.community)
    category = _service(form)
    if idempotency_key and not TOKEN.match(idempotency_key):
        raise ValidationFailed(_("An Idempotency-Key is 1-128 letters, digits, - or _."))
    uploads = _uploads(files)
    fingerprint = _fingerprint(form, uploads)
    if idempotency_key and (case := _replayed(api_key, idempotency_key, fingerprint)):
        return case, False
    filing = _filing(jurisdiction.community, category, form, uploads)
    token = idempotency_key or secrets.token_urlsafe(16)
    try:
        return _create(api_key, category, filing, token, fingerprint), True
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its case.
        case = _replayed(api_key, token, fingerprint) if idempotency_key else None
        if case is None:
            raise
        return case, False
