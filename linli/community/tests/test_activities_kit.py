"""Fixtures and builders the activities tests share (no tests here)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from linli.community.services import ActivityData


@pytest.fixture
def media_root(settings, tmp_path):
    """Files go to a throw-away directory, never to the developer's data dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def jpeg(name: str = "photo.jpg", *, gps: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "red")
    buffer = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (114.0, 17.0, 0.0)}
        image.save(buffer, "JPEG", exif=exif.tobytes())
    else:
        image.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def data(*, ends_before: bool = False, starts_at=None, **fields) -> ActivityData:
    """A lecture in two days, sign-up open from now until its start."""
    now = timezone.now()
    starts = starts_at or now + timedelta(days=2)
    values = {"title": "反诈讲座", "kind": "lecture", "venue": "社区活动室", "capacity": 30,
              "starts_at": starts,
              "ends_at": starts - timedelta(hours=1) if ends_before else starts
              + timedelta(hours=2),
              "signup_opens_at": now - timedelta(minutes=1), "signup_closes_at": starts,
              **fields}
    return ActivityData(**values)
