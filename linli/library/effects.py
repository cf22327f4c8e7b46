"""What each booking or need move writes, or why it is refused (the kit's `effects`), and
what follows it (`after`): declared in `workflow.py`.

- cancel (a booking): before the start; a resident cannot take back a service under way.
- complete (a booking): from the start on (the service is given, not promised).
- decline, cancel: the place goes back to the slot (or the room's hours free up) and held
  points go back to the resident; a need the booking was made for is open to another
  match.
- complete: held points go to the provider (a skilled resident's account, else the
  community's store account); the need it was made for is met, its match delivered.
- rate: once, 1 to 5 stars and maybe a comment, by who was served.
- match (a need): a listed provider of the need's community; the previous pending match
  did not deliver.
- hand_over: the service that made the case, task, topic or booking passes it in `data`.
- meet, close: the pending match delivered (met) or did not (closed).
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.library.models import Booking, MatchOutcome, Need, Outcome

Effects = dict[str, Any]


def _cancel(booking: Booking, actor, now: datetime, data: dict) -> Effects:
    if now >= booking.starts_at:
        raise ValidationFailed(_("This booking has started; it can no longer be cancelled. "
                                 "Ask the provider."), code="started")
    return {}


def _complete(booking: Booking, actor, now: datetime, data: dict) -> Effects:
    if now < booking.starts_at:
        raise ValidationFailed(_("A booking is marked served once its time has come."),
                               code="not_started")
    return {}


def _rate(booking: Booking, actor, now: datetime, data: dict) -> Effects:
    if booking.rated_at is not None:
        raise ValidationFailed(_("This booking has already been rated."), code="already_rated")
    stars = data.get("rating")
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise ValidationFailed(_("Give one to five stars."), code="bad_rating")
    comment = (data.get("comment") or "").strip()
    if len(comment) > 500:
        raise ValidationFailed(_("The comment is at most 500 characters."), code="too_long")
    return {"rating": stars, "rating_comment": comment}


def _freed(booking: Booking, actor, now: datetime, data: dict) -> None:
    from linli.library.services.bookings import booking_freed

    booking_freed(booking, actor, now, declined=booking.state == "declined")


def _served(booking: Booking, actor, now: datetime, data: dict) -> None:
    from linli.library.services.bookings import booking_served

    booking_served(booking, actor, now)


BOOKING_EFFECTS = {"cancel": _cancel, "complete": _complete, "rate": _rate}
BOOKING_AFTER = {"decline": _freed, "cancel": _freed, "complete": _served}


def booking_applicable(booking: Booking, action: str) -> bool:
    return not (action == "rate" and booking.rated_at is not None)


# --- needs -------------------------------------------------------------------------------

def _classify(need: Need, actor, now: datetime, data: dict) -> Effects:
    from linli.library.models import ServiceKind, Urgency

    urgency = data.get("urgency") or ""
    if urgency not in Urgency.values:
        raise ValidationFailed(_("Choose 急, 难, 愁 or 盼."), code="bad_urgency")
    updates: Effects = {"urgency": urgency}
    kind = data.get("kind")
    if kind:
        if kind not in ServiceKind.values:
            raise ValidationFailed(_("Choose the kind of service."), code="bad_kind")
        updates["kind"] = kind
    return updates


def _match(need: Need, actor, now: datetime, data: dict) -> Effects:
    provider = data.get("provider")
    if provider is None or not provider.is_active or provider.community_id != need.community_id:
        raise ValidationFailed(_("Choose a listed provider of this community."),
                               code="bad_provider")
    if provider.pk == need.provider_id and need.state == "matched":
        raise ValidationFailed(_("This provider is already matched to the need."),
                               code="already_matched")
    return {"provider": provider}


def _matched(need: Need, actor, now: datetime, data: dict) -> None:
    from linli.library.models import Match

    Match.objects.filter(need=need, outcome=MatchOutcome.PENDING).update(
        outcome=MatchOutcome.FAILED, decided_at=now)
    assert need.provider is not None  # the match's effect set it
    Match.objects.create(need=need, provider=need.provider, assigned_by=actor,
                         assigned_at=now, score=float(data.get("score") or 0))


LINKS = {Outcome.CASE: "case", Outcome.TASK: "task", Outcome.TOPIC: "topic",
         Outcome.BOOKING: "booking"}


def _hand_over(need: Need, actor, now: datetime, data: dict) -> Effects:
    outcome = data.get("outcome")
    if outcome not in LINKS or data.get(LINKS[outcome]) is None:
        raise ValidationFailed(_("Choose what the need becomes."), code="bad_outcome")
    return {"outcome": outcome, LINKS[outcome]: data[LINKS[outcome]]}


def match_decided(need: Need, outcome: str, now: datetime) -> None:
    from linli.library.models import Match

    Match.objects.filter(need=need, outcome=MatchOutcome.PENDING).update(
        outcome=outcome, decided_at=now)


def _met(need: Need, actor, now: datetime, data: dict) -> None:
    match_decided(need, MatchOutcome.DELIVERED, now)


def _closed(need: Need, actor, now: datetime, data: dict) -> None:
    match_decided(need, MatchOutcome.FAILED, now)


NEED_EFFECTS = {"classify": _classify, "match": _match, "hand_over": _hand_over}
NEED_AFTER = {"match": _matched, "meet": _met, "close": _closed}


def need_event_data(action: str, updates: dict, data: dict) -> dict:
    """What the need's history and audit keep of a move: ids, not rows."""
    out: dict = {}
    for key, value in updates.items():
        out[key] = getattr(value, "pk", value)
    return out
