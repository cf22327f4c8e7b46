"""The report form keeps the photos a resident chose when it comes back with an error: held
privately (core/held.py), shown as thumbnails to remove, counted toward the limit, and saved
with the case (EXIF gone); a token of another person or another form is refused."""

import re

import pytest
from PIL import Image

from linli.cases.models import Case, Photo
from linli.cases.tests.apitools import jpeg_upload
from linli.cases.tests.viewtools import body, jpeg, login_as
from linli.cases.views_resident import REPORT_PHOTOS
from linli.core.images import image_clean
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


def _data(world, leak, **changes) -> dict:
    data = {"category": leak.code, "description": "楼道水管漏水", "title": "",
            "area": world.dwelling_a.pk, "address": "", "lat": "", "lng": "",
            "idem": "key-held"}
    return data | changes


def _held(page: str) -> list[str]:
    return re.findall(r'name="held_photo" value="([^"]+)"', page)


def _files() -> list:
    return list(REPORT_PHOTOS.folder().iterdir())


def test_a_chosen_photo_is_kept_and_saved_with_the_report(client, world, leak):
    login_as(client, world.rita)
    response = client.post("/cases/new/", _data(world, leak, description="",
                                                 photos=[jpeg_upload(gps=True)]))
    page = body(response)
    assert response.status_code == 200 and "Describe the problem." in page
    assert not Case.objects.exists() and not AuditEntry.objects.exists()
    token, = _held(page)
    assert 'id="held-photos"' in page and "choose the photos again" not in page
    thumb = client.get(f"/cases/new/photos/{token}/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert "no-store" in thumb["Cache-Control"]
    # Filled in and sent again: the case has the held photo, without EXIF, and the folder
    # is empty again.
    response = client.post("/cases/new/", _data(world, leak, held_photo=[token, token]))
    case = Case.objects.get()
    assert response.status_code == 302 and case.photos.count() == 1
    assert not Image.open(case.photos.get().image).getexif()
    assert _files() == []
    # A replay of that submit (the back button, a double tap) is the same report.
    again = client.post("/cases/new/", _data(world, leak, held_photo=[token]))
    assert again["Location"] == response["Location"] and Case.objects.count() == 1


def test_a_double_submit_with_a_new_photo_makes_one_case(client, world, leak):
    login_as(client, world.rita)
    first = client.post("/cases/new/", _data(world, leak, photos=[jpeg()]))
    second = client.post("/cases/new/", _data(world, leak, photos=[jpeg()]))
    assert first["Location"] == second["Location"]
    assert (Case.objects.count(), Photo.objects.count()) == (1, 1) and _files() == []


def test_the_same_key_with_other_photos_is_refused(client, world, leak):
    login_as(client, world.rita)
    client.post("/cases/new/", _data(world, leak))
    response = client.post("/cases/new/", _data(world, leak, photos=[jpeg()]))
    assert "already used for a different report" in body(response)
    assert Case.objects.count() == 1 and len(_held(body(response))) == 1


def test_a_held_photo_can_be_removed(client, world, leak):
    login_as(client, world.rita)
    token, = _held(body(client.post("/cases/new/", _data(world, leak, description="",
                                                             photos=[jpeg()]))))
    response = client.post("/cases/new/", _data(world, leak, held_photo=[token],
                                                 remove_photo=[token]))
    assert response.status_code == 302 and Case.objects.get().photos.count() == 0
    assert _files() == []


def test_a_bad_file_is_refused_and_the_good_one_kept(client, world, leak):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login_as(client, world.rita)
    notes = SimpleUploadedFile("notes.jpg", b"not an image", content_type="image/jpeg")
    page = body(client.post("/cases/new/", _data(world, leak, photos=[jpeg(), notes])))
    assert "notes.jpg is not a readable image." in page and len(_held(page)) == 1
    assert not Case.objects.exists()


def test_the_limit_counts_held_and_new_photos(client, world, leak):
    login_as(client, world.rita)
    page = body(client.post("/cases/new/", _data(world, leak, description="",
                                                 photos=[jpeg(f"{i}.jpg") for i in range(6)])))
    held = _held(page)
    assert len(held) == 6 and 'data-max="9"' in page
    response = client.post("/cases/new/", _data(world, leak, held_photo=held,
                                                 photos=[jpeg(f"n{i}.jpg") for i in range(4)]))
    page = body(response)
    assert "At most 9 photos at a time: remove 1." in page and len(_held(page)) == 10
    assert not Case.objects.exists()
    # Ten held, one ticked for removal: nine, and the report goes.
    ten = _held(page)
    response = client.post("/cases/new/", _data(world, leak, held_photo=ten,
                                                 remove_photo=ten[:1]))
    assert response.status_code == 302 and Case.objects.get().photos.count() == 9
    assert _files() == []


def test_a_held_photo_is_only_its_uploaders(client, world, leak):
    login_as(client, world.rita)
    token, = _held(body(client.post("/cases/new/", _data(world, leak, description="",
                                                             photos=[jpeg()]))))
    url = f"/cases/new/photos/{token}/"
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for other in (world.gina, world.bob, world.nobody):
        assert login_as(client, other).get(url).status_code == 404
    # Gina (grid worker, same grid) cannot report with Rita's photo on patrol.
    response = login_as(client, world.gina).post(
        "/cases/patrol/", _data(world, leak, area=world.estate_a.pk, held_photo=[token]))
    assert response.status_code == 302 and Case.objects.get().photos.count() == 0
    assert len(_files()) == 2  # Rita's photo and thumbnail wait for her


def test_a_token_of_another_form_is_refused(client, world, leak):
    from linli.people.views_care import VISIT_PHOTOS

    visit_token = VISIT_PHOTOS.hold(world.rita, image_clean(jpeg_upload().read()))
    login_as(client, world.rita)
    assert client.get(f"/cases/new/photos/{visit_token}/").status_code == 404
    assert client.get(f"/people/visit-photos/held/{visit_token}/").status_code == 200
    response = client.post("/cases/new/", _data(world, leak, held_photo=[visit_token]))
    assert response.status_code == 302 and Case.objects.get().photos.count() == 0
    assert REPORT_PHOTOS.images(world.rita, []) == []
    assert REPORT_PHOTOS.valid(world.rita, [visit_token]) == []


def test_wrong_role_and_anonymous_hold_nothing(client, world, leak):
    response = client.post("/cases/new/", _data(world, leak, photos=[jpeg()]))
    assert response.status_code == 302  # to the login page
    for who in (world.bob, world.nobody):
        response = login_as(client, who).post("/cases/new/", _data(world, leak,
                                                                   photos=[jpeg()]))
        assert response.status_code == 403
    assert not Case.objects.exists() and _files() == []
