"""POST /api/cases/{id}/support: "me too" through the API, with the pages' rules: once per
resident of the community, an open public case of a community that publishes; every
refusal with its code and nothing written."""

import pytest

from linli.accounts.services import api_token_create
from linli.cases.models import Publication, Supporter
from linli.cases.tests.apitools import post_json
from linli.cases.tests.publictools import moved
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _url(case) -> str:
    return f"/api/cases/{case.pk}/support"


def _written() -> tuple[int, int]:
    return Supporter.objects.count(), AuditEntry.objects.filter(
        action="case.supported").count()


def test_anonymous_is_401(client, pw):
    response = post_json(client, _url(pw.public))
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert _written() == (0, 0)


def test_a_resident_supports_once_by_session_or_token(client, pw):
    client.force_login(pw.ruth)
    response = post_json(client, _url(pw.public))
    assert response.status_code == 201
    assert response.json() == {"case_id": pw.public.pk, "supporters": 1, "supported": True}
    _token, secret = api_token_create(actor=pw.ruth, name="app")
    again = post_json(client, _url(pw.public), Authorization=f"Bearer {secret}")
    assert (again.status_code, again.json()["code"]) == (409, "already_supported")
    assert again.json()["message"] == "您已对该案件表示过“我也遇到”，每人只计一次。"
    assert _written() == (1, 1)


@pytest.mark.parametrize(("who", "status", "code"), [
    ("rita", 400, "own_case"),           # her own report
    ("bea", 404, "not_found"),           # lives in B: A shows its cases to its own only
    ("alice", 403, "not_a_resident"),    # staff of A: reads them, is no resident
])
def test_who_may_not_support(client, pw, who, status, code):
    Publication.objects.filter(community=pw.community_a).update(anonymous_allowed=False)
    client.force_login(getattr(pw, who))
    response = post_json(client, _url(pw.public))
    assert response.status_code == status
    assert response.json()["code"] == code
    assert _written() == (0, 0)


def test_a_resident_of_another_community_is_refused_where_anyone_may_read(client, pw):
    client.force_login(pw.bea)
    response = post_json(client, _url(pw.public))
    assert (response.status_code, response.json()["code"]) == (403, "not_a_resident")
    assert _written() == (0, 0)


def test_private_unpublished_and_missing_cases_are_404_alike(client, pw):
    client.force_login(pw.ruth)
    answers = [post_json(client, _url(case)).json() for case in (pw.private, pw.hidden)]
    Publication.objects.all().delete()
    answers.append(post_json(client, _url(pw.public)).json())
    missing = post_json(client, "/api/cases/987654321/support").json()
    assert all(a == missing for a in answers)
    assert missing["code"] == "not_found"
    assert _written() == (0, 0)


def test_a_closed_case_is_refused(client, pw):
    moved(pw.public, pw, "accept", "dispatch", "acknowledge", "resolve", "verify", "close")
    client.force_login(pw.ruth)
    response = post_json(client, _url(pw.public))
    assert (response.status_code, response.json()["code"]) == (400, "transition_not_allowed")
    assert _written() == (0, 0)
