"""Case photos: uploaded through the API (content-checked, EXIF stripped) and served only
through the scoped views, never from /media/."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.cases.models import Case, CaseEvent, Photo
from linli.cases.tests import apitools
from linli.cases.tests.apitools import (
    GPS_IFD,
    jpeg_upload,
    png_bomb_upload,
    snapshot,
    stored_files,
    walk,
)

pytestmark = pytest.mark.django_db
media_root = apitools.media_root  # the fixture


def upload(client, case, *files, **headers):
    return client.post(f"/api/cases/{case.pk}/photos", {"photos": list(files)},
                       headers=headers)


# --- upload ----------------------------------------------------------------------------

def test_anonymous_cannot_upload(client, world, reported, media_root):
    before = snapshot(reported)
    assert upload(client, reported, jpeg_upload()).status_code == 401
    assert snapshot(reported) == before and stored_files(media_root) == []


@pytest.mark.parametrize("who, status", [("bob", 404), ("uma", 404), ("alice", 403),
                                         ("gina", 403)])
def test_only_the_reporter_adds_photos_before_handling(client, world, reported, media_root,
                                                        who, status):
    before = snapshot(reported)
    client.force_login(getattr(world, who))
    assert upload(client, reported, jpeg_upload()).status_code == status
    assert snapshot(reported) == before and stored_files(media_root) == []


def test_reporter_adds_photos(client, world, reported, media_root):
    client.force_login(world.rita)
    response = upload(client, reported, jpeg_upload("a.jpg"), jpeg_upload("b.jpg"))
    assert response.status_code == 201
    photos = list(Photo.objects.order_by("pk"))
    assert response.json() == [p.pk for p in photos]
    event = CaseEvent.objects.get(action="add_photos")
    assert (event.actor, event.is_public, event.data) == (world.rita, True, {"count": 2})
    assert {(p.event_id, p.content_type, p.width, p.height) for p in photos} == {
        (event.pk, "image/jpeg", 40, 30)}
    assert snapshot(reported) == ("reported", 1, 2, 2)
    assert len(stored_files(media_root)) == 4  # each photo and its thumbnail


def test_unit_adds_evidence_while_handling(client, world, reported, media_root):
    case = walk(reported, world, "in_progress")
    client.force_login(world.rita)
    response = upload(client, case, jpeg_upload())
    assert (response.status_code, response.json()["code"]) == (400, "transition_not_allowed")
    client.force_login(world.uma)
    assert upload(client, case, jpeg_upload()).status_code == 201
    assert Photo.objects.get().uploaded_by == world.uma


def test_token_upload(client, world, reported, media_root):
    from linli.accounts.services import api_token_create

    _token, secret = api_token_create(actor=world.rita, name="app")
    response = upload(client, reported, jpeg_upload(), Authorization=f"Bearer {secret}")
    assert response.status_code == 201 and Photo.objects.count() == 1


def test_a_fake_image_is_refused_and_nothing_stored(client, world, reported, media_root):
    before = snapshot(reported)
    client.force_login(world.rita)
    fake = SimpleUploadedFile("leak.jpg", b"this is not a picture", content_type="image/jpeg")
    response = upload(client, reported, jpeg_upload(), fake)
    assert (response.status_code, response.json()["code"]) == (400, "photo_type")
    assert snapshot(reported) == before and stored_files(media_root) == []


def test_oversized_uploads_are_clear_400s(client, world, reported, media_root, settings,
                                          monkeypatch):
    monkeypatch.setattr("linli.core.images.MAX_BYTES", 100)
    before = snapshot(reported)
    client.force_login(world.rita)
    response = upload(client, reported, jpeg_upload())
    assert (response.status_code, response.json()["code"]) == (400, "photo_too_large")
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    response = upload(client, reported, jpeg_upload("a.jpg"), jpeg_upload("b.jpg"))
    assert (response.status_code, response.json()["code"]) == (400, "bad_request")
    assert snapshot(reported) == before and stored_files(media_root) == []


# 7,000 x 7,000 is over our own limit; 10,000 x 10,000 makes Pillow warn; 25,000 x 25,000
# (76 KB on the wire) makes Pillow refuse to open it at all. One answer for all three.
BOMBS = [(7_000, 7_000), (10_000, 10_000), (25_000, 25_000)]


@pytest.mark.parametrize("size", BOMBS, ids=lambda size: f"{size[0]}x{size[1]}")
def test_a_decompression_bomb_is_a_clear_400(client, world, reported, media_root, size):
    before = snapshot(reported)
    client.force_login(world.rita)
    client.cookies["linli_language"] = "en"
    response = upload(client, reported, jpeg_upload(), png_bomb_upload("bomb.png", *size))
    assert response.status_code == 400
    assert response.json() == {"code": "photo_too_large",
                               "message": "bomb.png has too many pixels."}
    assert snapshot(reported) == before and stored_files(media_root) == []


def test_no_file_is_400(client, world, reported, media_root):
    client.force_login(world.rita)
    response = client.post(f"/api/cases/{reported.pk}/photos", {})
    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert Photo.objects.count() == 0


def test_gps_position_is_stripped(client, world, reported, media_root):
    original = jpeg_upload(gps=True)
    assert Image.open(io.BytesIO(original.read())).getexif().get_ifd(GPS_IFD)  # it has one
    original.seek(0)
    client.force_login(world.rita)
    assert upload(client, reported, original).status_code == 201
    photo = Photo.objects.get()
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as handle:
            data = handle.read()
        assert b"Exif" not in data
        assert not Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)


# --- serving ---------------------------------------------------------------------------

@pytest.fixture
def photo(client, world, reported, media_root) -> Photo:
    client.force_login(world.rita)
    assert upload(client, reported, jpeg_upload()).status_code == 201
    client.logout()
    return Photo.objects.get()


def urls(photo) -> list[str]:
    return [f"/cases/photos/{photo.pk}/", f"/cases/photos/{photo.pk}/thumb/"]


def test_anonymous_is_sent_to_log_in(client, photo):
    for url in urls(photo):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


@pytest.mark.parametrize("who", ["rita", "alice", "gina"])
def test_people_who_see_the_case_get_the_photo(client, world, photo, who):
    client.force_login(getattr(world, who))
    for url, field in zip(urls(photo), (photo.image, photo.thumbnail), strict=True):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private"
        assert response["X-Content-Type-Options"] == "nosniff"
        with field.open("rb") as handle:
            assert b"".join(response.streaming_content) == handle.read()


@pytest.mark.parametrize("who", ["bob", "uma", "nobody"])
def test_others_get_404(client, world, photo, who):
    client.force_login(getattr(world, who))
    for url in urls(photo):
        assert client.get(url).status_code == 404


def test_the_unit_sees_photos_once_the_case_is_theirs(client, world, photo):
    walk(Case.objects.get(pk=photo.case_id), world, "dispatched")
    client.force_login(world.uma)
    assert client.get(urls(photo)[0]).status_code == 200


def test_photos_of_private_events_are_staff_only(client, world, photo):
    private = CaseEvent.objects.create(case=photo.case, district_id_copy=photo.case.district_id,
                                       at=photo.created_at, actor=world.alice,
                                       action="note", is_public=False)
    Photo.objects.filter(pk=photo.pk).update(event=private)
    client.force_login(world.rita)
    assert client.get(urls(photo)[0]).status_code == 404
    client.force_login(world.alice)
    assert client.get(urls(photo)[0]).status_code == 200


def test_the_event_timeline_links_the_scoped_urls(client, world, photo):
    client.force_login(world.rita)
    events = client.get(f"/api/cases/{photo.case_id}/events").json()
    assert events[-1]["photos"] == [{"id": photo.pk, "url": urls(photo)[0],
                                     "thumbnail_url": urls(photo)[1],
                                     "content_type": "image/jpeg", "width": 40, "height": 30}]


def test_media_urls_serve_nothing(client, world, photo):
    client.force_login(world.rita)
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_only_get(client, world, photo):
    client.force_login(world.rita)
    assert client.post(urls(photo)[0]).status_code == 405
