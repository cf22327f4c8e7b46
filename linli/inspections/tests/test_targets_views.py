"""The target pages through the Django test client: who may open the list, the forms and a
target's page; adding, changing, retiring, revealing the contact and importing; refusals
with their status and reason, what was typed kept, and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.cases.tests.viewtools import body, login_as, refused
from linli.core.models import AuditEntry
from linli.inspections import services
from linli.inspections.models import Target
from linli.inspections.tests.factories import campaign, inspect, target
from linli.inspections.tests.test_targets_import import row, xlsx

pytestmark = pytest.mark.django_db

PAGES = ["/inspections/targets/", "/inspections/targets/new/", "/inspections/targets/import/",
         "/inspections/targets/import/template/"]


@pytest.fixture
def shop(world):
    return services.target_create(actor=world.alice, area=world.estate_a, name="老王餐馆",
                                  kind="restaurant", operator="王建国", contact_name="王建国",
                                  contact_phone="13800138000")


def form(world, **overrides) -> dict:
    return {"area": str(world.estate_a.pk), "name": "小李商铺", "kind": "shop",
            "address": "花楼街 3 号", "operator": "李明", "contact_name": "李明",
            "contact_phone": "13900139000", "lat": "30.575", "lng": "114.29"} | overrides


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["rita", "uma"])
def test_residents_and_unit_members_find_no_target_pages(client, world, shop, who):
    login_as(client, getattr(world, who))
    for url in ["/inspections/targets/", "/inspections/targets/import/",
                "/inspections/targets/import/template/", f"/inspections/targets/{shop.pk}/",
                f"/inspections/targets/{shop.pk}/edit/"]:
        assert client.get(url).status_code == 404, url
    assert refused(client.get("/inspections/targets/new/"))[0] == 403
    for action in ("contact", "active"):
        response = client.post(f"/inspections/targets/{shop.pk}/{action}/",
                               {"reason": "通知整改", "active": "0"})
        assert response.status_code == 404
    assert Target.objects.get().is_active


def test_staff_of_another_community_see_nothing_of_ours(client, world, shop):
    login_as(client, world.bob)
    assert "老王餐馆" not in body(client.get("/inspections/targets/"))
    assert client.get(f"/inspections/targets/{shop.pk}/").status_code == 404
    assert client.post(f"/inspections/targets/{shop.pk}/edit/",
                       form(world, name="x")).status_code == 404
    response = client.post("/inspections/targets/new/", form(world))
    assert response.status_code == 400 and "Select a valid choice" in body(response)
    assert Target.objects.count() == 1


def test_the_list_filters_and_shows_retired_targets_when_asked(client, world, shop):
    target(world, area=world.grid_a2, name="二网格商铺", kind="shop")
    target(world, area=world.estate_a, name="旧厂房", kind="workshop", is_active=False)
    login_as(client, world.alice)
    page = body(client.get("/inspections/targets/"))
    assert "老王餐馆" in page and "二网格商铺" in page and "旧厂房" not in page
    page = body(client.get(f"/inspections/targets/?grid={world.grid_a2.pk}"))
    assert "二网格商铺" in page and "老王餐馆" not in page
    page = body(client.get("/inspections/targets/?active=0"))
    assert "旧厂房" in page and "老王餐馆" not in page
    assert "老王餐馆" in body(client.get("/inspections/targets/?q=王&kind=restaurant"))
    response = client.get("/inspections/targets/?kind=castle")
    assert response.status_code == 400 and "老王餐馆" in body(response)


def test_a_grid_worker_adds_a_target(client, world):
    login_as(client, world.gina)
    assert client.get("/inspections/targets/new/").status_code == 200
    response = client.post("/inspections/targets/new/", form(world))
    t = Target.objects.get()
    assert response["Location"] == f"/inspections/targets/{t.pk}/"
    assert (t.name, t.grid, t.contact_phone.reveal_unaudited()) == (
        "小李商铺", world.grid_a1, "13900139000")
    page = body(client.get(response["Location"]))
    assert "13900139000" not in page and "9000" in page
    assert 'id="reveal-form"' not in page  # grid workers see the contact masked only


@pytest.mark.parametrize("overrides, field_message", [
    ({"contact_phone": "12345"}, "phone"),
    ({"lat": "95"}, "A latitude is a number from -90 to 90."),
    ({"lng": ""}, "Give both the latitude and the longitude, or neither."),
    ({"name": "老王餐馆"}, "is already registered at 花楼小区"),
])
def test_a_refused_form_keeps_what_was_typed(client, world, shop, overrides, field_message):
    login_as(client, world.gina)
    response = client.post("/inspections/targets/new/", form(world, **overrides))
    page = body(response)
    assert response.status_code == 400
    assert field_message in page
    assert "花楼街 3 号" in page and "What you entered is kept." in page
    assert Target.objects.count() == 1


def test_a_grid_worker_cannot_place_a_target_in_another_grid(client, world):
    login_as(client, world.gina)
    response = client.post("/inspections/targets/new/", form(world, area=world.grid_a2.pk))
    assert response.status_code == 400 and Target.objects.count() == 0


def test_change_keeps_the_contact_unless_a_new_one_is_typed(client, world, shop):
    login_as(client, world.gina)
    url = f"/inspections/targets/{shop.pk}/edit/"
    page = body(client.get(url))
    assert 'value="老王餐馆"' in page and "13800138000" not in page
    response = client.post(url, form(world, name="王记餐馆", kind="restaurant",
                                     contact_name="", contact_phone=""))
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.name == "王记餐馆" and shop.contact_phone.reveal_unaudited() == "13800138000"
    client.post(url, form(world, name="王记餐馆", remove_contact="on", contact_name="",
                          contact_phone=""))
    shop.refresh_from_db()
    assert not shop.contact_name and not shop.contact_phone


def test_retire_and_put_back(client, world, shop):
    login_as(client, world.gina)
    url = f"/inspections/targets/{shop.pk}/active/"
    assert client.post(url, {"active": "0"}).status_code == 302
    assert not Target.objects.get().is_active
    assert "Put back in use" in body(client.get(f"/inspections/targets/{shop.pk}/"))
    client.post(url, {"active": "1"})
    assert Target.objects.get().is_active
    assert client.post(url, {"active": "x"}).status_code == 400


def test_a_coordinator_reveals_the_contact_for_a_reason(client, world, shop):
    login_as(client, world.alice)
    url = f"/inspections/targets/{shop.pk}/"
    assert 'id="reveal-form"' in body(client.get(url))
    response = client.post(f"{url}contact/", {"reason": "."})
    assert response.status_code == 400 and "13800138000" not in body(response)
    response = client.post(f"{url}contact/", {"reason": "通知整改"})
    assert "13800138000" in body(response) and response["Cache-Control"].startswith("max-age=0")
    assert AuditEntry.objects.filter(action="inspection.contact_reveal").count() == 1
    login_as(client, world.gina)
    assert client.post(f"{url}contact/", {"reason": "通知整改"}).status_code == 403


def test_the_page_lists_open_orders_and_recent_inspections(client, world, shop):
    c = campaign(world)
    inspect(world, c, shop, fail=(1,))
    login_as(client, world.alice)
    page = body(client.get(f"/inspections/targets/{shop.pk}/"))
    assert c.name in page and "ZG" in page and "1 problem" in page


def test_import_check_then_import_with_errors_by_row(client, world):
    login_as(client, world.alice)
    url = "/inspections/targets/import/"
    response = client.post(url, {"mode": "check",
                                 "file": SimpleUploadedFile("t.xlsx", xlsx([row()]))})
    assert response.status_code == 200 and 'id="import-checked"' in body(response)
    assert Target.objects.count() == 0
    response = client.post(url, {"mode": "import", "file": SimpleUploadedFile(
        "t.xlsx", xlsx([row(), row("坏电话", phone="123")]))})
    page = body(response)
    assert response.status_code == 400 and 'id="import-problems"' in page
    assert "<td>3</td><td>联系电话</td>" in page and Target.objects.count() == 0
    response = client.post(url, {"mode": "import",
                                 "file": SimpleUploadedFile("t.xlsx", xlsx([row()]))})
    assert response["Location"] == "/inspections/targets/" and Target.objects.count() == 1


def test_the_blank_template_downloads(client, world):
    login_as(client, world.gina)
    response = client.get("/inspections/targets/import/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "attachment" in response["Content-Disposition"]
