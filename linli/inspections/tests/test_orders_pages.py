"""The order pages: the list with every OrderFilters field from the query string (a bad
value is 400 with the form's message), the order page with one form per allowed move,
refusals shown in place with the text and photos kept, the notice PDF, scoped photos."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.tests.factories import category
from linli.inspections.models import OrderPhoto, State
from linli.inspections.tests import orderkit
from linli.inspections.tests.factories import FAR, order
from linli.inspections.tests.orderkit import photo, rectified, snapshot

pytestmark = pytest.mark.django_db
# The order fixtures (orderkit), by name.
crew, media_root = orderkit.crew, orderkit.media_root
LIST = "/inspections/orders/"


def url(o, tail: str = "") -> str:
    return f"/inspections/orders/{o.pk}/{tail}"


# --- the list ----------------------------------------------------------------------------

def test_the_list_shows_my_orders_with_their_light(client, crew):
    mine, theirs = order(crew), order(crew)
    client.force_login(crew.gina)
    page = client.get(LIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert mine.number in body and theirs.number in body and "badge light-green" in body


@pytest.mark.parametrize("query", [
    "state=issued&state=rectified", "severity=general,", "topic=gas", "open=1", "overdue=0",
    "rectified=0", "due_reached=0", "search=商铺", "due_from=2026-01-01&due_to=2030-01-01",
    "issued_from=2026-01-01&issued_to=2030-12-31"])
def test_every_filter_is_read(client, crew, query):
    o = order(crew)
    client.force_login(crew.alice)
    page = client.get(f"{LIST}?{query.rstrip(',')}")
    assert page.status_code == 200 and o.number in page.content.decode()


def test_id_filters_narrow_the_list(client, crew):
    o = order(crew)
    client.force_login(crew.alice)
    for name, value in [("campaign_id", o.campaign_id), ("area_id", crew.grid_a1.pk),
                        ("grid_id", o.grid_id), ("target_id", o.target_id)]:
        assert o.number in client.get(f"{LIST}?{name}={value}").content.decode()
    assert o.number not in client.get(f"{LIST}?target_id={o.target_id + 99}").content.decode()
    assert o.number not in client.get(f"{LIST}?state=closed").content.decode()


@pytest.mark.parametrize("query", ["state=lost", "due_from=yesterday", "open=maybe",
                                   "campaign_id=abc", "topic=water"])
def test_a_bad_filter_is_400_with_the_forms_message(client, crew, query):
    client.force_login(crew.alice)
    page = client.get(f"{LIST}?{query}")
    assert page.status_code == 400
    assert 'id="filter-error"' in page.content.decode()


def test_the_list_is_not_for_residents(client, crew):
    client.force_login(crew.rita)
    assert client.get(LIST).status_code == 404


def test_the_responsible_partys_account_sees_its_orders(client, crew):
    o = order(crew, responsible_user_id=crew.perry.pk)
    client.force_login(crew.perry)
    assert o.number in client.get(LIST).content.decode()
    assert client.get(url(o)).status_code == 200


def test_anonymous_goes_to_login(client, crew):
    assert client.get(LIST).status_code == 302


# --- one order ---------------------------------------------------------------------------

def test_the_order_page_shows_the_five_fixes_and_the_buttons(client, crew):
    o = order(crew, position=5)
    client.force_login(crew.alice)
    body = client.get(url(o)).content.decode()
    assert 'id="five-fixes"' in body and o.plan_contingency in body
    assert 'id="action-rectify"' in body and 'id="action-raise_case"' in body
    assert 'id="action-sign_off"' not in body


def test_another_communitys_order_is_404(client, crew):
    o = order(crew)
    client.force_login(crew.bob)
    assert client.get(url(o)).status_code == 404
    assert client.post(url(o, "act/rectify/"), {"after": photo()}).status_code == 404
    assert client.get(url(o, "notice.pdf")).status_code == 404


def test_rectify_then_sign_off_on_the_page(client, crew, media_root):
    o = order(crew)
    client.force_login(crew.gina)
    done = client.post(url(o, "act/rectify/"), {"after": photo(), "before": photo("b.jpg"),
                                                "note": "已更换", "version": o.version})
    assert done.status_code == 302
    o.refresh_from_db()
    assert o.state == State.RECTIFIED and o.photos.count() == 2
    client.force_login(crew.ivy)
    body = client.get(url(o)).content.decode()
    assert 'id="action-sign_off"' in body and "inspections/orders.js" in body
    assert client.post(url(o, "act/sign_off/"), {"version": o.version}).status_code == 302
    o.refresh_from_db()
    assert o.state == State.CLOSED


def test_a_refused_rectification_keeps_the_text_and_the_photos(client, crew, media_root):
    o = order(crew)
    client.force_login(crew.gina)
    before = snapshot(o)
    page = client.post(url(o, "act/rectify/"), {"before": photo("b.jpg"), "note": "已更换软管",
                                                "version": o.version})
    assert page.status_code == 400 and snapshot(o) == before
    body = page.content.decode()
    assert 'data-code="evidence_required"' in body and "已更换软管" in body
    assert 'name="held_before"' in body
    token = body.split('name="held_before" value="')[1].split('"')[0]
    assert client.get(f"/inspections/orders/held/before/{token}/").status_code == 200
    again = client.post(url(o, "act/rectify/"), {"held_before": token, "after": photo(),
                                                 "version": o.version})
    assert again.status_code == 302
    assert OrderPhoto.objects.filter(order=o).count() == 2


def test_the_rectifier_is_told_why_not(client, crew, media_root):
    o = rectified(crew, order(crew))
    client.force_login(crew.gina)
    page = client.post(url(o, "act/sign_off/"), {"version": o.version})
    assert page.status_code == 403
    assert 'data-code="recheck_by_rectifier"' in page.content.decode()


def test_too_far_is_refused_on_the_page(client, crew, media_root):
    o = rectified(crew, order(crew))
    client.force_login(crew.ivy)
    page = client.post(url(o, "act/sign_off/"), {"lat": str(FAR[0]), "lng": str(FAR[1]),
                                                 "version": o.version})
    assert page.status_code == 400 and 'data-code="too_far"' in page.content.decode()


def test_reject_with_a_past_deadline_keeps_the_reason(client, crew, media_root):
    o = rectified(crew, order(crew))
    client.force_login(crew.ivy)
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    page = client.post(url(o, "act/reject/"), {"note": "软管未换", "due_on": past,
                                               "version": o.version})
    assert page.status_code == 400
    body = page.content.decode()
    assert 'data-code="deadline_past"' in body and "软管未换" in body


def test_raise_a_case_on_the_page(client, crew):
    o = order(crew)
    client.force_login(crew.alice)
    done = client.post(url(o, "act/raise_case/"), {"category": category().pk, "note": "急"})
    assert done.status_code == 302
    o.refresh_from_db()
    assert o.case_id is not None
    assert f"/cases/{o.case_id}/" in client.get(url(o)).content.decode()


def test_an_unknown_action_is_404(client, crew):
    o = order(crew)
    client.force_login(crew.alice)
    assert client.post(url(o, "act/overdue/"), {}).status_code == 404
    assert client.post(url(o, "act/fly/"), {}).status_code == 404


def test_a_stale_form_is_409_with_a_reload_link(client, crew, media_root):
    o = rectified(crew, order(crew))
    client.force_login(crew.ivy)
    page = client.post(url(o, "act/sign_off/"), {"version": 1})
    assert page.status_code == 409 and 'id="reload-link"' in page.content.decode()


# --- the notice and the photos ---------------------------------------------------------------

def test_the_notice_pdf(client, crew):
    o = order(crew)
    client.force_login(crew.gina)
    response = client.get(url(o, "notice.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_photos_only_to_who_sees_the_order(client, crew, media_root):
    o = rectified(crew, order(crew))
    p = o.photos.get()
    client.force_login(crew.ivy)
    assert client.get(f"/inspections/photos/{p.pk}/").status_code == 200
    assert client.get(f"/inspections/photos/{p.pk}/thumb/").status_code == 200
    client.force_login(crew.bob)
    assert client.get(f"/inspections/photos/{p.pk}/").status_code == 404
    client.force_login(crew.rita)
    assert client.get(f"/inspections/photos/{p.pk}/thumb/").status_code == 404
