"""Who hears about activities.

- A cancelled activity: every live sign-up (confirmed or waiting), with the reason.
- The day before: every confirmed sign-up (services/reminders.py claims the activity).
- A place come free: the promoted person.

Each message goes to the person's own account and to whoever signed them up, once (a
source key per sign-up).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from linli.community.models import Activity, Event, SignUp, SignUpState
from linli.notifications.services import notify
from linli.notifications.text import Text


def _accounts(signup: SignUp) -> set:
    people = {signup.signed_up_by}
    if signup.resident.user is not None:
        people.add(signup.resident.user)
    return people


def _link(activity_id: int) -> str:
    return reverse("community:activity", args=[activity_id])


def activity_event_notify(event: Event) -> None:
    """On cancel: tell every live sign-up, with the reason."""
    if event.action != "cancel":
        return
    activity = Activity.objects.filter(pk=event.subject_id).first()
    if activity is None:
        return
    rows = (SignUp.objects.filter(activity=activity,
                                  state__in=(SignUpState.CONFIRMED, SignUpState.WAITING))
            .select_related("resident", "signed_up_by", "resident__user"))
    for signup in rows:
        notify(recipients=_accounts(signup), kind="community.activity_cancelled",
               title=Text(gettext_noop("%(activity)s is cancelled"),
                          {"activity": activity.title}),
               body=Text(gettext_noop("%(activity)s will not take place. The reason: "
                                      "%(reason)s"),
                         {"activity": activity.title, "reason": event.note}),
               link=_link(activity.pk), subject=activity,
               source_key=f"community.cancelled:{activity.pk}:{signup.pk}")


def activity_remind_notify(activity: Activity) -> None:
    """The day before: every confirmed sign-up hears when and where."""
    rows = (SignUp.objects.filter(activity=activity, state=SignUpState.CONFIRMED)
            .select_related("resident", "signed_up_by", "resident__user"))
    starts = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")
    for signup in rows:
        notify(recipients=_accounts(signup), kind="community.activity_reminder",
               title=Text(gettext_noop("Reminder: %(activity)s"), {"activity": activity.title}),
               body=Text(gettext_noop("%(name)s has a place at %(activity)s, %(at)s at "
                                      "%(venue)s."),
                         {"name": signup.name, "activity": activity.title, "at": starts,
                          "venue": activity.venue}),
               link=_link(activity.pk), subject=activity,
               source_key=f"community.reminder:{activity.pk}:{signup.pk}")


def signup_promoted_notify(signup_id: int) -> None:
    """The first on the waiting list took a place given back: they (and whoever signed them
    up) are told."""
    signup = SignUp.objects.select_related("activity", "resident").filter(pk=signup_id).first()
    if signup is None:
        return
    notify(recipients=_accounts(signup), kind="community.signup_promoted",
           title=Text(gettext_noop("%(name)s has a place now"), {"name": signup.name}),
           body=Text(gettext_noop("A place came free at %(activity)s: %(name)s moved up "
                                  "from the waiting list."),
                     {"activity": signup.activity.title, "name": signup.name}),
           link=_link(signup.activity_id), subject=signup.activity,
           source_key=f"community.promoted:{signup.pk}")
