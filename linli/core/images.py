"""Uploaded photos: checked by content (not by name), EXIF and GPS stripped, thumbnailed.

Only JPEG, PNG and WebP up to 10 MB are accepted. The pixels are decoded and re-encoded,
so nothing of the original file's metadata (camera, GPS position, comments) survives.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from linli.core.errors import ValidationFailed

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_FILES = 9
THUMB_SIZE = (320, 320)
_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"),
            "WEBP": ("image/webp", "webp")}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    thumbnail: bytes
    content_type: str
    extension: str
    width: int
    height: int

    def files(self, stem: str) -> tuple[ContentFile, ContentFile]:
        return (ContentFile(self.content, name=f"{stem}.{self.extension}"),
                ContentFile(self.thumbnail, name=f"{stem}-thumb.{self.extension}"))


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _opened(data: bytes) -> Image.Image:
    """Open without decoding; Pillow's bomb warning is raised as the error it means here."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def image_clean(data: bytes, name: str = "") -> CleanImage:
    label = name or _("the photo")
    if len(data) > MAX_BYTES:
        raise ValidationFailed(_("%(name)s is larger than 10 MB.") % {"name": label},
                               code="photo_too_large")
    try:
        with _opened(data) as probe:
            fmt = probe.format or ""
            if fmt not in _FORMATS:
                raise ValidationFailed(
                    _("%(name)s is not a JPEG, PNG or WebP image.") % {"name": label},
                    code="photo_type")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(_("%(name)s has too many pixels.") % {"name": label},
                                       code="photo_too_large")
            probe.load()
            # Apply the EXIF orientation, then drop every piece of metadata with it.
            image = ImageOps.exif_transpose(probe)
            if image.mode not in ("RGB", "RGBA", "L"):
                image = image.convert("RGBA")
            image = Image.frombytes(image.mode, image.size, image.tobytes())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own limits are above MAX_PIXELS: the same refusal as a smaller bomb.
        raise ValidationFailed(_("%(name)s has too many pixels.") % {"name": label},
                               code="photo_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationFailed(_("%(name)s is not a readable image.") % {"name": label},
                               code="photo_type") from None
    content_type, extension = _FORMATS[fmt]
    thumb = image.copy()
    thumb.thumbnail(THUMB_SIZE)
    return CleanImage(_encode(image, fmt), _encode(thumb, fmt), content_type, extension,
                      image.width, image.height)


def images_clean(files) -> list[CleanImage]:
    """Validate every upload before anything is written: all of them pass or none."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationFailed(_("At most %(n)d photos at a time.") % {"n": MAX_FILES},
                               code="too_many_photos")
    cleaned = []
    for upload in files:
        if upload.size > MAX_BYTES:
            raise ValidationFailed(_("%(name)s is larger than 10 MB.") % {"name": upload.name},
                                   code="photo_too_large")
        cleaned.append(image_clean(upload.read(), upload.name))
    return cleaned
