"""The case pages through the Django test client: who may open each page, reporting, the
role lists, extension decisions and the home panel. Actions on the case page are in
test_views_actions.py."""

from decimal import Decimal

import pytest

from linli.cases.models import Case, Channel, Extension, Photo, State
from linli.cases.services import case_report, case_transition, extension_request
from linli.cases.tests.viewtools import body, flashed, jpeg, login_as, refused
from linli.cases.tests.walking import case_in_state, more_actors, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # uploaded photos go to a throw-away directory
    settings.DATA_DIR = tmp_path / "data"  # and so do those held by the report form

# --- who may open what ------------------------------------------------------------------

PAGES = ["/cases/", "/cases/new/", "/cases/mine/", "/cases/queue/", "/cases/unit/",
         "/cases/verify/", "/cases/extensions/", "/cases/patrol/", "/cases/new/areas/",
         "/cases/new/duplicates/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_cannot_open_or_move_a_case(client, reported):
    before = snapshot(reported)
    for response in (client.get(f"/cases/{reported.pk}/"),
                     client.post(f"/cases/{reported.pk}/act/accept/", {"version": 1})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert snapshot(reported) == before


@pytest.mark.parametrize("suffix", ["", "reported/"])
def test_staff_of_the_other_community_get_404(client, world, reported, suffix):
    assert login_as(client, world.bob).get(f"/cases/{reported.pk}/{suffix}").status_code == 404


def test_staff_of_the_other_community_cannot_act(client, world, reported):
    before = snapshot(reported)
    response = login_as(client, world.bob).post(f"/cases/{reported.pk}/act/accept/",
                                           {"version": reported.version})
    assert response.status_code == 404
    assert snapshot(reported) == before


@pytest.mark.parametrize("username, url", [
    ("rita", "/cases/queue/"), ("uma", "/cases/queue/"), ("nobody", "/cases/queue/"),
    ("rita", "/cases/unit/"), ("alice", "/cases/unit/"),
    ("rita", "/cases/verify/"), ("alice", "/cases/verify/"),
    ("rita", "/cases/patrol/"), ("alice", "/cases/patrol/"),
    ("rita", "/cases/extensions/"), ("gina", "/cases/extensions/"),
])
def test_role_pages_do_not_exist_for_other_roles(client, world, username, url):
    assert login_as(client, getattr(world, username)).get(url).status_code == 404


@pytest.mark.parametrize("username, target", [
    ("alice", "/cases/queue/"), ("leo", "/cases/queue/"), ("uma", "/cases/unit/"),
    ("gina", "/cases/verify/"), ("rita", "/cases/mine/"),
])
def test_cases_link_leads_to_each_roles_list(client, world, username, target):
    response = login_as(client, getattr(world, username)).get("/cases/")
    assert response.status_code == 302 and response["Location"] == target


@pytest.mark.parametrize("username", ["nobody", "alice", "gina"])
def test_the_resident_report_page_is_for_residents(client, world, username):
    response = login_as(client, getattr(world, username)).get("/cases/new/")
    assert response.status_code == 403
    assert 'name="description"' not in body(response)


def test_map_tiles_are_drawn_only_when_configured(client, world, settings):
    login_as(client, world.rita)
    assert 'data-tiles=""' in body(client.get("/cases/new/"))
    settings.MAP_TILE_URL = "http://tiles.intranet/{z}/{x}/{y}.png"
    assert 'data-tiles="http://tiles.intranet/{z}/{x}/{y}.png"' in body(
        client.get("/cases/new/"))


# --- reporting --------------------------------------------------------------------------

def test_report_page_offers_categories_and_defaults_to_the_residents_dwelling(
        client, world, leak):
    html = body(login_as(client, world.rita).get("/cases/new/"))
    assert f'value="{leak.code}"' in html and leak.name_zh in html
    assert f'<input type="hidden" name="area" value="{world.dwelling_a.pk}">' in html
    assert world.grid_a1.name in html and world.grid_a2.name in html
    assert world.grid_b1.name not in html  # another community
    assert 'accept="image/*"' in html and "multiple" in html
    assert "/static/vendor/leaflet/leaflet.js" in html and "cdn" not in html.lower()


def _report_data(world, leak, **changes) -> dict:
    data = {"category": leak.code, "description": "楼道水管漏水", "title": "",
            "area": world.dwelling_a.pk, "address": "", "lat": "", "lng": "",
            "idem": "key-1"}
    return data | changes


def test_resident_reports_with_a_photo(client, world, leak):
    data = _report_data(world, leak, photos=[jpeg(), jpeg("b.jpg")])
    response = login_as(client, world.rita).post("/cases/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/reported/"
    assert (case.reporter, case.channel, case.area) == (world.rita, Channel.RESIDENT_WEB,
                                                        world.dwelling_a)
    assert Photo.objects.filter(case=case).count() == 2
    confirmation = body(client.get(response["Location"]))
    assert f"case #{case.pk}" in confirmation and leak.name_en in confirmation


@pytest.mark.parametrize("garbage", ["\x00", "\x07", "\x1b[31m", "\x7f"])
def test_control_characters_in_a_page_form_are_refused_and_nothing_is_made(client, world,
                                                                          leak, garbage):
    data = _report_data(world, leak, description=f"楼道{garbage}漏水")
    response = login_as(client, world.rita).post("/cases/new/", data)
    assert response.status_code == 400
    assert "control character" in body(response)
    assert Case.objects.count() == 0


def test_tabs_and_new_lines_in_a_page_form_are_fine(client, world, leak):
    data = _report_data(world, leak, description="楼道\t漏水\r\n很严重")
    assert login_as(client, world.rita).post("/cases/new/", data).status_code == 302
    assert Case.objects.get().description == "楼道\t漏水\r\n很严重"


def test_a_double_submitted_report_makes_one_case(client, world, leak):
    login_as(client, world.rita)
    first = client.post("/cases/new/", _report_data(world, leak))
    second = client.post("/cases/new/", _report_data(world, leak))
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize("changes, message", [
    ({"description": ""}, "Describe the problem."),
    ({"category": "nope"}, "Choose a category."),
    ({"category": "L1"}, "Choose a category."),  # a group, not a leaf
])
def test_bad_reports_show_the_reason_and_create_nothing(client, world, leak, changes,
                                                        message):
    response = login_as(client, world.rita).post("/cases/new/", _report_data(world, leak,
                                                                        **changes))
    assert response.status_code == 200
    assert message in body(response)
    assert Case.objects.count() == 0


def test_more_than_nine_photos_are_refused(client, world, leak):
    data = _report_data(world, leak, photos=[jpeg(f"{i}.jpg") for i in range(10)])
    response = login_as(client, world.rita).post("/cases/new/", data)
    page = body(response)  # kept, held, to remove one of them
    assert "At most 9 photos at a time: remove 1." in page
    assert page.count('name="remove_photo"') == 10
    assert (Case.objects.count(), Photo.objects.count()) == (0, 0)


def test_a_place_in_another_community_is_refused(client, world, leak):
    response = login_as(client, world.rita).post(
        "/cases/new/", _report_data(world, leak, area=world.estate_b.pk))
    assert "Choose the place." in body(response)
    assert Case.objects.count() == 0


def test_a_service_refusal_is_shown(client, world, leak):
    # The resident sees the street above her community, but a case needs a community.
    response = login_as(client, world.rita).post(
        "/cases/new/", _report_data(world, leak, area=world.street.pk))
    assert "Choose a place within a community." in body(response)
    assert Case.objects.count() == 0


def test_grid_worker_reports_on_patrol_within_the_grid(client, world, leak):
    html = body(login_as(client, world.gina).get("/cases/patrol/"))
    assert f'<input type="hidden" name="area" value="{world.grid_a1.pk}">' in html
    assert world.grid_a2.name not in html
    response = client.post("/cases/patrol/", _report_data(world, leak, area=world.estate_a.pk))
    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.channel, case.area, case.reporter) == (Channel.GRID_PATROL, world.estate_a,
                                                        world.gina)


def test_area_picker_walks_down_the_tree(client, world):
    response = login_as(client, world.rita).get("/cases/new/areas/",
                                           {"area_pick": world.estate_a.pk})
    html = body(response)
    assert response.status_code == 200
    assert response["HX-Trigger-After-Swap"] == f'{{"areaChanged": {world.estate_a.pk}}}'
    assert f'<input type="hidden" name="area" value="{world.estate_a.pk}">' in html
    assert f'<option value="{world.building_a.pk}">{world.building_a.name}</option>' in html
    assert world.entrance_a.name not in html  # one level below the choice only


def test_area_picker_ignores_places_outside_the_community(client, world):
    html = body(login_as(client, world.rita).get("/cases/new/areas/",
                                             {"area_pick": world.estate_b.pk}))
    assert f'<input type="hidden" name="area" value="{world.dwelling_a.pk}">' in html
    assert world.estate_b.name not in html


def test_duplicates_are_suggested_without_details_to_other_residents(client, world,
                                                                     reported):
    more_actors(world)
    params = {"category": reported.category.code, "area": world.dwelling_a.pk}
    rex = body(login_as(client, world.rex).get("/cases/new/duplicates/", params))
    assert "An open case like this exists nearby" in rex
    assert f"/cases/{reported.pk}/" not in rex and reported.description not in rex
    assert world.dwelling_a.name not in rex.split("1单元")[-1]  # placed at the building
    rita = body(login_as(client, world.rita).get("/cases/new/duplicates/", params))
    assert f'href="/cases/{reported.pk}/"' in rita


def test_no_duplicates_without_a_category(client, world, reported):
    html = body(login_as(client, world.rita).get("/cases/new/duplicates/",
                                             {"area": world.dwelling_a.pk}))
    assert html.strip() == ""


def test_my_cases_lists_only_mine(client, world, reported):
    other = case_report(actor=world.gina, category=reported.category, area=world.estate_a,
                        description="路灯不亮")
    html = body(login_as(client, world.rita).get("/cases/mine/"))
    assert f'id="case-{reported.pk}"' in html and f'id="case-{other.pk}"' not in html


# --- lists ------------------------------------------------------------------------------

def test_queue_lists_filters_and_lights(client, world, leak):
    cases = [case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                         description=f"漏水{i}") for i in range(3)]
    case_transition(actor=world.alice, case=cases[2], action="accept")
    login_as(client, world.alice)
    html = body(client.get("/cases/queue/"))
    assert all(f'id="case-{c.pk}"' in html for c in cases)
    assert html.count('class="case-pick"') == 2  # only the reported ones can be accepted
    assert html.count("badge light-green") == 2  # no clock runs while accepted
    filtered = body(client.get("/cases/queue/", {"state": "accepted"}))
    assert f'id="case-{cases[2].pk}"' in filtered and f'id="case-{cases[0].pk}"' not in filtered
    text = body(client.get("/cases/queue/", {"state": "", "q": "漏水1"}))
    assert f'id="case-{cases[1].pk}"' in text and f'id="case-{cases[0].pk}"' not in text


def test_queue_is_scoped(client, world, reported):
    html = body(login_as(client, world.bob).get("/cases/queue/"))
    assert f'id="case-{reported.pk}"' not in html


def test_bulk_accept_counts_successes_and_reasons(client, world, leak):
    mine = [case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                        description=f"漏水{i}") for i in range(3)]
    theirs = case_report(actor=world.bob, category=leak, area=world.dwelling_b,
                         description="水塔漏水")
    data = {"ids": [c.pk for c in [*mine, theirs]], "next": "/cases/queue/?state=reported",
            **{f"version_{c.pk}": c.version for c in [*mine, theirs]}}
    data[f"version_{mine[2].pk}"] = mine[2].version + 5  # a stale checkbox
    response = login_as(client, world.alice).post("/cases/queue/accept/", data)
    assert response.status_code == 302
    assert response["Location"] == "/cases/queue/?state=reported"
    assert flashed(response) == [
        "2 of 4 cases accepted.",
        f"#{mine[2].pk} not accepted: This case changed since you opened it. Reload the page "
        "and check before you act.",
        f"#{theirs.pk} not accepted: Not found.",
    ]
    states = {c.pk: Case.objects.get(pk=c.pk).state for c in [*mine, theirs]}
    assert states == {mine[0].pk: State.ACCEPTED, mine[1].pk: State.ACCEPTED,
                      mine[2].pk: State.REPORTED, theirs.pk: State.REPORTED}


def test_bulk_accept_with_nothing_selected(client, world):
    response = login_as(client, world.alice).post("/cases/queue/accept/", {})
    assert refused(response) == (400, "Select the cases to accept first.")


def test_unit_inbox_and_verify_list(client, world):
    dispatched = case_in_state(world, State.DISPATCHED)
    resolved = case_in_state(world, State.RESOLVED)
    inbox = body(login_as(client, world.uma).get("/cases/unit/"))
    assert f'id="case-{dispatched.pk}"' in inbox and f'id="case-{resolved.pk}"' not in inbox
    verify = body(login_as(client, world.gina).get("/cases/verify/"))
    assert f'id="case-{resolved.pk}"' in verify and f'id="case-{dispatched.pk}"' not in verify


# --- extensions -------------------------------------------------------------------------

def test_unit_asks_for_more_time_and_the_dispatcher_approves(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    due = case.handle_due_at
    login_as(client, world.uma).post(f"/cases/{case.pk}/extension/",
                                {"amount": "4", "reason": "等配件"})
    ext = Extension.objects.get(case=case)
    assert (ext.decision, ext.amount, ext.reason) == ("pending", Decimal(4), "等配件")
    login_as(client, world.alice)
    assert f'id="extension-{ext.pk}"' in body(client.get("/cases/extensions/"))
    assert f'id="decide-{ext.pk}"' in body(client.get(f"/cases/{case.pk}/"))
    response = client.post(f"/cases/extensions/{ext.pk}/decide/", {
        "approve": "1", "next": f"/cases/{case.pk}/"})
    assert response["Location"] == f"/cases/{case.pk}/"
    ext.refresh_from_db()
    case.refresh_from_db()
    assert ext.decision == "approved"
    assert due is not None and case.handle_due_at is not None and case.handle_due_at > due
    again = client.post(f"/cases/extensions/{ext.pk}/decide/", {"approve": "0"})
    assert refused(again) == (409, "This request was already decided.")


def test_extension_request_refusal_is_shown(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    response = login_as(client, world.uma).post(f"/cases/{case.pk}/extension/",
                                           {"amount": "4", "reason": ""})
    assert response.status_code == 400
    assert Extension.objects.count() == 0


def test_other_community_cannot_decide_an_extension(client, world):
    case = case_in_state(world, State.IN_PROGRESS)
    ext = extension_request(actor=world.uma, case=case, amount=Decimal(2), reason="等配件")
    response = login_as(client, world.bob).post(f"/cases/extensions/{ext.pk}/decide/",
                                           {"approve": "1"})
    assert response.status_code == 404
    ext.refresh_from_db()
    assert ext.decision == "pending"


# --- home and navigation ----------------------------------------------------------------

def test_home_panel_counts_the_queue(client, world, leak):
    for i in range(2):
        case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                    description=f"漏水{i}")
    alice = body(login_as(client, world.alice).get("/"))
    assert 'id="tile-to-accept"' in alice and '<span class="tile-count">2</span>' in alice
    assert 'id="nav-cases"' in alice
    rita = body(login_as(client, world.rita).get("/"))
    assert 'id="tile-report"' in rita and 'id="tile-to-accept"' not in rita
    assert 'id="nav-cases"' not in body(login_as(client, world.nobody).get("/"))


@pytest.mark.parametrize("ticked, public", [(None, True), ("on", False)])
def test_a_resident_may_keep_a_report_off_the_public_cases(client, world, leak, ticked,
                                                          public):
    # Left out (an older form) or unticked: public, as before.
    changes = {} if ticked is None else {"not_public": ticked}
    response = login_as(client, world.rita).post("/cases/new/",
                                                 _report_data(world, leak, **changes))
    assert response.status_code == 302
    assert Case.objects.get().is_public is public


def test_a_dispatcher_keeps_a_hotline_call_off_the_public_cases(client, world, leak):
    html = body(login_as(client, world.alice).get("/cases/hotline/"))
    assert 'name="not_public"' in html
    data = _report_data(world, leak, reporter_name="王女士", not_public="on")
    assert client.post("/cases/hotline/", data).status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.is_public, case.reporter_name) == (Channel.HOTLINE, False,
                                                                  "王女士")
