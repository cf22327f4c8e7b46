"""Photos chosen on the visit form, held while the form comes back with an error.

A browser cannot put a chosen file back into a file input, so a visit form refused for a
missing field used to lose its photos: the grid worker, at the door, had to find them again.
Each upload is cleaned at once (`core.images.image_clean`: checked by content, EXIF and GPS
dropped, re-encoded) and the clean bytes wait in a private folder (never under MEDIA_ROOT,
never served as a file), named by a random id. The form carries a signed token per photo,
bound to the uploader: a token cannot name another file, and is useless to anyone else.
The visit is saved from the held photos; then they are deleted. A photo left behind (a form
abandoned) is deleted after a day, by the next upload of anyone.

Why not only check on the client first: the server still refuses things the browser cannot
know (the plan was changed meanwhile, the category went inactive), and those must not lose
the photos either. Client checks (`required`, the count) still spare most round trips.
"""

import re
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.core.images import MAX_BYTES, CleanImage, image_clean

SALT = "linli.people.pending-photo"
MAX_AGE = 24 * 3600  # seconds a held photo waits for its form
_NAME = re.compile(r"^[0-9a-f]{32}$")
_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def pending_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "private" / "visit-photos-pending"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _write(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    path.chmod(0o600)


def _sweep(now: float) -> None:
    for path in pending_dir().iterdir():
        try:
            if now - path.stat().st_mtime > MAX_AGE:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another request swept it first
            continue


def hold(actor, image: CleanImage) -> str:
    """Keep a cleaned photo for `actor`'s form; the token names it."""
    _sweep(time.time())
    name = uuid.uuid4().hex
    _write(pending_dir() / name, image.content)
    _write(pending_dir() / f"{name}-thumb", image.thumbnail)
    return signing.dumps({"u": actor.pk, "n": name, "t": image.content_type}, salt=SALT)


def hold_uploads(actor, uploads: Iterable) -> tuple[list[str], ValidationFailed | None]:
    """Clean and hold each upload; the good ones are kept even when another is refused,
    and the first refusal is returned to be shown."""
    tokens: list[str] = []
    refused: ValidationFailed | None = None
    for upload in uploads:
        try:
            if upload.size > MAX_BYTES:
                raise ValidationFailed(_("%(name)s is larger than 10 MB.") % {
                    "name": upload.name}, code="photo_too_large")
            image = image_clean(upload.read(), upload.name)
        except ValidationFailed as exc:
            refused = refused or exc
            continue
        tokens.append(hold(actor, image))
    return tokens, refused


def _read(actor, token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if (not isinstance(data, dict) or data.get("u") != getattr(actor, "pk", None)
            or not _NAME.match(str(data.get("n", ""))) or data.get("t") not in _TYPES):
        return None
    return data


def thumbnail(actor, token: str) -> tuple[bytes, str] | None:
    """The held photo's thumbnail and type, or None (not theirs, expired, gone)."""
    data = _read(actor, token)
    path = pending_dir() / f"{data['n']}-thumb" if data else None
    if data is None or path is None or not path.exists():
        return None
    return path.read_bytes(), data["t"]


def images(actor, tokens: Iterable[str]) -> list[CleanImage]:
    """The held photos, cleaned already; refused if one is no longer there."""
    found = []
    for token in tokens:
        data = _read(actor, token)
        full = pending_dir() / data["n"] if data else None
        thumb = pending_dir() / f"{data['n']}-thumb" if data else None
        if data is None or full is None or thumb is None or not full.exists():
            raise ValidationFailed(_("A photo chosen earlier has expired; choose it again."),
                                   code="photo_expired")
        found.append(CleanImage(full.read_bytes(), thumb.read_bytes(), data["t"],
                                _TYPES[data["t"]], 0, 0))
    return found


def valid(actor, tokens: Iterable[str]) -> list[str]:
    """The tokens that still name a held photo of `actor` (others are dropped quietly)."""
    return [t for t in tokens
            if (data := _read(actor, t)) and (pending_dir() / data["n"]).exists()]


def release(actor, tokens: Iterable[str]) -> None:
    """Delete held photos: saved with the visit, or removed from the form."""
    for token in tokens:
        data = _read(actor, token)
        if data is not None:
            (pending_dir() / data["n"]).unlink(missing_ok=True)
            (pending_dir() / f"{data['n']}-thumb").unlink(missing_ok=True)
