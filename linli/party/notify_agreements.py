"""Who hears of co-building agreements and property supervision items.

- An agreement ended early: the unit's people, with the reason.
- A supervision item opened (a low month): the community's party staff and dispatchers
  and the property company's people.
- A supervision item resolved: the property company's people, with what was done.

One message per event and person (a source key per event).
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role, User
from linli.notifications.services import notify
from linli.notifications.text import Text
from linli.party.models import Agreement, Event, PropertySupervision


def unit_people(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(assignments__unit_id=unit_id,
                               assignments__role=Role.UNIT_MEMBER).distinct()


def followers(area_path: str) -> QuerySet[User]:
    """Party staff and dispatchers at or above the place."""
    ids = [int(p) for p in area_path.strip("/").split("/") if p.isdigit()]
    return User.objects.filter(assignments__role__in=(Role.PARTY_WORKER, Role.DISPATCHER),
                               assignments__area_id__in=ids).distinct()


def _agreement(event: Event) -> None:
    agreement = Agreement.objects.filter(pk=event.subject_id).first()
    if agreement is None or event.action != "end":
        return
    notify(recipients=unit_people(agreement.unit_id), kind="party.agreement_end",
           title=Text(gettext_noop("A co-building agreement was ended")),
           body=Text(gettext_noop("The agreement \"%(title)s\" was ended: %(reason)s"),
                     {"title": agreement.title, "reason": event.note}),
           link=reverse("party:agreement", args=[agreement.pk]), subject=agreement,
           source_key=f"party.agreement:{event.pk}")


def _supervision(event: Event) -> None:
    item = PropertySupervision.objects.filter(pk=event.subject_id).select_related(
        "estate").first()
    if item is None:
        return
    link = reverse("party:supervision", args=[item.pk])
    params = {"estate": item.estate.name, "month": item.month.strftime("%Y-%m"),
              "score": str(item.score), "note": event.note}
    key = f"party.supervision:{event.pk}"
    if event.action == "open":
        recipients = set(followers(item.area_path)) | set(unit_people(item.unit_id))
        notify(recipients=recipients, kind="party.supervision_open",
               title=Text(gettext_noop("A low property-service month")),
               body=Text(gettext_noop("%(estate)s scored %(score)s in %(month)s: it is under "
                                      "supervision."), params),
               link=link, subject=item, source_key=key)
    elif event.action == "resolve":
        notify(recipients=unit_people(item.unit_id), kind="party.supervision_resolve",
               title=Text(gettext_noop("A property supervision item was resolved")),
               body=Text(gettext_noop("%(estate)s, %(month)s: %(note)s"), params),
               link=link, subject=item, source_key=key)


def agreement_event_notify(event: Event) -> None:
    if event.subject == "agreement":
        _agreement(event)
    elif event.subject == "supervision":
        _supervision(event)
