"""Who hears about a booking's moves.

- A new booking (awaiting confirmation, or booked at once): the provider's people (its
  unit's members, the skilled resident); a provider with no one online: the dispatchers of
  its community.
- Confirmed, declined (with the reason), served: the booker and the person booked for.
- Cancelled: the provider's people (the time is free again).

One message per event and recipient (a source key), so a retried task adds nothing.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from linli.library.models import Booking, Event, Provider
from linli.notifications.services import notify
from linli.notifications.text import Text


def provider_people(provider: Provider) -> set:
    from linli.accounts.models import Role, RoleAssignment

    people: set = set()
    if provider.unit_id is not None:
        people |= {a.user for a in RoleAssignment.objects.filter(
            unit_id=provider.unit_id, role=Role.UNIT_MEMBER).select_related("user")}
    if provider.resident is not None and provider.resident.user is not None:
        people.add(provider.resident.user)
    if not people:
        people |= {a.user for a in RoleAssignment.objects.filter(
            area_id=provider.community_id, role=Role.DISPATCHER).select_related("user")}
    return people


def _booker(booking: Booking) -> set:
    people = {booking.booked_by}
    if booking.resident.user is not None:
        people.add(booking.resident.user)
    return people


MESSAGES = {
    "confirm": (gettext_noop("Booking confirmed: %(service)s"),
                gettext_noop("%(name)s: %(service)s, %(at)s, is confirmed.")),
    "decline": (gettext_noop("Booking declined: %(service)s"),
                gettext_noop("%(name)s: %(service)s, %(at)s, was declined. The reason: "
                             "%(reason)s")),
    "complete": (gettext_noop("Served: %(service)s"),
                 gettext_noop("%(name)s was served: %(service)s. You may rate it.")),
}


def booking_event_notify(event: Event) -> None:
    booking = (Booking.objects.filter(pk=event.subject_id)
               .select_related("service", "service__provider", "service__provider__resident",
                               "resident", "resident__user", "booked_by").first())
    if booking is None:
        return
    service = booking.service
    at = timezone.localtime(booking.starts_at).strftime("%m-%d %H:%M")
    values = {"service": service.title, "at": at, "name": booking.name,
              "reason": event.note}
    link = reverse("library:booking", args=[booking.pk])
    key = f"library.booking:{event.pk}"
    if event.action in ("book", "cancel"):
        from linli.core.crypto import mask_name

        masked = values | {"name": mask_name(booking.name)}
        if event.action == "book":
            title = (gettext_noop("New booking to confirm: %(service)s")
                     if booking.state == "requested" else
                     gettext_noop("New booking: %(service)s"))
            body = gettext_noop("%(name)s booked %(service)s, %(at)s.")
        else:
            title = gettext_noop("Booking cancelled: %(service)s")
            body = gettext_noop("%(name)s cancelled %(service)s, %(at)s.")
        notify(recipients=provider_people(service.provider), kind=f"library.{event.action}",
               title=Text(title, masked), body=Text(body, masked), link=link,
               subject=booking, source_key=key)
        return
    if event.action in MESSAGES:
        title, body = MESSAGES[event.action]
        notify(recipients=_booker(booking), kind=f"library.{event.action}",
               title=Text(title, values), body=Text(body, values), link=link,
               subject=booking, source_key=key)
