"""The hotline entry page (电话登记): a dispatcher types in a call as a case of channel
hotline with the caller's name (never their phone), within their own community only."""

import pytest

from linli.cases.models import Case, Channel
from linli.cases.tests.factories import category, route
from linli.cases.tests.viewtools import body, login_as

HOTLINE = "/cases/hotline/"


@pytest.fixture
def leak(world):
    cat = category()
    route(cat, world.community_a, world.unit_a)
    return cat


def _call(world, leak, **changes) -> dict:
    data = {"category": leak.code, "description": "来电：3栋楼道水管漏水", "title": "",
            "area": world.building_a.pk, "address": "", "lat": "", "lng": "",
            "idem": "call-1", "reporter_name": "王先生"}
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(HOTLINE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_page_is_the_report_form_with_the_callers_name_and_no_phone(client, world, leak):
    html = body(login_as(client, world.alice).get(HOTLINE))
    assert "<h1>Hotline call</h1>" in html
    assert 'name="reporter_name"' in html and 'maxlength="64"' in html
    assert 'type="tel"' not in html and "phone" not in html.split('name="reporter_name"')[1] \
        .split("</label>")[0]
    assert f'value="{leak.code}"' in html and 'id="category-suggestions"' in html
    assert f'<input type="hidden" name="area" value="{world.community_a.pk}">' in html
    assert world.grid_a1.name in html and world.grid_b1.name not in html
    assert '"mode": "hotline"' in html  # the place picker stays within the same roots


def test_a_dispatcher_files_a_call_with_the_callers_name(client, world, leak):
    response = login_as(client, world.alice).post(HOTLINE, _call(world, leak))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == (
        f"/cases/{case.pk}/reported/")
    assert (case.channel, case.reporter_name, case.reporter, case.category, case.area) == (
        Channel.HOTLINE, "王先生", world.alice, leak, world.building_a)
    assert case.community == world.community_a


@pytest.mark.parametrize("name, error", [("", "Enter the caller&#x27;s name."),
                                         ("名" * 65, "at most 64 characters")])
def test_the_callers_name_is_required_and_short(client, world, leak, name, error):
    response = login_as(client, world.alice).post(HOTLINE, _call(world, leak,
                                                                 reporter_name=name))
    assert response.status_code == 200 and error in body(response)
    assert not Case.objects.exists()
    assert "来电：3栋楼道水管漏水" in body(response)  # the typed call is kept


@pytest.mark.parametrize("username", ["rita", "gina", "uma", "nobody"])
def test_only_dispatchers_enter_calls(client, world, leak, username):
    login_as(client, getattr(world, username))
    for response in (client.get(HOTLINE), client.post(HOTLINE, _call(world, leak))):
        assert response.status_code == 403
        assert 'id="hotline-denied"' in body(response)
        assert 'name="description"' not in body(response)
    assert not Case.objects.exists()


def test_a_dispatcher_of_another_community_cannot_file_there(client, world, leak):
    login_as(client, world.bob)
    response = client.post(HOTLINE, _call(world, leak))
    assert response.status_code == 200 and 'id="report-error"' in body(response)
    assert not Case.objects.exists()
    # His own community he may.
    route(leak, world.community_b, world.unit_b)
    response = client.post(HOTLINE, _call(world, leak, area=world.dwelling_b.pk, idem="c2"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.community, case.channel) == (world.community_b, Channel.HOTLINE)


def test_the_place_picker_keeps_to_the_dispatchers_community(client, world):
    login_as(client, world.alice)
    response = client.get("/cases/new/areas/", {"mode": "hotline",
                                                 "area_pick": world.estate_a.pk})
    assert response.status_code == 200 and world.building_a.name in body(response)
    response = client.get("/cases/new/areas/", {"mode": "hotline",
                                                 "area_pick": world.estate_b.pk})
    assert f'value="{world.estate_b.pk}"' not in body(response)  # back to her own place


def test_dispatchers_find_the_page_on_their_home_and_queue(client, world):
    login_as(client, world.alice)
    assert 'id="tile-hotline"' in body(client.get("/")) and HOTLINE in body(client.get("/"))
    assert 'id="queue-hotline"' in body(client.get("/cases/queue/"))
    login_as(client, world.rita)
    assert 'id="tile-hotline"' not in body(client.get("/"))
