"""The care visit form (issue #11 item 8): photos chosen are kept when the form comes back
with an error (held privately, EXIF gone, only for their uploader), and the case to raise
is picked with the report form's searchable, grouped category picker."""

import io
import os
import time

import pytest
from django.utils import timezone
from PIL import Image

from linli.cases.models import Case
from linli.cases.tests.apitools import jpeg_upload
from linli.cases.tests.factories import category
from linli.core.errors import ValidationFailed
from linli.core.held import MAX_AGE
from linli.core.images import image_clean
from linli.people.models import Visit
from linli.people.tests.factories import cared_for
from linli.people.tests.pages import as_user, html, registry_state
from linli.people.views_care import VISIT_PHOTOS as held

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def visit_url(people):
    cared_for(people.alice, people.rosa, people.gina)
    return f"/people/residents/{people.rosa.pk}/visits/new/"


def _held(page: str) -> list[str]:
    import re

    return re.findall(r'name="held_photo" value="([^"]+)"', page)


def _today() -> str:
    return timezone.localdate().isoformat()


def test_the_picker_is_the_report_forms_grouped_and_searchable(client, people, visit_url):
    leak = category()
    as_user(client, people.gina)
    page = html(client.get(visit_url))
    assert 'id="category-picker"' in page and 'id="category-filter"' in page
    assert 'type="search"' in page and "/static/linli/cases.js" in page
    assert f'name="case_category" value="{leak.code}"' in page
    assert 'class="category-group-name"' in page and "data-search=" in page
    assert 'data-toggle-by="id_raise_case"' in page  # shown while "raise a case" is ticked


def test_a_case_is_raised_with_the_picked_code(client, people, visit_url):
    leak = category()
    as_user(client, people.gina)
    response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                       "raise_case": "on", "case_category": leak.code,
                                       "case_description": "楼道灯坏了"})
    assert response.status_code == 302
    case = Visit.objects.get().case
    assert case is not None and case.category == leak


def test_a_chosen_photo_is_kept_when_the_form_comes_back(client, people, visit_url):
    leak = category()
    as_user(client, people.gina)
    before = registry_state()
    response = client.post(visit_url, {"visited_on": _today(), "kind": "",  # kind missing
                                       "raise_case": "on", "case_category": leak.code,
                                       "photos": [jpeg_upload("door.jpg", gps=True)]})
    assert response.status_code == 400 and registry_state() == before
    page = html(response)
    assert "Some fields are missing or invalid." in page
    tokens = _held(page)
    assert len(tokens) == 1 and 'id="held-photos"' in page
    assert f'value="{leak.code}" checked' in page  # the category is kept too
    thumb = client.get(f"/people/visit-photos/held/{tokens[0]}/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert "no-store" in thumb["Cache-Control"]
    assert not Image.open(io.BytesIO(thumb.content)).getexif()  # no GPS, no EXIF at all
    # Sent again with the kind: saved with the held photo, which then leaves the folder.
    response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                       "held_photo": tokens * 2})  # a token twice: once
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.photos.count() == 1
    assert not Image.open(visit.photos.get().image).getexif()
    assert list(held.folder().iterdir()) == []


def test_a_held_photo_can_be_removed(client, people, visit_url):
    as_user(client, people.gina)
    page = html(client.post(visit_url, {"visited_on": "", "kind": "home",
                                        "photos": [jpeg_upload("a.jpg")]}))
    token, = _held(page)
    response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                       "held_photo": [token], "remove_photo": [token]})
    assert response.status_code == 302 and Visit.objects.get().photos.count() == 0
    assert list(held.folder().iterdir()) == []


def test_a_bad_file_is_refused_and_the_good_one_kept(client, people, visit_url):
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, people.gina)
    bad = SimpleUploadedFile("notes.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                       "photos": [jpeg_upload("ok.jpg"), bad]})
    assert response.status_code == 400 and not Visit.objects.exists()
    page = html(response)
    assert "notes.jpg is not a readable image." in page and len(_held(page)) == 1


def test_a_held_photo_is_only_its_uploaders(client, people, visit_url):
    as_user(client, people.gina)
    token, = _held(html(client.post(visit_url, {"visited_on": "", "kind": "home",
                                                "photos": [jpeg_upload()]})))
    url = f"/people/visit-photos/held/{token}/"
    for who in ("alice", "gary", "bob", "rita"):
        as_user(client, getattr(people, who))
        assert client.get(url).status_code == 404, who
    # Alice keeps rosa's register too, but gina's token is not hers: it is dropped.
    as_user(client, people.alice)
    response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                       "held_photo": [token]})
    assert response.status_code == 302 and Visit.objects.get().photos.count() == 0
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert client.get("/people/visit-photos/held/forged:token/").status_code == 302


def test_wrong_role_and_other_grid_cannot_post(client, people, visit_url):
    for who in ("gary", "bob", "rita", "uma"):
        as_user(client, getattr(people, who))
        response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                           "photos": [jpeg_upload()]})
        assert response.status_code == 404, who
    assert not Visit.objects.exists() and not Case.objects.exists()
    assert not held.folder().exists() or list(held.folder().iterdir()) == []


def test_ten_photos_are_refused_and_kept_for_removing(client, people, visit_url):
    as_user(client, people.gina)
    response = client.post(visit_url, {"visited_on": _today(), "kind": "home",
                                       "photos": [jpeg_upload(f"p{i}.jpg") for i in range(10)]})
    assert response.status_code == 400 and not Visit.objects.exists()
    page = html(response)
    assert "At most 9 photos at a time: remove 1." in page and len(_held(page)) == 10


def test_an_expired_or_swept_photo_says_choose_it_again(people, settings):
    image = image_clean(jpeg_upload().read())
    token = held.hold(people.gina, image)
    assert held.images(people.gina, [token])[0].content == image.content
    with pytest.raises(ValidationFailed) as refused:
        held.images(people.alice, [token])  # not hers
    assert refused.value.code == "photo_expired"
    old = time.time() - MAX_AGE - 60
    for path in held.folder().iterdir():
        os.utime(path, (old, old))
    held.hold(people.gina, image)  # any new upload sweeps what was left behind
    assert held.valid(people.gina, [token]) == []
    assert len(list(held.folder().iterdir())) == 2  # the new photo and its thumb
