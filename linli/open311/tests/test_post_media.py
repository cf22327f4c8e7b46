"""POST requests with photos and several media URLs: uploaded files become the case's own
photos (checked by content, stripped), URLs are kept in order; anything that cannot be
kept is refused with the spec's error list, and nothing is created, not even a file."""

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from linli.cases.models import Case, Photo
from linli.open311.models import Submission
from linli.open311.tests.conftest import BASE, both, form, parsed


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files_on_disk(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def image(fmt: str = "PNG", name: str = "leak.png", colour="red", exif=False):
    out = io.BytesIO()
    picture = Image.new("RGB", (40, 30), colour)
    if exif:  # a camera's make and a GPS block, which must not survive
        data = Image.Exif()
        data[0x010F] = "SecretCam"
        data[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0)}
        picture.save(out, fmt, exif=data)
    else:
        picture.save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def _post(client, world, fmt="json", headers=None, **fields):
    return client.post(f"{BASE}/requests.{fmt}", form(world, **fields), headers=headers or {})


def _nothing_created(media_root):
    assert (Case.objects.count(), Submission.objects.count(), Photo.objects.count()) == (
        0, 0, 0)
    assert _files_on_disk(media_root) == []


@pytest.mark.parametrize("field", ["media", "media[]", "photo"])
def test_uploaded_photos_become_the_cases_own(client, o311, field):
    response = _post(client, o311, **{field: [image(), image("JPEG", "b.jpg", exif=True)]})
    assert response.status_code == 201
    case = Case.objects.get()
    photos = list(case.photos.order_by("pk"))
    assert [p.content_type for p in photos] == ["image/png", "image/jpeg"]
    assert all(p.event == case.events.get(action="report") for p in photos)
    stored = photos[1].image.read()
    assert b"SecretCam" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
    assert Submission.objects.get().media_urls == []


def test_several_media_urls_are_kept_in_order(client, o311):
    urls = ["https://img.example.com/1.jpg", "http://img.example.com/2.jpg"]
    body = form(o311, media_url=urls[0])
    body["media_url[]"] = [urls[1], urls[0]]  # a repeat is kept once
    assert client.post(f"{BASE}/requests.json", body).status_code == 201
    assert Submission.objects.get().media_urls == urls


def test_a_repeated_media_url_keeps_every_one(client, o311):
    urls = [f"https://img.example.com/{i}.jpg" for i in range(9)]
    assert _post(client, o311, media_url=urls).status_code == 201
    assert Submission.objects.get().media_urls == urls


def test_photos_and_urls_together(client, o311):
    response = _post(client, o311, media=image(), media_url="https://img.example.com/a.jpg")
    assert response.status_code == 201
    assert Case.objects.get().photos.count() == 1
    assert Submission.objects.get().media_urls == ["https://img.example.com/a.jpg"]


def test_get_shows_the_first_url_and_with_extensions_all(client, o311):
    urls = ["https://img.example.com/1.jpg", "https://img.example.com/2.jpg"]
    _post(client, o311, media=image(), media_url=urls)
    case = Case.objects.get()
    _xml, plain = both(client, f"requests/{case.pk}")
    assert plain[0]["media_url"] == urls[0]
    assert "media_urls" not in plain[0]
    _xml, extended = both(client, f"requests/{case.pk}", extensions="true")
    # The uploaded photo is served to staff only, so no link to it is published.
    assert extended[0]["media_urls"] == urls


def test_photos_alone_publish_no_link(client, o311):
    _post(client, o311, media=image())
    _xml, extended = both(client, f"requests/{Case.objects.get().pk}", extensions="true")
    assert (extended[0]["media_url"], extended[0]["media_urls"]) == (None, [])


def test_the_case_page_shows_every_link(client, o311):
    urls = ["https://img.example.com/1.jpg", "https://img.example.com/2.jpg"]
    _post(client, o311, media_url=urls)
    client.force_login(o311.alice)
    page = client.get(f"/cases/{Case.objects.get().pk}/").content.decode()
    section = page[page.index('id="open311-submitted"'):]
    assert all(f'href="{url}"' in section for url in urls)
    assert "照片或视频链接 2" in section  # staff read the page in Chinese


BAD = [
    ("not an image", lambda: {"media": SimpleUploadedFile("x.png", b"%PDF-1.4 not a photo")},
     ["x.png is not a readable image."]),
    ("a GIF", lambda: {"media": image("GIF", "a.gif")},
     ["a.gif is not a JPEG, PNG or WebP image."]),
    ("one bad among good", lambda: {"media": [image(), SimpleUploadedFile("b.jpg", b"no")]},
     ["b.jpg is not a readable image."]),
    ("too many photos", lambda: {"media": [image(name=f"{i}.png") for i in range(10)]},
     ["At most 9 photos at a time."]),
    ("an unknown file field", lambda: {"picture": image()},
     ["Send photos in the file field media; picture is not read."]),
    ("too many urls", lambda: {"media_url": [f"https://e.com/{i}.jpg" for i in range(10)]},
     ["At most 9 media_url at a time."]),
    ("a bad url among good", lambda: {"media_url": ["https://e.com/1.jpg", "ftp://e.com/2"]},
     ["media_url must be an http(s) URL of at most 500 characters."]),
    ("a long url", lambda: {"media_url[]": "https://e.com/" + "x" * 490},
     ["media_url must be an http(s) URL of at most 500 characters."]),
    ("with other problems", lambda: {"media": SimpleUploadedFile("x.png", b"x"),
                                     "attribute[floor]": "9"},
     ["x.png is not a readable image.", "attribute[floor]: 9 is not one of the choices."]),
]


@pytest.mark.parametrize(("name", "fields", "problems"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_media_that_cannot_be_kept_is_refused(client, o311, _media, fmt, name, fields,
                                              problems):
    response = _post(client, o311, fmt=fmt, **fields())
    assert response.status_code == 400
    assert parsed(response) == [{"code": "400", "description": p} for p in problems]
    _nothing_created(_media)


def test_a_too_large_file_is_refused_unread(client, o311, _media, settings):
    big = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    response = _post(client, o311, media=big)
    assert response.status_code == 400
    assert parsed(response) == [{"code": "400", "description": "big.jpg is larger than 10 MB."}]
    _nothing_created(_media)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_a_broken_multipart_body_is_the_error_list(client, o311, _media, fmt):
    broken = client.generic("POST", f"{BASE}/requests.{fmt}", b"--x\r\nnonsense",
                            content_type="multipart/form-data")  # no boundary
    assert broken.status_code == 400
    assert parsed(broken) == [{"code": "400", "description": "The request body could not be "
                               "read: send it form-encoded or as multipart/form-data, in "
                               "UTF-8."}]
    _nothing_created(_media)


def test_a_retry_with_the_same_files_answers_the_first_case(client, o311, _media):
    headers = {"Idempotency-Key": "photo-retry-1"}
    first = _post(client, o311, headers=headers, media=image())
    again = _post(client, o311, headers=headers, media=image())
    assert (first.status_code, again.status_code) == (201, 200)
    assert parsed(first) == parsed(again)
    assert (Case.objects.count(), Photo.objects.count()) == (1, 1)
    assert len(_files_on_disk(_media)) == 2  # the photo and its thumbnail, once


def test_the_same_key_with_another_file_is_refused(client, o311, _media):
    headers = {"Idempotency-Key": "photo-retry-2"}
    _post(client, o311, headers=headers, media=image())
    other = _post(client, o311, headers=headers, media=image(colour="blue"))
    assert other.status_code == 400
    assert parsed(other)[0]["description"] == ("This Idempotency-Key was already used for a "
                                               "different request.")
    assert _post(client, o311, headers=headers).status_code == 400  # the form alone differs
    assert (Case.objects.count(), Photo.objects.count()) == (1, 1)


def test_a_filing_rolled_back_leaves_no_photo_file(client, o311, _media):
    with mock.patch("linli.open311.intake.Submission.objects.create",
                    side_effect=IntegrityError("token taken")), pytest.raises(IntegrityError):
        _post(client, o311, media=[image(), image("JPEG", "b.jpg")])
    _nothing_created(_media)
