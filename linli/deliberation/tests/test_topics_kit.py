"""Fixtures and builders the topics tests share (no tests here): neighbours with registry
records in estate A, uploads, a leaf case category, the community's rules."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.deliberation.models import Rules
from linli.deliberation.tests.factories import dwellings, voter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media_root(settings, tmp_path):
    """Files go to a throw-away directory, never to the developer's data dir."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
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


def pdf(name: str = "plan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def neighbours(world, count: int, prefix: str = "n") -> list:
    """`count` residents of building A (estate A), each with a registry record."""
    homes = dwellings(world.entrance_a, count, prefix=prefix)
    return [voter(world.alice, d, f"{prefix}{i}", name=f"张三{i}丰") for i, d in
            enumerate(homes)]


def rules(world, needed: int) -> Rules:
    return Rules.objects.create(community=world.community_a, supporters_needed=needed)
