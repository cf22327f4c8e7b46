"""Who hears about activities (the activities part fills this in)."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.community.models import Event, SignUp
from linli.notifications.services import notify
from linli.notifications.text import Text


def activity_event_notify(event: Event) -> None:
    return None


def signup_promoted_notify(signup_id: int) -> None:
    """The first on the waiting list took a place given back: they (and whoever signed them
    up) are told."""
    signup = SignUp.objects.select_related("activity", "resident").filter(pk=signup_id).first()
    if signup is None:
        return
    people = {signup.signed_up_by}
    if signup.resident.user is not None:
        people.add(signup.resident.user)
    notify(recipients=people, kind="community.signup_promoted",
           title=Text(gettext_noop("%(name)s has a place now"), {"name": signup.name}),
           body=Text(gettext_noop("A place came free at %(activity)s: %(name)s moved up "
                                  "from the waiting list."),
                     {"activity": signup.activity.title, "name": signup.name}),
           link=reverse("community:activity", args=[signup.activity_id]),
           subject=signup.activity,
           source_key=f"community.promoted:{signup.pk}")
