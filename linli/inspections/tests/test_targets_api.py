"""The targets API: list, add, read, change, retire, reveal the contact and import. Each for
the anonymous, staff of the other community (bob), a resident (rita), a unit member (uma)
and the right staff; a refusal writes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from linli.cases.tests.apitools import post_json
from linli.core.models import AuditEntry
from linli.inspections.models import Target
from linli.inspections.tests.factories import target
from linli.inspections.tests.test_targets_import import row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(world):
    return {"area_id": world.estate_a.pk, "name": "小李商铺", "kind": "shop",
            "address": "花楼街 3 号", "operator": "李明", "contact_name": "李明",
            "contact_phone": "13900139000", "lat": "30.575", "lng": "114.29"}


@pytest.fixture
def shop(world):
    from linli.inspections import services

    return services.target_create(actor=world.alice, area=world.estate_a, name="老王餐馆",
                                  kind="restaurant", contact_name="王建国",
                                  contact_phone="13800138000")


def written() -> tuple:
    return (list(Target.objects.values_list("name", "is_active", "updated_at")),
            AuditEntry.objects.filter(action__startswith="inspection.").count())


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def calls(world, shop, body):
    url = f"/api/inspections/targets/{shop.pk}"
    return [("get", "/api/inspections/targets", None), ("post", "/api/inspections/targets", body),
            ("get", url, None), ("patch", url, {"name": "新名字"}),
            ("post", f"{url}/contact", {"reason": "通知整改"})]


def send(client, method, url, data):
    if method == "get":
        return client.get(url)
    if method == "patch":
        return patch(client, url, data)
    return post_json(client, url, data)


def test_anonymous_is_401_and_nothing_is_written(client, world, shop, body):
    before = written()
    for method, url, data in calls(world, shop, body):
        response = send(client, method, url, data)
        assert (response.status_code, response.json()["code"]) == (401, "unauthenticated"), url
    response = client.post("/api/inspections/targets/import",
                           {"file": SimpleUploadedFile("t.xlsx", xlsx([row()]))})
    assert response.status_code == 401
    assert written() == before


def test_staff_of_another_community_sees_nothing_and_changes_nothing(client, world, shop):
    client.force_login(world.bob)
    before = written()
    assert client.get("/api/inspections/targets").json()["count"] == 0
    url = f"/api/inspections/targets/{shop.pk}"
    assert client.get(url).status_code == 404
    assert patch(client, url, {"name": "x"}).status_code == 404
    assert post_json(client, f"{url}/contact", {"reason": "通知整改"}).status_code == 404
    body = {"area_id": world.estate_a.pk, "name": "x", "kind": "shop"}
    assert post_json(client, "/api/inspections/targets", body).status_code == 404
    body["area_id"] = world.estate_b.pk  # his own place, but the name's check comes after
    assert post_json(client, "/api/inspections/targets", body | {"kind": "castle"}
                     ).status_code == 400
    assert written() == before


@pytest.mark.parametrize("who", ["rita", "uma"])
def test_residents_and_unit_members_have_no_targets(client, world, shop, body, who):
    client.force_login(getattr(world, who))
    before = written()
    assert client.get("/api/inspections/targets").json()["count"] == 0
    url = f"/api/inspections/targets/{shop.pk}"
    assert client.get(url).status_code == 404
    assert patch(client, url, {"name": "x"}).status_code == 404
    assert post_json(client, f"{url}/contact", {"reason": "通知整改"}).status_code == 404
    assert post_json(client, "/api/inspections/targets", body).status_code == 403
    response = client.post("/api/inspections/targets/import",
                           {"file": SimpleUploadedFile("t.xlsx", xlsx([row()]))})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert written() == before


def test_a_grid_worker_adds_and_reads_a_target_with_the_contact_masked(client, world, body):
    client.force_login(world.gina)
    response = post_json(client, "/api/inspections/targets", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["name"], data["kind"], data["grid_id"]) == ("小李商铺", "shop", world.grid_a1.pk)
    assert data["contact_phone"] != "13900139000" and data["contact_phone"].endswith("9000")
    assert data["contact_name"] != "李明"
    assert client.get(f"/api/inspections/targets/{data['id']}").json() == data


def test_bad_bodies_are_400_naming_the_field(client, world, body, shop):
    client.force_login(world.alice)
    before = written()
    for bad, field in [({"kind": "castle"}, "kind"), ({"contact_phone": "123"}, "contact_phone"),
                       ({"lat": None}, "lat"), ({"name": "老王餐馆", "area_id": world.estate_a.pk},
                                                "name")]:
        response = post_json(client, "/api/inspections/targets", body | bad)
        assert response.status_code == 400, bad
        assert response.json()["details"][0]["field"] == field, response.json()
    response = post_json(client, "/api/inspections/targets", body | {"lat": "91"})
    assert response.status_code == 400
    assert written() == before


def test_list_filters_and_pages(client, world, shop):
    target(world, area=world.grid_a2, name="二网格商铺", kind="shop")
    target(world, area=world.estate_a, name="旧厂房", kind="workshop", is_active=False)
    client.force_login(world.alice)
    names = lambda q="": [t["name"] for t in client.get(  # noqa: E731
        f"/api/inspections/targets?{q}").json()["items"]]
    assert sorted(names("active=true")) == ["二网格商铺", "老王餐馆"]
    assert names(f"grid={world.grid_a2.pk}") == ["二网格商铺"]
    assert names("kind=restaurant") == ["老王餐馆"]
    assert names("active=false") == ["旧厂房"]
    assert names("q=商铺") == ["二网格商铺"]
    assert names(f"area={world.estate_a.pk}") == ["旧厂房", "老王餐馆"]
    assert client.get("/api/inspections/targets?kind=castle").status_code == 400
    response = client.get("/api/inspections/targets?active=1&page_size=1&page=2")
    assert response.json()["count"] == 2 and len(response.json()["items"]) == 1
    client.force_login(world.gina)  # grid A1 only
    assert names("active=1") == ["老王餐馆"]


def test_patch_changes_retires_and_reactivates(client, world, shop):
    client.force_login(world.gina)
    url = f"/api/inspections/targets/{shop.pk}"
    response = patch(client, url, {"name": "王记餐馆", "address": "花楼街 12 号"})
    assert response.status_code == 200 and response.json()["name"] == "王记餐馆"
    assert patch(client, url, {"is_active": False}).json()["is_active"] is False
    assert patch(client, url, {"is_active": True}).json()["is_active"] is True
    # Moving it to another grid is a coordinator's: gina keeps to her grid (which she
    # does not even see), and a move up to the community is not hers either.
    assert patch(client, url, {"area_id": world.grid_a2.pk}).status_code == 404
    assert patch(client, url, {"area_id": world.community_a.pk}).status_code == 403
    client.force_login(world.alice)
    assert patch(client, url, {"area_id": world.grid_a2.pk}).json()["grid_id"] == \
        world.grid_a2.pk


def test_the_contact_reveal_is_for_coordinators_with_a_reason(client, world, shop):
    url = f"/api/inspections/targets/{shop.pk}/contact"
    client.force_login(world.gina)
    response = post_json(client, url, {"reason": "通知整改"})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    client.force_login(world.alice)
    response = post_json(client, url, {"reason": ""})
    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    response = post_json(client, url, {"reason": "通知整改"})
    assert response.json() == {"name": "王建国", "phone": "13800138000"}
    assert AuditEntry.objects.filter(action="inspection.contact_reveal").count() == 1


def test_the_import_checks_then_writes(client, world):
    client.force_login(world.alice)
    url = "/api/inspections/targets/import"
    response = client.post(f"{url}?check_only=true",
                           {"file": SimpleUploadedFile("t.xlsx", xlsx([row()]))})
    assert response.json() == {"filename": "t.xlsx", "rows": 1, "created": 1,
                               "check_only": True}
    assert Target.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("t.xlsx", xlsx([row(), row()]))})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_rows")
    assert response.json()["details"] == [{"row": 3, "column": "名称",
                                           "message": response.json()["details"][0]["message"]}]
    response = client.post(url, {"file": SimpleUploadedFile("t.xlsx", xlsx([row()]))})
    assert response.status_code == 200 and response.json()["created"] == 1
    assert Target.objects.get().name == "老王餐馆"
