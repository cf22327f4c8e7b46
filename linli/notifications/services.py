"""Every write to the inbox: creating notifications and marking them read.

`notify` is called by other apps (e.g. `cases.notify`) from inside tasks; it writes one row
per recipient in bulk and queues one delivery task per row after commit.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied
from linli.core.tasks import enqueue
from linli.notifications.channels import post_json
from linli.notifications.models import Notification
from linli.notifications.text import language_of, render


def _unique_active(recipients: Iterable) -> list:
    seen: dict[int, Any] = {}
    for user in recipients:
        if user is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def subject_of(obj: models.Model | None) -> tuple[str, int | None]:
    """(subject_type, subject_id) naming `obj`: its model label ("cases.case") and key."""
    if obj is None:
        return "", None
    return obj._meta.label_lower, obj.pk


def _rows(users: list, kind: str, title: Any, body: Any, link: str,
          subject: models.Model | None, source_key: str) -> list[Notification]:
    subject_type, subject_id = subject_of(subject)
    rendered: dict[str, tuple[str, str]] = {}
    rows = []
    for user in users:
        language = language_of(user)
        if language not in rendered:  # render once per language, not once per person
            rendered[language] = (render(title, language)[:200], render(body, language)[:2000])
        text_title, text_body = rendered[language]
        rows.append(Notification(recipient=user, kind=kind, title=text_title, body=text_body,
                                 link=link, subject_type=subject_type,
                                 subject_id=subject_id, source_key=source_key))
    return rows


@transaction.atomic
def notify(*, recipients: Iterable, kind: str, title: Any, body: Any = "", link: str = "",
           subject: models.Model | None = None, source_key: str = "") -> list[int]:
    """Put a message in each recipient's inbox and queue its delivery to the other channels.

    `subject` is the model instance the message is about (a case, a task), if any.

    `title` and `body` are English msgids (str, lazy or `text.Text`), rendered in each
    recipient's language. With a `source_key`, a second call for the same source adds
    nothing (a retried task). Returns the notification ids.
    """
    users = _unique_active(recipients)
    if not users:
        return []
    rows = _rows(users, kind, title, body, link, subject, source_key)
    if source_key:
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(Notification.objects.filter(source_key=source_key, recipient__in=users)
                   .values_list("pk", flat=True))
    else:
        ids = [row.pk for row in Notification.objects.bulk_create(rows)]
    for pk in ids:
        # Delivery is idempotent, so re-queuing a known row is safe.
        enqueue("notifications.deliver", pk)
    return ids


def _check_owner(actor, notification: Notification) -> None:
    if not getattr(actor, "is_authenticated", False) or notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This is not your notification."))


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    _check_owner(actor, notification)
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now)
    if changed:
        audit_record(actor=actor, action="notification.read", obj=notification)
    notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Marks every unread notification of the actor read; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in first."))
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now())
    if count:
        audit_record(actor=actor, action="notification.read_all", object_type="notification",
                     object_label=actor.get_username(), changes={"count": count})
    return count


# --- a text message to a number that is nobody's login ----------------------------------

class SmsUnavailable(Exception):
    """No SMS gateway is configured (LINLI_SMS_GATEWAY_URL): nothing was sent."""


def sms_configured() -> bool:
    return bool(settings.SMS_GATEWAY_URL)


def sms_send(*, to: str, kind: str, title: str, body: str, link: str = "") -> None:
    """Send one SMS to a phone number through the configured gateway, for someone who has
    no login (a care plan's emergency contact). The payload is the SMS channel's
    (docs/notifications.md) without a notification id. Raises SmsUnavailable when no
    gateway is configured, and the gateway's error when it fails; the caller records the
    outcome. Call it outside a transaction: it waits for the gateway."""
    if not sms_configured():
        raise SmsUnavailable("no SMS gateway configured (LINLI_SMS_GATEWAY_URL)")
    if link and "://" not in link:
        link = settings.SITE_URL.rstrip("/") + link
    post_json(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, {
        "channel": "sms", "to": to, "notification_id": None, "kind": kind,
        "title": title[:200], "body": body[:2000], "url": link,
        "created_at": timezone.now().isoformat()})
