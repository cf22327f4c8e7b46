"""The lean intake path (issue #22): a warm report by API token reads nothing but the
version counters and writes its four rows; the per-process caches behind it never let a
revoked token, a disabled user, a lost role or a withdrawn category through, not even on
the very next request, whichever process made the change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.accounts.models import ApiToken, RoleAssignment
from linli.accounts.services import api_token_create, api_token_revoke
from linli.cases.models import Case, Category
from linli.cases.selectors import category_by_code
from linli.cases.tests.apitools import post_json
from linli.cases.tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(world, leak):
    return {"category": leak.code, "area_id": world.dwelling_a.pk,
            "description": "楼道水管漏水"}


@pytest.fixture
def token(world):
    return api_token_create(actor=world.rita, name="app")


def _report(client, token, body, key=""):
    headers = {"Authorization": f"Bearer {token[1]}"}
    if key:
        headers["Idempotency-Key"] = key
    return post_json(client, "/api/cases", body, **headers)


def test_a_warm_report_reads_only_the_versions_and_writes_four_rows(client, token, body):
    assert _report(client, token, body, "warm").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert _report(client, token, body, "k-1").status_code == 201
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == 1 and "linli_version" in reads[0]
    tables = [s.split('"')[1] for s in statements if s.startswith("INSERT")]
    assert tables == ["cases_case", "cases_idempotencykey", "cases_caseevent",
                      "core_auditentry"]
    assert len(statements) == 5


def test_a_revoked_token_is_refused_at_once(client, world, token, body):
    assert _report(client, token, body).status_code == 201
    api_token_revoke(actor=world.rita, token=token[0])
    response = _report(client, token, body)
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
    assert Case.objects.count() == 1


def test_a_disabled_account_is_refused_at_once(client, world, token, body):
    assert _report(client, token, body).status_code == 201
    world.rita.is_active = False
    world.rita.save(update_fields=["is_active"])
    response = _report(client, token, body)
    assert response.status_code == 401 and response.json()["code"] == "account_disabled"


def test_a_lost_role_is_refused_at_once(client, world, token, body):
    assert _report(client, token, body).status_code == 201
    RoleAssignment.objects.filter(user=world.rita).delete()
    response = _report(client, token, body)
    assert response.status_code == 404  # no longer sees the place
    assert Case.objects.count() == 1


def test_a_withdrawn_or_deleted_category_is_refused_at_once(client, token, body, leak):
    assert _report(client, token, body).status_code == 201
    Category.objects.filter(pk=leak.pk).update(is_active=False)
    response = _report(client, token, body)
    assert response.status_code == 400 and response.json()["code"] == "bad_category"
    spare = category("L1009", name_zh="井盖缺失")
    assert category_by_code("L1009") is not None  # now in this process's cache
    spare.delete()
    response = _report(client, token, {**body, "category": "L1009"})
    assert response.status_code == 400 and response.json()["code"] == "bad_category"


def test_a_retry_answers_with_its_case_even_after_the_category_was_withdrawn(
        client, token, body, leak):
    first = _report(client, token, body, "k-1")
    Category.objects.filter(pk=leak.pk).update(is_active=False)
    again = _report(client, token, body, "k-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = _report(client, token, {**body, "description": "别的事"}, "k-1")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_mismatch"
    assert Case.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_token_revoked_by_another_process_is_refused_at_once(client, world, leak):
    import psycopg

    token = api_token_create(actor=world.rita, name="app")
    body = {"category": leak.code, "area_id": world.dwelling_a.pk, "description": "漏水"}
    assert _report(client, token, body).status_code == 201
    params = connection.settings_dict
    with psycopg.connect(dbname=params["NAME"], host=params["HOST"] or None,
                         port=params["PORT"] or None, user=params["USER"],
                         password=params["PASSWORD"] or None, autocommit=True) as other:
        other.execute("UPDATE accounts_apitoken SET revoked_at = %s WHERE id = %s",
                      [timezone.now(), token[0].pk])
    response = _report(client, token, body)
    assert response.status_code == 401 and response.json()["code"] == "token_revoked"
    assert ApiToken.objects.get().revoked_at is not None


# --- notifications with a broker: one message per burst --------------------------------------

def test_the_batch_form_notifies_every_event_like_the_single_task(world, leak):
    from linli.cases.services import case_report
    from linli.cases.tasks import case_events_notify
    from linli.notifications.models import Notification

    events = [case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                          description=f"漏水{n}").events.get().pk for n in range(2)]
    Notification.objects.all().delete()
    case_events_notify([events[0], 10**9, events[1]])  # a vanished event stops nobody
    for pk in events:
        assert Notification.objects.filter(source_key=f"case_event:{pk}").exists()


def test_with_a_broker_a_burst_of_notifications_goes_as_one_message(
        monkeypatch, django_capture_on_commit_callbacks):
    import time

    from celery import current_app

    from linli.cases.events import NOTIFY_TASK
    from linli.core import tasks

    sent: list[list[int]] = []
    monkeypatch.setattr(current_app.tasks["cases.case_events_notify"], "delay", sent.append)
    monkeypatch.setattr(tasks, "eager", lambda: False)
    monkeypatch.setattr(tasks, "GATHER_SECONDS", 0.3)
    with django_capture_on_commit_callbacks(execute=True):
        for event_id in (1, 2, 3):
            tasks.enqueue(NOTIFY_TASK, event_id)
        assert sent == []  # nothing before the commit
    deadline = time.monotonic() + 10
    while sum(map(len, sent)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sent == [[1, 2, 3]]
