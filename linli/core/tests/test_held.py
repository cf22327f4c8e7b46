"""core/held.py on its own: each purpose has its own folder and salt, a token is its
uploader's, and the content digest stays the same for the same upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from linli.accounts.tests.factories import UserFactory
from linli.cases.tests.apitools import jpeg_bytes
from linli.core.held import HeldPhotos, too_many
from linli.core.images import image_clean

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


def test_a_token_works_only_for_its_purpose_and_uploader():
    one, other = HeldPhotos("one-form"), HeldPhotos("other-form")
    ann, ben = UserFactory(), UserFactory()
    token = one.hold(ann, image_clean(jpeg_bytes(gps=True)))
    assert one.folder() != other.folder()
    assert one.valid(ann, [token]) == [token] and one.thumbnail(ann, token) is not None
    assert other.valid(ann, [token]) == [] and other.thumbnail(ann, token) is None
    assert one.valid(ben, [token]) == [] and one.digests(ben, [token]) == []
    assert one.valid(ann, ["forged:token"]) == []


def test_the_digest_outlives_the_release_and_matches_the_same_upload_again():
    held, ann = HeldPhotos("a-form"), UserFactory()
    first, _ = held.hold_uploads(ann, [SimpleUploadedFile("a.jpg", jpeg_bytes())])
    again, _ = held.hold_uploads(ann, [SimpleUploadedFile("a.jpg", jpeg_bytes())])
    assert held.digests(ann, first) == held.digests(ann, again)
    held.release(ann, first)
    assert held.valid(ann, first) == [] and held.digests(ann, first) == held.digests(ann, again)


def test_bad_purposes_and_the_limit():
    with pytest.raises(ValueError):
        HeldPhotos("../people")
    assert too_many(9) is None
    with translation.override("en"):
        refused = too_many(11)
    assert refused is not None and refused.code == "too_many_photos"
    assert "remove 2" in refused.message
