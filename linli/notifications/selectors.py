"""Reads of the inbox. Scope is simply ownership: everyone sees their own notifications only,
and another person's notification looks exactly like a missing one (404)."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from linli.core.errors import NotFound
from linli.notifications.models import Notification

_UNREAD_FIRST = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1),
                     output_field=IntegerField())


def notification_list(*, actor, unread: bool | None = None) -> QuerySet[Notification]:
    """The actor's notifications, unread first, newest first within each group."""
    if not getattr(actor, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=actor)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by(_UNREAD_FIRST, "-created_at", "-id")


def notification_get(*, actor, notification_id: int) -> Notification:
    found = notification_list(actor=actor).filter(pk=notification_id).first()
    if found is None:
        raise NotFound(_("Notification not found."))
    return found


def unread_count(*, actor) -> int:
    if not getattr(actor, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
