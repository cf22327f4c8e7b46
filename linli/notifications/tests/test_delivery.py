import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from linli.core.crypto import encrypt
from linli.notifications.delivery import deliveries_retry, notification_deliver
from linli.notifications.models import Delivery
from linli.notifications.tasks import deliver
from linli.notifications.tests.factories import note

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_on(settings):
    settings.EMAIL_ENABLED = True
    settings.NOTIFY_CHANNELS = ["in_app", "email"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://linli.example.cn"


def _states(notification) -> dict[str, str]:
    return {d.channel: d.state for d in Delivery.objects.filter(notification=notification)}


def test_running_delivery_twice_sends_one_email(world, email_on):
    world.rita.email = "rita@example.cn"
    world.rita.save()
    n = note(world.rita, "请评价", body="案件已办结")
    deliver(n.pk)
    deliver(n.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rita@example.cn"] and message.subject == "请评价"
    assert "案件已办结" in message.body and "https://linli.example.cn/cases/1/" in message.body
    assert _states(n) == {"in_app": "sent", "email": "sent"}
    assert Delivery.objects.get(notification=n, channel="email").attempts == 1


def test_email_is_skipped_for_users_without_email(world, email_on):
    n = note(world.rita)
    notification_deliver(notification_id=n.pk)
    assert mail.outbox == []
    email = Delivery.objects.get(notification=n, channel="email")
    assert (email.state, email.last_error) == ("skipped", "no email address")


def test_email_is_skipped_when_disabled(world, email_on, settings):
    settings.EMAIL_ENABLED = False
    world.rita.email = "rita@example.cn"
    world.rita.save()
    n = note(world.rita)
    notification_deliver(notification_id=n.pk)
    assert mail.outbox == []
    assert _states(n) == {"in_app": "sent", "email": "skipped"}


def test_stubs_are_skipped_when_not_configured(world, settings):
    settings.NOTIFY_CHANNELS = ["in_app", "sms", "wechat"]
    world.rita.phone_cipher = encrypt("13600008888")
    world.rita.save()
    n = note(world.rita)
    notification_deliver(notification_id=n.pk)
    assert _states(n) == {"in_app": "sent", "sms": "skipped", "wechat": "skipped"}
    errors = set(Delivery.objects.filter(notification=n).values_list("last_error", flat=True))
    assert errors == {"", "no SMS gateway configured (LINLI_SMS_GATEWAY_URL)",
                      "WeChat is not configured (LINLI_WECHAT_APP_ID, LINLI_WECHAT_GATEWAY_URL)"}


def test_a_sent_or_skipped_delivery_is_never_claimed_again(world, settings):
    settings.NOTIFY_CHANNELS = ["in_app", "sms"]
    n = note(world.rita)
    notification_deliver(notification_id=n.pk)
    notification_deliver(notification_id=n.pk)
    assert list(Delivery.objects.filter(notification=n).order_by("channel")
                .values_list("channel", "state", "attempts")) == [
        ("in_app", "sent", 1), ("sms", "skipped", 1)]


def test_unknown_channel_names_are_ignored(world, settings):
    settings.NOTIFY_CHANNELS = ["in_app", "pigeon"]
    n = note(world.rita)
    notification_deliver(notification_id=n.pk)
    assert _states(n) == {"in_app": "sent"}


def test_a_missing_notification_is_a_no_op(db):
    notification_deliver(notification_id=424242)
    assert Delivery.objects.count() == 0


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.headers.get("Authorization"),
                                    json.loads(self.rfile.read(length))))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    _Gateway.received = []
    _Gateway.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Gateway, f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_sms_posts_json_to_the_configured_gateway(world, settings, gateway):
    handler, url = gateway
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = url, "s3cret"
    settings.SITE_URL = "https://linli.example.cn"
    world.rita.phone_cipher = encrypt("13600008888")
    world.rita.save()
    n = note(world.rita, "请评价", body="案件已办结", kind="case.rate")
    deliver(n.pk)
    deliver(n.pk)
    assert len(handler.received) == 1
    auth, payload = handler.received[0]
    assert auth == "Bearer s3cret"
    assert payload == {"channel": "sms", "to": "13600008888", "notification_id": n.pk,
                       "kind": "case.rate", "title": "请评价", "body": "案件已办结",
                       "url": "https://linli.example.cn/cases/1/",
                       "created_at": n.created_at.isoformat()}
    assert _states(n) == {"sms": "sent"}


def test_sms_is_skipped_for_users_without_phone(world, settings, gateway):
    handler, url = gateway
    settings.NOTIFY_CHANNELS = ["sms"]
    settings.SMS_GATEWAY_URL = url
    n = note(world.rita)
    deliver(n.pk)
    assert handler.received == []
    assert Delivery.objects.get(notification=n).last_error == "no phone number"


def test_wechat_posts_the_user_for_the_relay_to_map(world, settings, gateway):
    handler, url = gateway
    settings.NOTIFY_CHANNELS = ["wechat"]
    settings.WECHAT_APP_ID, settings.WECHAT_TEMPLATE_ID = "wx123", "tmpl-1"
    settings.WECHAT_GATEWAY_URL, settings.WECHAT_GATEWAY_TOKEN = url, ""
    n = note(world.rita, "请评价")
    deliver(n.pk)
    auth, payload = handler.received[0]
    assert auth is None
    assert (payload["channel"], payload["app_id"], payload["template_id"]) == (
        "wechat_template", "wx123", "tmpl-1")
    assert payload["user"] == {"id": world.rita.pk, "username": "rita"}
    assert payload["title"] == "请评价"
    assert _states(n) == {"wechat": "sent"}


def test_a_failed_delivery_is_retried_until_it_succeeds(world, settings, gateway,
                                                        django_capture_on_commit_callbacks):
    handler, url = gateway
    handler.status = 503
    settings.NOTIFY_CHANNELS = ["wechat"]
    settings.WECHAT_APP_ID, settings.WECHAT_GATEWAY_URL = "wx123", url
    n = note(world.rita)
    deliver(n.pk)
    failed = Delivery.objects.get(notification=n)
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert failed.last_error.startswith("HTTPError")
    assert deliveries_retry(now=timezone.now()) == 0  # too soon
    handler.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry(now=timezone.now() + timedelta(minutes=6)) == 1
    sent = Delivery.objects.get(notification=n)
    assert (sent.state, sent.attempts, sent.last_error) == ("sent", 2, "")
    assert len(handler.received) == 2


def test_delivery_gives_up_after_the_maximum_attempts(world, settings, gateway):
    handler, url = gateway
    handler.status = 500
    settings.NOTIFY_CHANNELS = ["wechat"]
    settings.NOTIFY_MAX_ATTEMPTS = 2
    settings.WECHAT_APP_ID, settings.WECHAT_GATEWAY_URL = "wx123", url
    n = note(world.rita)
    for _ in range(4):
        deliver(n.pk)
    assert len(handler.received) == 2
    assert Delivery.objects.get(notification=n).attempts == 2
    assert deliveries_retry(now=timezone.now() + timedelta(hours=1)) == 0


def test_a_delivery_claimed_by_a_live_worker_is_left_alone(world, email_on,
                                                           django_capture_on_commit_callbacks):
    world.rita.email = "rita@example.cn"
    world.rita.save()
    n = note(world.rita)
    Delivery.objects.create(notification=n, channel="email", attempts=1,
                            claimed_at=timezone.now())
    deliver(n.pk)
    assert mail.outbox == []
    # The worker died: once its claim is older than the lease, the retry sweep sends.
    Delivery.objects.filter(notification=n, channel="email").update(
        claimed_at=timezone.now() - timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_retry() == 1
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(notification=n, channel="email").attempts == 2


def test_inactive_users_get_nothing_sent(world, email_on):
    world.rita.email, world.rita.is_active = "rita@example.cn", False
    world.rita.save()
    n = note(world.rita)
    deliver(n.pk)
    assert mail.outbox == []
    assert _states(n) == {"in_app": "skipped", "email": "skipped"}
