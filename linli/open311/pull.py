"""The Open311 client: bring the requests another GeoReport v2 server publishes into
Linli as cases (`linli open311 pull URL`).

Each remote request becomes a case of channel "open311" through the one intake
(`cases.services.case_report`, no actor), in its own transaction with a `PulledRequest`
row keyed by (source, remote id): pulling again creates nothing twice, and a request that
fails leaves nothing behind. Whatever the remote answers (an HTTP error, not JSON, too
large, missing fields) is reported, never raised.

A remote service code becomes a Linli category by, in order: the `service_map` (remote
code → Linli category code), a Linli category with the same code, a category whose Chinese
or English name is the remote service's name, the `fallback` category; else the request is
skipped with that reason. Closed remote requests are skipped unless `closed` is set: a
problem already fixed there should not open work here.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from django.db import IntegrityError, transaction
from django.utils import timezone

from linli.cases.models import Case, Category, Channel
from linli.cases.services import case_report
from linli.cases.services.report import MAX_DESCRIPTION
from linli.core.audit import audit_record
from linli.core.errors import ApplicationError
from linli.open311.dates import w3c
from linli.open311.models import PulledRequest
from linli.open311.selectors import service_list
from linli.orgs.models import Area

MAX_BYTES = 10 * 1024 * 1024  # a full GeoReport page of 1000 requests is far less
SPAN = timedelta(days=90)
MAX_WINDOWS = 40  # ten years of 90-day spans
TIMEOUT = 30.0


class PullFailed(Exception):
    """The remote answered something that cannot be read as a GeoReport list."""


@dataclass
class PullReport:
    new: list[Case] = field(default_factory=list)
    already: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (remote id, reason)
    failure: str = ""  # set when nothing could be read at all

    def summary(self) -> str:
        if self.failure:
            return f"Nothing pulled: {self.failure}"
        reasons = Counter(reason for _id, reason in self.skipped)
        lines = [f"{len(self.new)} new, {self.already} already pulled, "
                 f"{len(self.skipped)} skipped."]
        lines += [f"  skipped {count}: {reason}" for reason, count in reasons.most_common()]
        return "\n".join(lines)


def _get(client: httpx.Client, url: str, params: dict[str, str]) -> list[Any]:
    """A GeoReport JSON list, read in full only up to MAX_BYTES."""
    try:
        with client.stream("GET", url, params=params) as response:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise PullFailed(f"{url} answered more than {MAX_BYTES} bytes.")
            if response.status_code != 200:
                raise PullFailed(f"{url} answered HTTP {response.status_code}: "
                                 f"{_error_text(bytes(body))}")
    except httpx.HTTPError as error:
        raise PullFailed(f"{url} could not be read: {error}") from None
    try:
        data = json.loads(bytes(body))
    except ValueError:
        raise PullFailed(f"{url} did not answer JSON.") from None
    if not isinstance(data, list):
        raise PullFailed(f"{url} did not answer a GeoReport list.")
    return data


def _error_text(body: bytes) -> str:
    """The remote's own error description when it sent the spec's error list."""
    try:
        errors = json.loads(body)
        return "; ".join(str(e.get("description", ""))[:200] for e in errors[:3])
    except (ValueError, TypeError, AttributeError):
        return body[:200].decode("utf-8", "replace")


def _categories(remote_services: list[Any], service_map: dict[str, str],
                fallback: str) -> dict[str, Category | str]:
    """Remote service code → Linli category, or the reason there is none."""
    ours = {c.code: c for c in service_list()}
    names = {}
    for category in ours.values():
        names.update({n.strip().lower(): category
                      for n in (category.name_zh, category.name_en) if n.strip()})
    found: dict[str, Category | str] = {}
    for service in remote_services:
        if not isinstance(service, dict) or not str(service.get("service_code", "")).strip():
            continue
        code = str(service["service_code"]).strip()
        name = str(service.get("service_name") or "").strip().lower()
        found[code] = (ours.get(service_map.get(code, "")) or ours.get(code)
                       or names.get(name) or ours.get(fallback)
                       or f"no category for service_code {code[:50]}")
    return found


def _category_for(code: str, mapped: dict[str, Category | str], service_map: dict[str, str],
                  fallback: str) -> Category | str:
    if code in mapped:
        return mapped[code]
    # A code the remote's service list left out: the map, an equal code, the fallback.
    for candidate in (service_map.get(code, ""), code, fallback):
        if candidate and (category := service_list().filter(code=candidate).first()):
            return category
    return f"no category for service_code {code[:50]}"


def _coordinate(value: Any, limit: int) -> Decimal | None:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and abs(number) <= limit else None


def _text(item: dict, name: str, most: int) -> str:
    value = item.get(name)
    return "" if value is None else str(value).strip()[:most]


@transaction.atomic
def _create(source: str, remote_id: str, item: dict, category: Category,
            community: Area) -> Case:
    description = (_text(item, "description", MAX_DESCRIPTION)
                   or _text(item, "service_name", 200) or category.name_zh)
    case = case_report(actor=None, category=category, area=community,
                       description=description, channel=Channel.OPEN311,
                       address=_text(item, "address", 200),
                       lat=_coordinate(item.get("lat"), 90),
                       lng=_coordinate(item.get("long"), 180))
    PulledRequest.objects.create(source=source, remote_id=remote_id, case=case)
    audit_record(actor=None, action="open311.request_pulled", obj=case,
                 changes={"source": source, "remote_id": remote_id},
                 area_path=community.path)
    return case


def _one(report: PullReport, source: str, item: Any, categories: dict, community: Area,
         options: dict) -> None:
    if not isinstance(item, dict):
        report.skipped.append(("?", "not a request"))
        return
    remote_id = _text(item, "service_request_id", 101)
    if not remote_id or len(remote_id) > 100:
        report.skipped.append(("?", "no usable service_request_id"))
        return
    if PulledRequest.objects.filter(source=source, remote_id=remote_id).exists():
        report.already += 1
        return
    if _text(item, "status", 20).lower() == "closed" and not options["closed"]:
        report.skipped.append((remote_id, "closed at the source"))
        return
    code = _text(item, "service_code", 50)
    category = _category_for(code, categories, options["service_map"], options["fallback"])
    if isinstance(category, str):
        report.skipped.append((remote_id, category))
        return
    try:
        report.new.append(_create(source, remote_id, item, category, community))
    except IntegrityError:  # another pull of the same source took it meanwhile
        report.already += 1
    except ApplicationError as error:
        report.skipped.append((remote_id, str(error.message)))


def _windows(since: datetime | None, now: datetime | None = None) -> list[dict[str, str]]:
    """The date ranges to ask for: none (the remote's default, recent requests) without
    `since`; else `since` to now in spans of 90 days, the most GeoReport servers (Linli
    among them) answer in one request. The spans share their ends: a request on one is
    read twice and counted once."""
    if since is None:
        return [{}]
    now = now or timezone.now()
    spans: list[dict[str, str]] = []
    start = since
    while start + SPAN < now and len(spans) < MAX_WINDOWS - 1:
        spans.append({"start_date": w3c(start) or "", "end_date": w3c(start + SPAN) or ""})
        start += SPAN
    # The last span names no end: the remote counts 90 days from its start, past now. An
    # end of "now" in whole seconds would miss a request filed within this second.
    return [*spans, {"start_date": w3c(start) or ""}]


def source_of(url: str, jurisdiction_id: str) -> str:
    """What identifies the remote list: its endpoint and jurisdiction."""
    source = url.rstrip("/")
    return (f"{source}?jurisdiction_id={jurisdiction_id}" if jurisdiction_id else source)[:300]


def pull(url: str, *, community: Area, jurisdiction_id: str = "",
         since: datetime | None = None, service_map: dict[str, str] | None = None,
         fallback: str = "", closed: bool = False,
         transport: httpx.BaseTransport | None = None) -> PullReport:
    """Pull the requests of the GeoReport v2 endpoint at `url` (its base, such as
    https://example.org/open311/v2) into `community`."""
    base = url.rstrip("/")
    params = {"jurisdiction_id": jurisdiction_id} if jurisdiction_id else {}
    service_map = service_map or {}
    options = {"service_map": service_map, "fallback": fallback, "closed": closed}
    report = PullReport()
    try:
        with httpx.Client(timeout=TIMEOUT, transport=transport,
                          headers={"Accept": "application/json"}) as client:
            remote_services = _get(client, f"{base}/services.json", params)
            items = []
            for window in _windows(since):
                items += _get(client, f"{base}/requests.json", {**params, **window})
    except PullFailed as failure:
        report.failure = str(failure)
        return report
    categories = _categories(remote_services, service_map, fallback)
    source = source_of(base, jurisdiction_id)
    seen: set[str] = set()
    for item in items:
        remote_id = _text(item, "service_request_id", 101) if isinstance(item, dict) else ""
        if remote_id and remote_id in seen:
            continue  # the same request in two adjoining date ranges
        seen.add(remote_id)
        _one(report, source, item, categories, community, options)
    return report

