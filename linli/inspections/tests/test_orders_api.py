"""The orders API: anonymous 401, another community 404, wrong role 403, right role 200 on
every operation; the list's filters; the moves with their refusals; rectification by
multipart; a case; the notice PDF."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.tests.factories import category
from linli.inspections.models import State
from linli.inspections.supervision import supervise_overdue
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import FAR, NEAR, order
from linli.inspections.tests.orderkit import photo, rectified, snapshot

pytestmark = pytest.mark.django_db
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root
API = "/api/inspections/orders"


def post(client, path: str, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def rectify(client, o, **data):
    return client.post(f"{API}/{o.pk}/rectification", {"after": photo(), **data})


# --- the matrix ----------------------------------------------------------------------------

def operations(o):
    return [("get", "", None), ("get", f"/{o.pk}", None),
            ("post", f"/{o.pk}/actions/sign_off", {}),
            ("multipart", f"/{o.pk}/rectification", None),
            ("post", f"/{o.pk}/case", {"category_id": category().pk}),
            ("get", f"/{o.pk}/notice.pdf", None)]


def call(client, method, path, body):
    if method == "get":
        return client.get(f"{API}{path}")
    if method == "multipart":
        return client.post(f"{API}{path}", {"after": photo()})
    return post(client, path, body)


def test_anonymous_is_401_everywhere(client, crew):
    o = order(crew)
    for method, path, body in operations(o):
        assert call(client, method, path, body).status_code == 401, path


def test_another_community_is_404_and_nothing_changes(client, crew, media_root):
    o = order(crew)
    client.force_login(crew.bob)
    before = snapshot(o)
    for method, path, body in operations(o)[1:]:
        assert call(client, method, path, body).status_code == 404, path
    assert snapshot(o) == before
    assert client.get(API).json()["count"] == 0


def test_wrong_roles_are_refused(client, crew, media_root):
    o = order(crew)
    client.force_login(crew.gina)  # a grid worker raises no case
    assert post(client, f"/{o.pk}/case", {"category_id": category().pk}).status_code == 403
    rectify(client, o)
    assert post(client, f"/{o.pk}/actions/sign_off").json()["code"] == "recheck_by_rectifier"
    client.force_login(crew.rita)
    assert client.get(f"{API}/{o.pk}").status_code == 404


def test_the_right_roles_go_all_the_way(client, crew, media_root):
    o = order(crew)
    client.force_login(crew.gina)
    listed = client.get(API).json()
    assert listed["count"] == 1 and listed["items"][0]["light"] == "green"
    detail = client.get(f"{API}/{o.pk}").json()
    assert detail["allowed_actions"] == ["rectify"] and detail["events"][0]["action"] == "issue"
    done = rectify(client, o, note="已更换", expected_version=1)
    assert done.status_code == 200 and done.json()["state"] == State.RECTIFIED
    assert done.json()["photos"][0]["url"].startswith("/inspections/photos/")
    client.force_login(crew.ivy)
    signed = post(client, f"/{o.pk}/actions/sign_off",
                  {"lat": str(NEAR[0]), "lng": str(NEAR[1]), "expected_version": 2})
    assert signed.status_code == 200 and signed.json()["state"] == State.CLOSED
    pdf = client.get(f"{API}/{o.pk}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- refusals ---------------------------------------------------------------------------------

def test_rectification_without_after_photos_is_400(client, crew, media_root):
    o = order(crew)
    client.force_login(crew.gina)
    answer = client.post(f"{API}/{o.pk}/rectification", {"before": photo()})
    assert answer.status_code == 400 and snapshot(o)[0] == State.ISSUED


def test_rectify_is_not_a_json_action(client, crew):
    o = order(crew)
    client.force_login(crew.gina)
    assert post(client, f"/{o.pk}/actions/rectify").json()["code"] == "unknown_action"


def test_too_far_and_past_deadline_are_400(client, crew, media_root):
    o = rectified(crew, order(crew))
    client.force_login(crew.ivy)
    far = post(client, f"/{o.pk}/actions/sign_off", {"lat": str(FAR[0]), "lng": str(FAR[1])})
    assert far.status_code == 400 and far.json()["code"] == "too_far"
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    late = post(client, f"/{o.pk}/actions/reject", {"note": "没修好", "due_on": past})
    assert late.status_code == 400 and late.json()["code"] == "deadline_past"
    assert snapshot(o)[0] == State.RECTIFIED


def test_a_stale_version_is_409(client, crew, media_root):
    o = rectified(crew, order(crew))
    client.force_login(crew.ivy)
    answer = post(client, f"/{o.pk}/actions/sign_off", {"expected_version": 1})
    assert answer.status_code == 409 and answer.json()["code"] == "stale"


def test_escalate_with_a_unit(client, crew):
    o = order(crew)
    supervise_overdue(now=o.due_at + timedelta(minutes=1))
    client.force_login(crew.alice)
    wrong = post(client, f"/{o.pk}/actions/escalate",
                 {"note": "逾期", "competent_unit_id": crew.unit_b.pk})
    assert wrong.json()["code"] == "unit_not_serving"
    done = post(client, f"/{o.pk}/actions/escalate",
                {"note": "逾期", "competent_unit_id": crew.unit_a.pk})
    assert done.status_code == 200 and done.json()["competent_unit_id"] == crew.unit_a.pk


def test_a_case_once(client, crew):
    o = order(crew)
    client.force_login(crew.alice)
    made = post(client, f"/{o.pk}/case", {"category_id": category().pk, "note": "急"})
    assert made.status_code == 201 and made.json()["case_id"]
    again = post(client, f"/{o.pk}/case", {"category_id": category().pk})
    assert again.status_code == 400 and again.json()["code"] == "case_already_raised"


def test_a_group_category_is_refused(client, crew):
    o = order(crew)
    client.force_login(crew.alice)
    answer = post(client, f"/{o.pk}/case", {"category_id": category().parent_id})
    assert answer.json()["code"] == "bad_category"


# --- the list's filters -----------------------------------------------------------------------

def test_the_list_filters(client, crew, media_root):
    a, b = order(crew), order(crew)
    rectified(crew, b)
    client.force_login(crew.alice)

    def ids(query: str) -> set[int]:
        return {row["id"] for row in client.get(f"{API}?{query}").json()["items"]}

    assert ids("state=issued") == {a.pk}
    assert ids("rectified=true") == {b.pk}
    assert ids(f"target_id={b.target_id}") == {b.pk}
    assert ids("severity=general&open=true") == {a.pk, b.pk}
    assert ids(f"area_id={crew.grid_b1.pk}") == set()
    assert client.get(f"{API}?state=lost").status_code == 400
    assert client.get(f"{API}?topic=water").status_code == 400
