"""Delivery channels. Each has `send(notification, user)`, which returns when the message
left and raises on failure (the delivery is retried) or raises `Skipped` when this channel
cannot reach this person or is not configured (recorded, never retried).

SMS and WeChat are deliberately vendor-neutral: when configured they POST a small JSON
document (docs/notifications.md) to a gateway the deployment runs, which talks to its own
SMS provider or WeChat official account. Nothing here knows a vendor's API.
"""

import json
import logging
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext_noop

from linli.notifications.models import Notification
from linli.notifications.text import Text, language_of, render

log = logging.getLogger(__name__)


class Skipped(Exception):
    """Not an error: the channel is off, or the person has no address on it."""


class NotificationChannel:
    name = ""

    def send(self, notification: Notification, user) -> None:
        raise NotImplementedError


def absolute_link(notification: Notification) -> str:
    if not notification.link or "://" in notification.link:
        return notification.link
    return settings.SITE_URL.rstrip("/") + notification.link


class InAppChannel(NotificationChannel):
    """The Notification row is the inbox entry; there is nothing more to send."""

    name = "in_app"

    def send(self, notification: Notification, user) -> None:
        return None


class EmailChannel(NotificationChannel):
    name = "email"

    def send(self, notification: Notification, user) -> None:
        if not settings.EMAIL_ENABLED:
            raise Skipped("email is not enabled (LINLI_EMAIL_ENABLED)")
        if not user.email:
            raise Skipped("no email address")
        link = absolute_link(notification)
        footer = render(Text(gettext_noop("Open in Linli: %(link)s"), {"link": link}),
                        language_of(user)) if link else ""
        body = "\n\n".join(part for part in (notification.body, footer) if part)
        send_mail(notification.title, body, settings.DEFAULT_FROM_EMAIL, [user.email],
                  fail_silently=False)


def post_json(url: str, token: str, payload: dict[str, Any]) -> None:
    """POST `payload` to a gateway; raises on a network error or a non-2xx answer."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"gateway URL must be http(s): {url!r}")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(payload, ensure_ascii=False).encode()
    # The scheme is checked above, so no file:// or custom scheme can be reached.
    request = urllib.request.Request(url, data=data, headers=headers,  # noqa: S310
                                     method="POST")
    timeout = settings.NOTIFY_HTTP_TIMEOUT
    with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
        if not 200 <= resp.status < 300:
            raise RuntimeError(f"gateway answered {resp.status}")


def _common(notification: Notification) -> dict[str, Any]:
    return {"notification_id": notification.pk, "kind": notification.kind,
            "title": notification.title, "body": notification.body,
            "url": absolute_link(notification),
            "created_at": notification.created_at.isoformat()}


class SmsChannel(NotificationChannel):
    """Stub for an SMS gateway: on only when LINLI_SMS_GATEWAY_URL is set."""

    name = "sms"

    def send(self, notification: Notification, user) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise Skipped("no SMS gateway configured (LINLI_SMS_GATEWAY_URL)")
        phone = _phone(user)
        if not phone:
            raise Skipped("no phone number")
        payload = {"channel": "sms", "to": phone, **_common(notification)}
        post_json(settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN, payload)


def _phone(user) -> str:
    from linli.core.crypto import decrypt

    return decrypt(user.phone_cipher) if user.phone_cipher else ""


class WeChatTemplateChannel(NotificationChannel):
    """Stub for WeChat template messages through a relay: on only when LINLI_WECHAT_APP_ID
    and LINLI_WECHAT_GATEWAY_URL are set. The relay maps our user to an openid."""

    name = "wechat"

    def send(self, notification: Notification, user) -> None:
        if not (settings.WECHAT_APP_ID and settings.WECHAT_GATEWAY_URL):
            raise Skipped("WeChat is not configured (LINLI_WECHAT_APP_ID, "
                          "LINLI_WECHAT_GATEWAY_URL)")
        payload = {"channel": "wechat_template", "app_id": settings.WECHAT_APP_ID,
                   "template_id": settings.WECHAT_TEMPLATE_ID,
                   "user": {"id": user.pk, "username": user.get_username()},
                   **_common(notification)}
        post_json(settings.WECHAT_GATEWAY_URL, settings.WECHAT_GATEWAY_TOKEN, payload)


CHANNELS: dict[str, NotificationChannel] = {
    c.name: c for c in (InAppChannel(), EmailChannel(), SmsChannel(), WeChatTemplateChannel())
}


def active_channels() -> list[NotificationChannel]:
    """The channels named in LINLI_NOTIFY_CHANNELS, in that order; unknown names are logged."""
    out = []
    for name in settings.NOTIFY_CHANNELS:
        channel = CHANNELS.get(name)
        if channel is None:
            log.warning("LINLI_NOTIFY_CHANNELS names an unknown channel %r", name)
        else:
            out.append(channel)
    return out
