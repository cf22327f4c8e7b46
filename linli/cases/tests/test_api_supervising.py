"""Supervision by hand (督办) through the API: the same moves as the page, offered in
`allowed_actions`, with the notice's answer time as `respond_by`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, State
from linli.cases.tests.apitools import post_json, snapshot
from linli.cases.tests.walking import case_in_state

pytestmark = pytest.mark.django_db


def act(client, case, action, **data):
    return post_json(client, f"/api/cases/{case.pk}/actions/{action}", data)


def test_a_notice_and_its_answer_through_the_api(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    client.force_login(world.alice)
    assert {"urge", "notice", "escalate"} <= set(
        client.get(f"/api/cases/{case.pk}").json()["allowed_actions"])
    before = snapshot(case)
    missing = act(client, case, "notice", note="请说明进展")
    assert (missing.status_code, missing.json()["code"]) == (400, "respond_by_required")
    past = act(client, case, "notice", note="请说明进展",
               respond_by=(timezone.now() - timedelta(hours=1)).isoformat())
    assert (past.status_code, past.json()["code"]) == (400, "respond_by_too_soon")
    assert snapshot(case) == before
    due = timezone.now() + timedelta(days=1)
    done = act(client, case, "notice", note="请说明进展", respond_by=due.isoformat(),
               version=case.version)
    assert done.status_code == 200
    assert Case.objects.get(pk=case.pk).notice_due_at is not None

    client.force_login(world.uma)
    assert "answer_notice" in client.get(f"/api/cases/{case.pk}").json()["allowed_actions"]
    answered = act(client, case, "answer_notice", note="明早上门")
    assert answered.status_code == 200
    assert Case.objects.get(pk=case.pk).notice_due_at is None


@pytest.mark.parametrize(("who", "status"), [("rita", 403), ("bob", 404), ("gina", 403),
                                             ("uma", 403)])
def test_only_supervisors_urge_through_the_api(client, world, who, status):
    case = case_in_state(world, State.IN_PROGRESS)
    before = snapshot(case)
    assert act(client, case, "urge").status_code == 401
    client.force_login(getattr(world, who))
    assert act(client, case, "urge").status_code == status
    assert snapshot(case) == before
