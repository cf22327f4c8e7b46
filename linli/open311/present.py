"""Cases, categories and events as GeoReport v2 records (plain dicts for `render`).

IDs and codes are always strings. Nothing about the reporter leaves: no name, no contact,
no account; a place below the building (entrance, dwelling: someone's home) is shown as
its building, and a free-text address only when an Open311 app sent it as public input.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from linli.cases.models import Case, CaseEvent, Category, LimitUnit, State
from linli.cases.selectors.public import (
    ADDRESS_KINDS,
    PRIVATE_KINDS,
    event_text,
    merged_into_public,
    public_chain,
)
from linli.open311.dates import w3c
from linli.open311.models import LIST_TYPES, ServiceAttribute, Submission, UpdateSubmission
from linli.open311.status import advised, extended_status_of, status_notes, status_of
from linli.orgs.models import Area

# About 10 m: enough to find the spot, no finer than a phone's fix anyway.
_POINT = Decimal("0.0001")


def service_out(category: Category) -> dict[str, Any]:
    names = [n for n in (category.name_zh, category.name_en) if n]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": " / ".join(names),
        "metadata": bool(getattr(category, "attribute_count", 0)),
        "type": "realtime",
        "keywords": ", ".join([*names, category.code]),
        "group": category.parent.name if category.parent else "",
    }


def attribute_out(attribute: ServiceAttribute) -> dict[str, Any]:
    out: dict[str, Any] = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.datatype in LIST_TYPES:
        out["values"] = [{"key": str(v["key"]), "name": str(v["name"])}
                         for v in attribute.values or []]
    return out


def definition_out(category: Category, attributes: list[ServiceAttribute]) -> dict[str, Any]:
    return {"service_code": category.code,
            "attributes": [attribute_out(a) for a in attributes]}


class AreaBook:
    """Every area on the paths of some cases, loaded in one query."""

    def __init__(self, cases: list[Case]):
        ids = {i for case in cases for i in case.area.ancestor_ids}
        self.areas = {a.pk: a for a in Area.objects.filter(pk__in=ids)}

    def chain(self, area: Area) -> list[Area]:
        return [self.areas[i] for i in area.ancestor_ids if i in self.areas]


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}"


def service_notice(case: Case) -> str | None:
    """What the handling time limit promises, in the category's own terms."""
    if case.handle_limit is None or not case.limit_unit:
        return None
    return _("To be handled within %(amount)s %(unit)s of dispatch.") % {
        "amount": _amount(case.handle_limit), "unit": LimitUnit(case.limit_unit).label}


def _submission(case: Case) -> Submission | None:
    try:
        return case.open311
    except Submission.DoesNotExist:
        return None


def _updated(case: Case):
    done = {State.CLOSED: case.closed_at, State.REJECTED: case.rejected_at,
            State.MERGED: case.merged_at}.get(State(case.state))
    return done or case.updated_at


def _point(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(_POINT, rounding=ROUND_HALF_UP))


def _place(case: Case, book: AreaBook) -> dict[str, Any]:
    chain = book.chain(case.area) or [case.area]
    public = public_chain(chain)
    shown = public[-1] if public else case.community
    lat, lng = case.lat, case.lng
    if case.area.kind in PRIVATE_KINDS:  # someone's home: the nearest public centre instead
        located = next((a for a in reversed(public) if a.lat is not None), None)
        lat, lng = (located.lat, located.lng) if located else (None, None)
    parts = [a.name for a in public if a.kind in ADDRESS_KINDS]
    if _submission(case) is not None and case.address:
        parts.append(case.address)
    return {"address": " ".join(parts), "address_id": str(shown.pk), "zipcode": None,
            "lat": _point(lat), "long": _point(lng)}


def _events(case: Case) -> list[CaseEvent]:
    """The case's public steps, prefetched by `selectors.public_cases`."""
    return getattr(case, "public_events", [])


def _note(event: CaseEvent, master_public: bool) -> dict[str, Any]:
    # A step's status stays plain open/closed, as clients of round one read it; the
    # request's own `status` carries the extended value.
    return {"datetime": w3c(event.at), "type": event.action,
            "status": status_of(event.to_state or event.from_state),
            "description": event_text(event, master_public)}


def _answers(case: Case) -> list[dict[str, Any]]:
    submission = _submission(case)
    values = submission.attributes if submission is not None else {}
    return [{"code": code, "value": ", ".join(v) if isinstance(v, list) else str(v)}
            for code, v in sorted(values.items())]


def media_urls(submission: Submission | None) -> list[str]:
    """Links to what an app sent with a request: its media URLs, in order. Photos uploaded
    with it are the case's own, and like every case photo they are served only to the
    staff who handle the case (cases/media_views.py), so no link to them is published."""
    return submission.all_media_urls if submission is not None else []


def request_out(case: Case, book: AreaBook, extensions: bool = False) -> dict[str, Any]:
    master_public = merged_into_public(case)
    submission = _submission(case)
    status = (extended_status_of(case.state, advised(case, _events(case))) if extensions
              else status_of(case.state))
    out: dict[str, Any] = {
        "service_request_id": str(case.pk),
        "status": status,
        "status_notes": status_notes(case, _events(case), master_public),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description,
        "agency_responsible": case.unit.name if case.unit else case.community.name,
        "service_notice": service_notice(case),
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(_updated(case)),
        "expected_datetime": w3c(case.handle_due_at),
        **_place(case, book),
        "media_url": next(iter(media_urls(submission)), None),
    }
    if extensions:
        out["attributes"] = _answers(case)
        out["notes"] = [_note(e, master_public) for e in _events(case)]
        out["media_urls"] = media_urls(submission)
    return out


def requests_out(cases: list[Case], extensions: bool = False) -> list[dict[str, Any]]:
    book = AreaBook(cases)
    return [request_out(case, book, extensions) for case in cases]


def _posted(event: CaseEvent) -> UpdateSubmission | None:
    """The update an app posted that became this step, if one did."""
    try:
        return event.open311_update
    except UpdateSubmission.DoesNotExist:
        return None


def update_out(event: CaseEvent, master_public: bool = False) -> dict[str, Any]:
    """One step of the feed. A step an app posted (its reporter's update) reads in the
    words the app sent, as the request's own description does, with its first media URL;
    every other step reads as the public case pages say it."""
    posted = _posted(event)
    return {
        "update_id": str(event.pk),
        "service_request_id": str(event.case_id),
        "status": status_of(event.to_state or event.from_state),
        "updated_datetime": w3c(event.at),
        "description": event.note if posted else event_text(event, master_public),
        "media_url": posted.media_urls[0] if posted and posted.media_urls else None,
    }
