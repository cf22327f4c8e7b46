"""What each activity, notice or entry move writes, or why it is refused (the kit's
`effects`), and what follows it (`after`): declared in `workflow.py`.

- publish (an activity): its times must make sense and lie ahead: sign-up opens before it
  closes, closes no later than the end, and the activity has not ended.
- report (an activity): only once it has ended, with a text.
- publish (a notice): the expiry, if any, lies after the publishing time and ahead.
- approve (an entry): a black board's entry names no private person or household.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from linli.community.models import (
    BLACK_SUBJECTS,
    Activity,
    BoardKind,
    HonourEntry,
    Notice,
)
from linli.core.errors import ValidationFailed
from linli.core.tasks import enqueue

Effects = dict[str, Any]


def check_activity_times(activity: Activity, now: datetime) -> None:
    if activity.ends_at <= activity.starts_at:
        raise ValidationFailed(_("The activity must end after it starts."), code="bad_times")
    if activity.signup_closes_at <= activity.signup_opens_at:
        raise ValidationFailed(_("Sign-up must close after it opens."), code="bad_times")
    if activity.signup_closes_at > activity.ends_at:
        raise ValidationFailed(_("Sign-up must close by the end of the activity."),
                               code="bad_times")


def _publish_activity(activity: Activity, actor, now: datetime, data: dict) -> Effects:
    check_activity_times(activity, now)
    if activity.ends_at <= now:
        raise ValidationFailed(_("This activity has already ended: change its times before "
                               "publishing it."), code="ended")
    return {}


def _report(activity: Activity, actor, now: datetime, data: dict) -> Effects:
    if now < activity.ends_at:
        raise ValidationFailed(_("Write the report once the activity has ended."),
                               code="not_ended")
    text = (data.get("report") or "").strip()
    if not text:
        raise ValidationFailed(_("Write a short report of the activity."),
                               code="report_required")
    if len(text) > 4000:
        raise ValidationFailed(_("The report is too long (at most 4000 characters)."),
                               code="too_long")
    return {"report": text}


ACTIVITY_EFFECTS = {"publish": _publish_activity, "report": _report}
ACTIVITY_AFTER: dict = {}


def _publish_notice(notice: Notice, actor, now: datetime, data: dict) -> Effects:
    if notice.expires_at is not None and (notice.expires_at <= notice.publish_at
                                          or notice.expires_at <= now):
        raise ValidationFailed(_("The notice must expire after it is published."),
                               code="bad_expiry")
    return {}


def _notice_published(notice: Notice, actor, now: datetime, data: dict) -> None:
    """A notice whose time has come goes to the inboxes once this commits; a scheduled one
    waits for the minute's sweep."""
    if notice.publish_at <= now:
        enqueue("community.notice_deliver", notice.pk)


NOTICE_EFFECTS = {"publish": _publish_notice}
NOTICE_AFTER: dict = {"publish": _notice_published}


def _approve(entry: HonourEntry, actor, now: datetime, data: dict) -> Effects:
    if entry.board.kind == BoardKind.BLACK and entry.subject_kind not in BLACK_SUBJECTS:
        raise ValidationFailed(_("A black list names only units or public behaviour, never a "
                               "private person or household."), code="private_person")
    return {}


ENTRY_EFFECTS = {"approve": _approve}
