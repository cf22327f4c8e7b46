import pytest

from linli.notifications.models import Notification
from linli.notifications.tests.factories import note

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    mine = note(world.rita)
    assert client.post(f"/inbox/{mine.pk}/read/").status_code == 302
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_inbox_lists_my_notifications_and_the_nav_count(client, world):
    note(world.rita, "漏水已处理")
    note(world.rita, "请评价")
    note(world.alice, "别人的通知")
    client.force_login(world.rita)
    page = client.get("/inbox/").content.decode()
    assert "漏水已处理" in page and "请评价" in page and "别人的通知" not in page
    assert '<span class="badge" id="nav-unread">2</span>' in page


def test_no_badge_when_everything_is_read(client, world):
    client.force_login(world.rita)
    page = client.get("/inbox/").content.decode()
    assert 'id="nav-unread"' not in page


def test_htmx_mark_read_returns_the_row(client, world):
    mine = note(world.rita, "请评价")
    client.force_login(world.rita)
    response = client.post(f"/inbox/{mine.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{mine.pk}"' in html and 'class="read"' in html
    assert Notification.objects.get(pk=mine.pk).read_at is not None


def test_open_marks_read_and_follows_the_link(client, world):
    mine = note(world.rita, link="/cases/5/")
    client.force_login(world.rita)
    response = client.post(f"/inbox/{mine.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/cases/5/"


def test_open_never_follows_a_link_to_another_site(client, world):
    mine = note(world.rita, link="https://evil.example.com/")
    client.force_login(world.rita)
    response = client.post(f"/inbox/{mine.pk}/read/", {"open": "1"})
    assert response["Location"] == "/inbox/"


def test_someone_elses_notification_is_404(client, world):
    theirs = note(world.alice)
    client.force_login(world.rita)
    assert client.post(f"/inbox/{theirs.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_read_all(client, world):
    note(world.rita)
    note(world.rita)
    theirs = note(world.alice)
    client.force_login(world.rita)
    response = client.post("/inbox/read-all/")
    assert response.status_code == 302
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]
