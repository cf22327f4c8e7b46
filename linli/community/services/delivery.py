"""The inbox delivery of published notices: once each, when its publishing time has come.

`notice_deliver` claims the notice by a conditional UPDATE of `delivered_at` (of two runs
at once exactly one wins), counts its audience (households, at that moment) and puts a
message in the inbox of every resident account of the audience: users with the resident
role at a dwelling under the place; for a care group only those whose own registry record
carries the tag. `source_key` makes a retried run notify nobody twice. `notices_deliver` is
the minute's sweep over the notices due.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from linli.accounts.models import Role
from linli.community.models import Notice, NoticeKind, NoticeState
from linli.notifications.services import notify
from linli.notifications.text import Text

KIND = "community.notice"


def _due(now: datetime) -> Q:
    return (Q(state=NoticeState.PUBLISHED, publish_at__lte=now, delivered_at__isnull=True)
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)))


def recipients(notice: Notice) -> list:
    """Resident accounts of the audience (see the module docstring)."""
    from linli.community.selectors_notices import audience_residents

    users = get_user_model().objects.filter(
        is_active=True, assignments__role=Role.RESIDENT,
        assignments__area__path__startswith=notice.area_path)
    if notice.care_tag_id is not None:
        users = users.filter(pk__in=audience_residents(notice).values("user_id"))
    return list(users.distinct())


def _title(notice: Notice) -> Text:
    if notice.kind == NoticeKind.URGENT:
        return Text(gettext_noop("Urgent notice: %(title)s"), {"title": notice.title})
    return Text(gettext_noop("Notice: %(title)s"), {"title": notice.title})


@transaction.atomic
def notice_deliver(notice_id: int, *, now: datetime | None = None) -> bool:
    """Deliver one notice if it is due and nobody delivered it yet; True if this run did."""
    from linli.community.selectors_notices import audience_households

    now = now or timezone.now()
    if not Notice.objects.filter(_due(now), pk=notice_id).update(delivered_at=now):
        return False
    notice = Notice.objects.select_related("care_tag").get(pk=notice_id)
    audience = audience_households(notice).count()
    Notice.objects.filter(pk=notice_id).update(audience=audience)
    notify(recipients=recipients(notice), kind=KIND, title=_title(notice),
           body=notice.body[:200],
           link=reverse("community:notice", args=[notice_id]), subject=notice,
           source_key=f"community.notice:{notice_id}")
    return True


def notices_deliver(*, now: datetime) -> int:
    """Deliver every notice whose publishing time has come (the minute's sweep)."""
    due = list(Notice.objects.filter(_due(now)).values_list("pk", flat=True))
    return sum(notice_deliver(pk, now=now) for pk in due)
