"""Several web processes against one PostgreSQL: a client that retries a report (a lost
answer, a load balancer sending each try to another machine) still makes one case.

Two real server processes, started the way production starts them, receive the same
report with the same Idempotency-Key at the same instant, half each. No process can know
what the other is doing; only the database's unique constraint on (user, key) can make
them agree. docs/operations.md ("Scaling past one machine") cites this test.
"""

import threading

import pytest

from linli.accounts.services import api_token_create
from linli.cases.models import Case, CaseEvent, IdempotencyKey
from linli.cases.tests.walking import leak_category
from linli.cases.tests.webservers import Answer, WebServer, request, start_servers
from linli.core.models import AuditEntry
from linli.core.tests.threads import run_together

KEY = "storm-retry-1"
SENDERS = 16  # half to each server: more than each server's 4 threads, so requests queue


@pytest.fixture
def reporter(transactional_db, world):
    """rita, her token, and a report of a leak in her dwelling (community A, routed)."""
    _token, secret = api_token_create(actor=world.rita, name="retrying app")
    body = {"category": leak_category(world).code, "area_id": world.dwelling_a.pk,
            "description": "楼上水管爆裂，楼道积水", "address": "花楼小区1栋"}
    return {"Authorization": f"Bearer {secret}"}, body


@pytest.fixture
def servers(reporter, tmp_path):
    headers, _body = reporter
    # Ready means a token-authenticated API read answered 200 in each server.
    running = start_servers(tmp_path, 2, probe="/api/cases", headers=headers)
    try:
        yield running
    finally:  # before transactional_db empties the tables the servers hold connections to
        for server in running:
            server.stop()


def sender(server: WebServer, headers: dict[str, str], body: dict):
    def job(barrier: threading.Barrier) -> Answer:
        barrier.wait()
        return request(server.url + "/api/cases", method="POST", body=body,
                       headers={**headers, "Idempotency-Key": KEY})
    return job


def stored() -> tuple[int, int, int, int]:
    return (Case.objects.count(), CaseEvent.objects.filter(action="report").count(),
            IdempotencyKey.objects.filter(key=KEY).count(),
            AuditEntry.objects.filter(action="case.reported").count())


@pytest.mark.postgres
def test_one_report_retried_at_once_through_two_processes_makes_one_case(servers, reporter):
    headers, body = reporter
    jobs = [sender(servers[i % 2], headers, body) for i in range(SENDERS)]
    outcomes = run_together(*jobs, timeout=60)

    answers = [value for kind, value in outcomes if kind == "ok"]
    assert len(answers) == SENDERS, outcomes
    assert {a.status for a in answers} <= {200, 201}, [(a.status, a.body) for a in answers]
    assert len({a.body["id"] for a in answers}) == 1, answers
    # Only the insert that committed answers 201; the others replay it as 200.
    assert sorted(a.status for a in answers) == [200] * (SENDERS - 1) + [201]
    case = Case.objects.get()
    assert answers[0].body["id"] == case.pk
    assert stored() == (1, 1, 1, 1)

    other = {**body, "description": "另一件事：电梯停了"}
    refused = request(servers[1].url + "/api/cases", method="POST", body=other,
                      headers={**headers, "Idempotency-Key": KEY})
    assert refused.status == 409, refused
    assert refused.body["code"] == "idempotency_mismatch"
    assert stored() == (1, 1, 1, 1)
