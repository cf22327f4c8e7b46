"""Who hears about a survey's moves: when it opens, every resident account of its audience
(users with the resident role at a dwelling under the place) gets an inbox message leading
to the answer page. `source_key` makes a retried task notify nobody twice."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.notifications.services import notify
from linli.notifications.text import Text
from linli.surveys.models import Event, Survey

KIND = "surveys.opened"


def recipients(survey: Survey) -> list:
    users = get_user_model().objects.filter(
        is_active=True, assignments__role=Role.RESIDENT,
        assignments__area__path__startswith=survey.area_path)
    return list(users.distinct())


def event_notify(event_id: int) -> None:
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.action != "open":
        return
    survey = Survey.objects.filter(pk=event.subject_id).first()
    if survey is None:
        return
    notify(recipients=recipients(survey), kind=KIND,
           title=Text(gettext_noop("A survey for you: %(title)s"), {"title": survey.title}),
           body=Text(gettext_noop("Tell us what your household needs most, until %(at)s."),
                     {"at": timezone.localtime(survey.closes_at).strftime("%Y-%m-%d")}),
           link=reverse("surveys:answer", args=[survey.pk]), subject=survey,
           source_key=f"surveys.opened:{survey.pk}")
