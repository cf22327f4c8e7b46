"""Helpers shared by the cases API and media tests."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from linli.cases.models import Case, Photo
from linli.cases.services import case_transition


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded photos go to a throw-away directory, never to the developer's data dir."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_json(client, url: str, data=None, **headers):
    return client.post(url, data if data is not None else {}, content_type="application/json",
                       headers=headers)


def snapshot(case: Case) -> tuple:
    """What a refused write must leave untouched."""
    fresh = Case.objects.get(pk=case.pk)
    return fresh.state, fresh.version, fresh.events.count(), Photo.objects.filter(
        case=case).count()


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


GPS_IFD = 0x8825


def jpeg_bytes(*, gps: bool = False, size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, "red")
    buffer = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[GPS_IFD] = {1: "N", 2: (30.0, 35.0, 0.0), 3: "E", 4: (114.0, 17.0, 0.0)}
        image.save(buffer, "JPEG", exif=exif.tobytes())
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()


def jpeg_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def walk(case: Case, world, to: str) -> Case:
    """Move `case` along the happy path with the standard actors until it reaches `to`."""
    steps = [("accept", world.alice, {}), ("dispatch", world.alice, {"unit": world.unit_a}),
             ("acknowledge", world.uma, {}), ("resolve", world.uma, {"note": "已修复"}),
             ("verify", world.gina, {}), ("close", world.alice, {})]
    for action, actor, data in steps:
        if case.state == to:
            break
        case = case_transition(actor=actor, case=case, action=action, **data)
    assert case.state == to
    return case


def png_bomb(width: int, height: int) -> bytes:
    """A black 1-bit PNG of `width` x `height` that is small on the wire and huge decoded.

    Written chunk by chunk: Pillow would need the whole image in memory (a byte a pixel)
    to save it, which is the very thing a bomb is about."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    compressed = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", compressed)
            + chunk(b"IEND", b""))


def png_bomb_upload(name: str, width: int, height: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bomb(width, height), content_type="image/png")
