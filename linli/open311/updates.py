"""POST servicerequestupdates (FixMyStreet's Open311 extension): an app posts an update
from the reporter of a request it filed. It becomes an ordinary step of the case, taken
by the app for the reporter (`for_reporter=True`), plus one `UpdateSubmission` row.

What an update does, by the request's state and the status sent:
- open request, any status: the reporter's remark (`cases.services.case_remark`), public
  on the case page and in the updates feed. CLOSED ("it is fixed") is a remark too:
  staff close cases, not apps.
- closed request, status OPEN ("still not fixed"): not rated yet → rated unsatisfied with
  the description as comment, then reopened; rated unsatisfied within the reopen window
  → reopened; rated satisfied or the window passed → refused.
- closed request, status CLOSED: not rated yet → rated satisfied with the description as
  comment (a rating is personal, so not in the public feed); rated already → refused.
- rejected or merged request: refused.

The app's `update_id` (or an Idempotency-Key header) is the update token: a retry with
the same one creates nothing and answers the first update. Order of checks: the key (403,
429), the request (400 missing, 404 unknown, 403 another app's), the update itself (400);
a refusal creates nothing.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases.models import OPEN_STATES, Case, CaseEvent, Rating, State
from linli.cases.services import case_remark, case_transition, request_fingerprint
from linli.core.audit import audit_record
from linli.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from linli.open311.attributes import plain_text
from linli.open311.dates import parse_w3c
from linli.open311.intake import TOKEN, media_urls_read
from linli.open311.models import ApiKey, Jurisdiction, Submission, UpdateSubmission
from linli.open311.selectors import public_cases
from linli.open311.services import api_key_check

MAX_DESCRIPTION = 2000  # a case note's limit
MAX_MEDIA = 5
RATING_COMMENT = 500  # a rating comment's limit: the full text is the reopen note
CLOCK_SKEW = timedelta(minutes=5)  # an app's clock a little ahead is not "the future"
OPEN, CLOSED = "open", "closed"
T = TypeVar("T")


@dataclass(frozen=True)
class Update:
    status: str  # "", open or closed
    description: str
    media_urls: list[str]


def _request(jurisdiction: Jurisdiction, api_key: ApiKey, raw: str) -> Case:
    """The request the update is about. Another app's request is a 403 when the public
    may read it and a 404 otherwise, exactly like a request that does not exist."""
    raw = raw.strip()
    if not raw:
        raise ValidationFailed(_("service_request_id was not provided."),
                               code="no_request_id")
    case = (Case.objects.filter(pk=int(raw), community=jurisdiction.community)
            .select_related("open311").first() if raw.isdigit() and len(raw) < 19 else None)
    submission = _submission(case) if case is not None else None
    if case is not None and submission is not None and submission.api_key_id == api_key.pk:
        return case
    if case is None or not public_cases(jurisdiction).filter(pk=case.pk).exists():
        raise NotFound(_("Service request %(id)s was not found.") % {"id": raw[:20]},
                       code="unknown_request")
    raise PermissionDenied(_("Only the app that filed this request may post updates to "
                             "it."), code="not_your_request")


def _submission(case: Case) -> Submission | None:
    try:
        return case.open311
    except Submission.DoesNotExist:
        return None


def _token(form: QueryDict, header: str) -> str:
    update_id, header = form.get("update_id", "").strip(), header.strip()
    if update_id and header and update_id != header:
        raise ValidationFailed(_("update_id and the Idempotency-Key header differ; send one "
                                 "of them, or the same in both."), code="bad_update_id")
    token = update_id or header
    if token and not TOKEN.match(token):
        raise ValidationFailed(_("update_id is 1-128 letters, digits, - or _."),
                               code="bad_update_id")
    return token


def _status(form: QueryDict) -> str:
    status = form.get("status", "").strip().lower()
    if status not in ("", OPEN, CLOSED):
        raise ValidationFailed(_("status is OPEN or CLOSED."), code="bad_status")
    return status


def _description(form: QueryDict) -> str:
    text = plain_text(form.get("description", ""))
    if not text:
        raise ValidationFailed(_("Write the update in description."), code="no_description")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(_("description is at most %(most)d characters.")
                               % {"most": MAX_DESCRIPTION}, code="too_long")
    return text


def _when(form: QueryDict) -> None:
    """updated_datetime is checked (a W3C date, not in the future) and not kept: the step
    is recorded when Linli receives it, so the feed never changes behind a reader."""
    raw = form.get("updated_datetime", "").strip()
    if raw and parse_w3c(raw, "updated_datetime") > timezone.now() + CLOCK_SKEW:
        raise ValidationFailed(_("updated_datetime is in the future."), code="bad_date")


def _update(form: QueryDict) -> Update:
    """The update itself, with every problem found listed at once."""
    problems: list[str] = []

    def read(check: Callable[[QueryDict], T]) -> T | None:
        try:
            return check(form)
        except ValidationFailed as error:
            problems.append(error.message)
            return None

    status, description = read(_status), read(_description)
    urls = read(lambda sent: media_urls_read(sent, MAX_MEDIA))
    read(_when)
    if problems or status is None or description is None or urls is None:
        raise ValidationFailed(problems[0], code="bad_update", details=problems)
    return Update(status, description, urls)


def _replayed(api_key: ApiKey, token: str, fingerprint: str) -> UpdateSubmission | None:
    first = (UpdateSubmission.objects.filter(api_key=api_key, token=token)
             .select_related("event").first())
    if first is not None and first.fingerprint != fingerprint:
        raise ValidationFailed(_("This update_id was already used for a different update."),
                               code="idempotency_mismatch")
    return first


def _still_not_fixed(case: Case, text: str) -> CaseEvent:
    if case.rated_at is None:  # rated by saying so: unsatisfied, then reopened
        case_transition(actor=None, case=case, action="rate", for_reporter=True,
                        rating=Rating.UNSATISFIED, comment=text[:RATING_COMMENT])
    elif case.rating != Rating.UNSATISFIED:
        raise ValidationFailed(_("The reporter rated this request satisfied; it cannot be "
                                 "reopened. File a new request if the problem is back."),
                               code="rated_satisfied")
    case_transition(actor=None, case=case, action="reopen", note=text, for_reporter=True)
    return case.events.filter(action="reopen").latest("at", "id")


def _fixed(case: Case, text: str) -> CaseEvent:
    if case.rated_at is not None:
        raise ValidationFailed(_("This request is closed and already rated; there is "
                                 "nothing to update."), code="already_rated")
    case_transition(actor=None, case=case, action="rate", for_reporter=True,
                    rating=Rating.SATISFIED, comment=text[:RATING_COMMENT])
    return case.events.filter(action="rate").latest("at", "id")


def _step(case: Case, update: Update) -> CaseEvent:
    """The case step the update becomes (see the module docstring)."""
    if case.state in OPEN_STATES:
        return case_remark(actor=None, case=case, note=update.description, for_reporter=True)
    if case.state != State.CLOSED:
        raise ValidationFailed(_("This request was %(state)s; it takes no updates.")
                               % {"state": case.get_state_display()}, code="not_updatable")
    if update.status == OPEN:
        return _still_not_fixed(case, update.description)
    if update.status == CLOSED:
        return _fixed(case, update.description)
    raise ValidationFailed(_("This request is closed: send status OPEN if it is still not "
                             "fixed, or CLOSED to confirm it is."), code="status_required")


@transaction.atomic
def _create(api_key: ApiKey, case: Case, update: Update, token: str,
            fingerprint: str) -> UpdateSubmission:
    event = _step(case, update)
    row = UpdateSubmission.objects.create(case=case, event=event, api_key=api_key,
                                          token=token, fingerprint=fingerprint,
                                          media_urls=update.media_urls)
    audit_record(actor=None, action="open311.update_filed", obj=case,
                 changes={"api_key": api_key.prefix, "app": api_key.app_name,
                          "step": event.action})
    return row


def update_file(*, jurisdiction: Jurisdiction, form: QueryDict, api_key_raw: str,
                idempotency_key: str = "") -> tuple[UpdateSubmission, bool]:
    """File an update; returns it and whether it is new (False: a retry with the same
    update_id and the same form, answered with the first update)."""
    api_key = api_key_check(api_key_raw, jurisdiction.community)
    case = _request(jurisdiction, api_key, form.get("service_request_id", ""))
    token = _token(form, idempotency_key)
    fingerprint = request_fingerprint({k: form.getlist(k) for k in form if k != "api_key"})
    if token and (found := _replayed(api_key, token, fingerprint)):
        return found, False
    update = _update(form)
    token = token or secrets.token_urlsafe(16)
    try:
        return _create(api_key, case, update, token, fingerprint), True
    except (IntegrityError, Conflict):
        # A concurrent retry with the same update_id won the race (its row, or its move of
        # the case, came first): answer with its update.
        found = _replayed(api_key, token, fingerprint)
        if found is None:
            raise
        return found, False
