"""The on-site inspection pages: the form (recorded once however often it is sent, every
typed value and chosen photo kept when refused), an inspection as recorded, and "my
inspections"; each only for the inspectors of the target's place."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from linli.core.models import AuditEntry
from linli.inspections.models import Inspection, Order, OrderPhoto
from linli.inspections.tests.factories import campaign, inspect, target
from linli.inspections.views_inspect import INSPECT_PHOTOS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


def jpeg(name: str = "hose.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def login(client, user):
    client.force_login(user)
    client.cookies["linli_language"] = "en"
    return client


def url(c, t) -> str:
    return f"/inspections/campaigns/{c.pk}/targets/{t.pk}/inspect/"


def form_data(c, *, fail=(), na=(), note="软管老化开裂", idem="a" * 32, **extra) -> dict:
    """Every item answered: passed, or failed at `fail` (with the five fixes when major)."""
    data = {"idem": idem, "acknowledged_name": "王建国", "responsible_party": "王建国",
            "note": "", "lat": "", "lng": ""}
    for item in c.items.all():
        prefix = f"item-{item.pk}-"
        result = "fail" if item.position in fail else "na" if item.position in na else "pass"
        data[prefix + "result"] = result
        if result == "fail":
            data[prefix + "note"] = note
            if item.severity == "major":
                data.update({prefix + "measures": "停用并更换", prefix + "responsibility": "王建国",
                             prefix + "funds": "自筹", prefix + "contingency": "关阀疏散"})
    return data | extra


def first_item(c):
    return c.items.get(position=1)


def held_tokens(page: str, item) -> list[str]:
    return re.findall(rf'name="item-{item.pk}-held_photo" value="([^"]+)"', page)


def test_the_form_shows_the_target_and_every_item(client, world):
    c, t = campaign(world), target(world, address="花楼街 12 号")
    page = login(client, world.gina).get(url(c, t)).content.decode()
    assert "老王餐馆" in page and "花楼街 12 号" in page and "王建国" in page
    assert page.count('type="radio"') == 3 * c.items.count()
    assert "checked" not in page  # nothing preselected
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    major = c.items.filter(severity="major")[0]
    assert f'name="item-{major.pk}-contingency"' in page
    assert major.requirement in page  # the measures prefilled with the requirement
    assert re.search(r'name="idem" value="[0-9a-f]{32}"', page)


def test_a_failed_item_with_a_photo_becomes_an_order_and_the_page_shows_it(client, world):
    c, t = campaign(world), target(world)
    login(client, world.gina)
    item = first_item(c)
    response = client.post(url(c, t), form_data(c, fail=(1,)) | {
        f"item-{item.pk}-photos": [jpeg()]})
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inspections/inspections/{inspection.pk}/"
    order = Order.objects.get()
    assert order.answer.item == item and order.photos.get().phase == "finding"
    assert list(INSPECT_PHOTOS.folder().iterdir()) == []  # nothing left held
    page = client.get(response["Location"]).content.decode()
    assert f'href="/inspections/orders/{order.pk}/"' in page
    assert f"/inspections/photos/{order.photos.get().pk}/thumb/" in page
    assert "王*国" in page and "王建国" not in page.split('id="acknowledged"')[1][:60]


def test_the_same_form_sent_twice_records_once(client, world):
    c, t = campaign(world), target(world)
    login(client, world.gina)
    item = first_item(c)
    first = client.post(url(c, t), form_data(c, fail=(1,)) | {
        f"item-{item.pk}-photos": [jpeg()]})
    again = client.post(url(c, t), form_data(c, fail=(1,)) | {
        f"item-{item.pk}-photos": [jpeg()]})
    assert first["Location"] == again["Location"]
    assert Inspection.objects.count() == 1 and OrderPhoto.objects.count() == 1
    assert AuditEntry.objects.filter(action="inspection.record").count() == 1


def test_a_refused_form_keeps_what_was_typed_and_the_photos(client, world):
    c, t = campaign(world), target(world)
    login(client, world.gina)
    item = first_item(c)
    data = form_data(c, fail=(1,), acknowledged_name="") | {"note": "门口堆放杂物"}
    response = client.post(url(c, t), data | {f"item-{item.pk}-photos": [jpeg()]})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="inspect-error"' in page
    assert "types their name" in page
    assert not Inspection.objects.exists() and not Order.objects.exists()
    assert "软管老化开裂" in page and "门口堆放杂物" in page
    assert f'name="item-{item.pk}-result" value="fail" checked' in page
    token, = held_tokens(page, item)
    assert client.get(f"/inspections/inspect/photos/{token}/").status_code == 200
    # Sent again with the name and the held photo: one order with that photo.
    response = client.post(url(c, t), data | {"acknowledged_name": "王建国",
                                              f"item-{item.pk}-held_photo": token})
    assert response.status_code == 302
    assert Order.objects.get().photos.count() == 1
    # And once more, the same form (back and send): the same inspection, though the held
    # photo was saved and released by the send before.
    again = client.post(url(c, t), data | {"acknowledged_name": "王建国",
                                           f"item-{item.pk}-held_photo": token})
    assert again["Location"] == response["Location"] and Inspection.objects.count() == 1


def test_an_unanswered_item_is_named_and_nothing_is_written(client, world):
    c, t = campaign(world), target(world)
    data = form_data(c)
    del data[f"item-{first_item(c).pk}-result"]
    response = login(client, world.gina).post(url(c, t), data)
    assert response.status_code == 400 and "missing: 1." in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_failed_major_item_needs_its_five_fixes(client, world):
    c, t = campaign(world), target(world)
    major = c.items.filter(severity="major")[0]
    data = form_data(c, fail=(major.position,)) | {f"item-{major.pk}-funds": ""}
    response = login(client, world.gina).post(url(c, t), data)
    assert response.status_code == 400 and "major hazard" in response.content.decode()
    assert not Inspection.objects.exists()


def test_a_target_inspected_already_leads_to_its_inspection(client, world):
    c, t = campaign(world), target(world)
    done = inspect(world, c, t)
    response = login(client, world.gina).get(url(c, t))
    assert response.status_code == 302
    assert response["Location"] == f"/inspections/inspections/{done.pk}/"
    # A new form for it (another token) is sent there too, and writes nothing.
    response = client.post(url(c, t), form_data(c, idem="b" * 32))
    assert response["Location"] == f"/inspections/inspections/{done.pk}/"
    assert Inspection.objects.count() == 1


def test_a_campaign_not_running_shows_no_form(client, world):
    start = timezone.localdate() + timedelta(days=3)
    c, t = campaign(world, starts_on=start), target(world)
    page = login(client, world.gina).get(url(c, t)).content.decode()
    assert 'id="not-running"' in page and 'id="inspect-form"' not in page
    response = client.post(url(c, t), form_data(c))
    assert response.status_code == 400 and not Inspection.objects.exists()


@pytest.mark.parametrize("who", ["rita", "uma", "bob", "nobody"])
def test_others_find_no_form(client, world, who):
    c, t = campaign(world), target(world)
    login(client, getattr(world, who))
    assert client.get(url(c, t)).status_code == 404
    assert client.post(url(c, t), form_data(c)).status_code == 404
    assert not Inspection.objects.exists()


def test_a_target_of_another_grid_is_missing_for_the_grid_worker(client, world):
    c, t = campaign(world), target(world, area=world.grid_a2, name="二网格商铺")
    login(client, world.gina)
    assert client.get(url(c, t)).status_code == 404
    # The dispatcher of the community inspects it.
    login(client, world.alice)
    assert client.get(url(c, t)).status_code == 200


def test_a_target_not_of_the_campaign_is_missing(client, world):
    c = campaign(world, target_kinds=["shop"])
    t = target(world)  # a restaurant
    assert login(client, world.gina).get(url(c, t)).status_code == 404


def test_the_anonymous_go_to_the_login_page(client, world):
    c, t = campaign(world), target(world)
    assert client.get(url(c, t))["Location"].startswith("/accounts/login/")


def test_a_held_photo_is_only_its_uploaders(client, world):
    c, t = campaign(world), target(world)
    item = first_item(c)
    login(client, world.gina)
    page = client.post(url(c, t), form_data(c, fail=(1,), acknowledged_name="") | {
        f"item-{item.pk}-photos": [jpeg()]}).content.decode()
    token, = held_tokens(page, item)
    login(client, world.alice)
    assert client.get(f"/inspections/inspect/photos/{token}/").status_code == 404


def test_the_inspection_page_is_scoped(client, world):
    c, t = campaign(world), target(world)
    done = inspect(world, c, t)
    for user, status in [(world.gina, 200), (world.alice, 200), (world.leo, 200),
                         (world.bob, 404), (world.rita, 404), (world.uma, 404)]:
        assert login(client, user).get(f"/inspections/inspections/{done.pk}/").status_code \
            == status, user


def test_my_inspections_lists_what_is_left_and_what_was_done_today(client, world):
    c = campaign(world)
    left, done_target = target(world, name="左边商铺"), target(world, name="右边商铺")
    other = target(world, area=world.grid_a2, name="二网格商铺")
    done = inspect(world, c, done_target)
    page = login(client, world.gina).get("/inspections/mine/").content.decode()
    assert f'href="/inspections/campaigns/{c.pk}/targets/{left.pk}/inspect/"' in page
    assert f"/targets/{done_target.pk}/inspect/" not in page
    assert other.name not in page
    assert f'id="done-{done.pk}"' in page


@pytest.mark.parametrize("who", ["rita", "uma", "nobody"])
def test_my_inspections_is_missing_for_others(client, world, who):
    assert login(client, getattr(world, who)).get("/inspections/mine/").status_code == 404


def test_the_same_form_sent_again_changed_leads_to_what_was_recorded(client, world):
    """Back after a timeout: the browser kept the answers but not the chosen photo."""
    c, t = campaign(world), target(world)
    login(client, world.gina)
    item = first_item(c)
    first = client.post(url(c, t), form_data(c, fail=(1,)) | {
        f"item-{item.pk}-photos": [jpeg()]})
    again = client.post(url(c, t), form_data(c, fail=(1,)))
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Inspection.objects.count() == 1 and OrderPhoto.objects.count() == 1
    page = client.get(again["Location"]).content.decode()
    assert "Changes made after sending it were not saved." in page


def test_a_date_that_is_no_date_is_marked_on_its_item_and_nothing_is_written(client, world):
    c, t = campaign(world), target(world)
    one, two = c.items.get(position=1), c.items.get(position=2)
    data = form_data(c, fail=(1, 2)) | {f"item-{one.pk}-deadline": "明天",
                                        f"item-{two.pk}-deadline": "2026-13-40"}
    response = login(client, world.gina).post(url(c, t), data)
    page = response.content.decode()
    assert response.status_code == 400 and not Inspection.objects.exists()
    assert f'id="id_item-{one.pk}-deadline_error"' in page
    assert f'id="id_item-{two.pk}-deadline_error"' in page
    assert 'value="明天"' in page
