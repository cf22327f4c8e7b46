"""Who hears about a need's moves.

- The resident's household (every member with an account) and who posted it, when it is
  matched to a provider, turned into work (what it became), met or closed (the reason).
- The community's dispatchers, when a need is classified 急 (urgent).

One message per event and person (a source key per event).
"""

from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role, User
from linli.library.models import Event, Need, Outcome
from linli.notifications.services import notify
from linli.notifications.text import Text

RESIDENT_HEARS = {
    "match": (gettext_noop("Your need is matched"),
              gettext_noop("Your need \"%(need)s\" is matched to %(provider)s.")),
    "hand_over": (gettext_noop("Your need is being handled"),
                  gettext_noop("Your need \"%(need)s\" became %(outcome)s.")),
    "meet": (gettext_noop("Your need is met"),
             gettext_noop("Your need \"%(need)s\" is marked met.")),
    "served": (gettext_noop("Your need is met"),
               gettext_noop("Your need \"%(need)s\" is marked met.")),
    "close": (gettext_noop("Your need is closed"),
              gettext_noop("Your need \"%(need)s\" is closed: %(reason)s")),
}


def household_accounts(need: Need) -> set:
    from linli.people.models import Resident

    people: set = {need.posted_by} if need.source == "request" else set()
    if need.household_id is not None:
        people |= {r.user for r in Resident.objects.filter(
            household_id=need.household_id, user__isnull=False,
            moved_out__isnull=True).select_related("user")}
    elif need.resident is not None and need.resident.user is not None:
        people.add(need.resident.user)
    return people


def dispatchers(need: Need):
    ids = [int(p) for p in need.area_path.strip("/").split("/") if p]
    return User.objects.filter(assignments__role=Role.DISPATCHER,
                               assignments__area_id__in=ids).distinct()


def _short(need: Need) -> str:
    return need.text if len(need.text) <= 30 else need.text[:30] + "…"


def need_event_notify(event: Event) -> None:
    need = (Need.objects.filter(pk=event.subject_id)
            .select_related("provider", "resident__user", "posted_by").first())
    if need is None:
        return
    link = reverse("library:need", args=[need.pk])
    key = f"library.need:{event.pk}"
    if event.action == "classify" and need.urgency == "urgent":
        notify(recipients=dispatchers(need), kind="library.need_urgent",
               title=Text(gettext_noop("An urgent need")),
               body=Text(gettext_noop("A need was classified urgent (急): %(need)s"),
                         {"need": _short(need)}),
               link=link, subject=need, source_key=key)
        return
    if event.action not in RESIDENT_HEARS:
        return
    title, body = RESIDENT_HEARS[event.action]
    outcome = Outcome(need.outcome).label if need.outcome else ""
    notify(recipients=household_accounts(need), kind=f"library.need_{event.action}",
           title=Text(title),
           body=Text(body, {"need": _short(need),
                            "provider": need.provider.name if need.provider else "",
                            "outcome": outcome, "reason": event.note}),
           link=link, subject=need, source_key=key)
