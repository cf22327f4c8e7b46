import pytest

from linli.core.models import AuditEntry
from linli.notifications.models import Notification
from linli.notifications.tests.factories import note

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(world):
    from django.utils import timezone

    return {
        "rita_old": note(world.rita, "旧", read_at=timezone.now()),
        "rita_new": note(world.rita, "新"),
        "alice": note(world.alice, "别人的"),
    }


def test_anonymous_gets_401_everywhere(client, inbox):
    assert client.get("/api/notifications").status_code == 401
    assert client.post(f"/api/notifications/{inbox['rita_new'].pk}/read").status_code == 401
    response = client.post("/api/notifications/read-all")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_list_shows_only_my_notifications_unread_first(client, world, inbox):
    client.force_login(world.rita)
    body = client.get("/api/notifications").json()
    assert body["count"] == 2
    assert [n["title"] for n in body["items"]] == ["新", "旧"]
    assert body["items"][0]["read_at"] is None and body["items"][0]["link"] == "/cases/1/"


def test_list_names_the_subject_and_the_case_for_older_clients(client, world):
    note(world.rita, "任务", subject_type="volunteering.task", subject_id=3)
    note(world.rita, "案件", subject_type="cases.case", subject_id=7)
    note(world.rita, "无")
    client.force_login(world.rita)
    items = client.get("/api/notifications").json()["items"]
    assert [(n["title"], n["subject_type"], n["subject_id"], n["case_id"]) for n in items] == [
        ("无", "", None, None), ("案件", "cases.case", 7, 7),
        ("任务", "volunteering.task", 3, None)]


def test_unread_filter(client, world, inbox):
    client.force_login(world.rita)
    unread = client.get("/api/notifications?unread=true").json()
    read = client.get("/api/notifications?unread=false").json()
    assert [n["id"] for n in unread["items"]] == [inbox["rita_new"].pk]
    assert [n["id"] for n in read["items"]] == [inbox["rita_old"].pk]


def test_list_is_paginated(client, world):
    for i in range(5):
        note(world.rita, f"n{i}")
    client.force_login(world.rita)
    body = client.get("/api/notifications?page=2&page_size=2").json()
    assert body["count"] == 5
    assert [n["title"] for n in body["items"]] == ["n2", "n1"]


def test_mark_read(client, world, inbox):
    client.force_login(world.rita)
    response = client.post(f"/api/notifications/{inbox['rita_new'].pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert Notification.objects.filter(recipient=world.rita, read_at__isnull=True).count() == 0
    assert AuditEntry.objects.filter(action="notification.read", actor=world.rita).count() == 1


def test_mark_read_twice_keeps_the_first_time(client, world, inbox):
    client.force_login(world.rita)
    first = client.post(f"/api/notifications/{inbox['rita_new'].pk}/read").json()["read_at"]
    second = client.post(f"/api/notifications/{inbox['rita_new'].pk}/read").json()["read_at"]
    assert first == second
    assert AuditEntry.objects.filter(action="notification.read").count() == 1


def test_another_users_notification_is_404_and_stays_unread(client, world, inbox):
    client.force_login(world.rita)
    response = client.post(f"/api/notifications/{inbox['alice'].pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    inbox["alice"].refresh_from_db()
    assert inbox["alice"].read_at is None
    assert AuditEntry.objects.filter(action__startswith="notification.").count() == 0


@pytest.mark.parametrize("who", ["bob", "uma", "nobody"])
def test_other_staff_and_outsiders_cannot_read_a_residents_inbox(client, world, inbox, who):
    client.force_login(getattr(world, who))
    assert client.get("/api/notifications").json()["count"] == 0
    assert client.post(f"/api/notifications/{inbox['rita_new'].pk}/read").status_code == 404
    assert Notification.objects.get(pk=inbox["rita_new"].pk).read_at is None


def test_missing_id_is_404(client, world):
    client.force_login(world.rita)
    assert client.post("/api/notifications/999999/read").status_code == 404


def test_read_all_marks_only_mine(client, world, inbox):
    note(world.rita, "再来一条")
    client.force_login(world.rita)
    response = client.post("/api/notifications/read-all")
    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert Notification.objects.get(read_at__isnull=True) == inbox["alice"]
    entry = AuditEntry.objects.get(action="notification.read_all")
    assert entry.changes == {"count": 2}


def test_read_all_with_nothing_unread_writes_nothing(client, world):
    client.force_login(world.rita)
    assert client.post("/api/notifications/read-all").json() == {"marked": 0}
    assert AuditEntry.objects.filter(action__startswith="notification.").count() == 0


def test_token_user_sees_own_inbox(client, world, inbox):
    from linli.accounts.services import api_token_create

    _token, secret = api_token_create(actor=world.rita, name="app")
    response = client.get("/api/notifications",
                          headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["count"] == 2
