"""Who hears about honour entries (runs in a task after the move commits; `source_key`
keeps a second run from notifying twice; the actor never hears of their own act).

- approve → the one named (the unit's members; the person's account, else their
  household's accounts) with a link to reply, and the nominator.
- decline → the nominator, with the reason.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.community.models import Event, HonourEntry
from linli.notifications.services import notify
from linli.notifications.text import Text

User = get_user_model()
KIND = "community.honour"


def named_users(entry: HonourEntry) -> list:
    """The accounts the entry names: members of its unit, the person or their household."""
    users: list = []
    if entry.unit_id is not None:
        users += list(User.objects.filter(assignments__role=Role.UNIT_MEMBER,
                                          assignments__unit_id=entry.unit_id,
                                          is_active=True).distinct())
    person = entry.resident
    if person is not None and person.user is not None:
        users.append(person.user)
    elif entry.household_id is not None:
        users += list(User.objects.filter(resident_record__household_id=entry.household_id,
                                          resident_record__moved_out__isnull=True,
                                          is_active=True))
    return users


def entry_event_notify(event: Event) -> None:
    entry = (HonourEntry.objects.select_related("board", "resident", "nominated_by")
             .filter(pk=event.subject_id).first())
    if entry is None:
        return
    link = reverse("community:entry", args=[entry.pk])
    params = {"board": entry.board.title, "name": entry.subject_name,
              "note": event.note or "—"}
    def others(people):
        return [u for u in people if u.pk != event.actor_id]

    if event.action == "approve":
        notify(recipients=others(named_users(entry)), kind=KIND,
               title=Text(gettext_noop("You are named on %(board)s"), params),
               body=Text(gettext_noop("An entry about %(name)s is on %(board)s. You may "
                                      "reply to it: your reply is shown with the entry."),
                         params),
               link=link, subject=entry, source_key=f"community.entry:{event.pk}:named")
        notify(recipients=others([entry.nominated_by]), kind=KIND,
               title=Text(gettext_noop("Your nomination is on %(board)s"), params),
               body=Text(gettext_noop("%(name)s is now on %(board)s."), params),
               link=link, subject=entry, source_key=f"community.entry:{event.pk}:nominator")
    elif event.action == "decline":
        notify(recipients=others([entry.nominated_by]), kind=KIND,
               title=Text(gettext_noop("Your nomination for %(board)s was declined"), params),
               body=Text(gettext_noop("The entry about %(name)s was declined: %(note)s"),
                         params),
               link=link, subject=entry, source_key=f"community.entry:{event.pk}:nominator")
