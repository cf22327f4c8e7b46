"""Photos chosen on a form, held while the form comes back with an error.

A browser cannot put a chosen file back into a file input, so a form refused for a missing
field used to lose its photos: the grid worker at the door, the resident in the stairwell,
had to find them again. Each upload is cleaned at once (`core.images.image_clean`: checked
by content, EXIF and GPS dropped, re-encoded) and the clean bytes wait in a private folder
(never under MEDIA_ROOT, never served as a file), named by a random id. The form carries a
signed token per photo, bound to the uploader: a token cannot name another file, and is
useless to anyone else. The record is saved from the held photos; then they are deleted.
A photo left behind (a form abandoned) is deleted after a day, by the next upload.

Each form holds its photos under its own purpose (`HeldPhotos("visit-photos")`): its own
folder and its own signing salt, so a token held for one form is refused by another.

Why not only check on the client first: the server still refuses things the browser cannot
know (the plan was changed meanwhile, the category went inactive), and those must not lose
the photos either. Client checks (`required`, the count) still spare most round trips.
"""

import hashlib
import re
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linli.core.errors import ValidationFailed
from linli.core.images import MAX_BYTES, MAX_FILES, CleanImage, image_clean

MAX_AGE = 24 * 3600  # seconds a held photo waits for its form
_NAME = re.compile(r"^[0-9a-f]{32}$")
_PURPOSE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class HeldPhotos:
    """The photos held for one form (`purpose`), each for the person who chose it."""

    def __init__(self, purpose: str):
        if not _PURPOSE.match(purpose):
            raise ValueError(f"not a purpose: {purpose!r}")
        self.purpose = purpose
        self.salt = f"linli.held-photo.{purpose}"

    def folder(self) -> Path:
        folder = Path(settings.DATA_DIR) / "private" / f"{self.purpose}-pending"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def _sweep(self, now: float) -> None:
        for path in self.folder().iterdir():
            try:
                if now - path.stat().st_mtime > MAX_AGE:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:  # another request swept it first
                continue

    def hold(self, actor, image: CleanImage) -> str:
        """Keep a cleaned photo for `actor`'s form; the token names it."""
        self._sweep(time.time())
        name = uuid.uuid4().hex
        _write(self.folder() / name, image.content)
        _write(self.folder() / f"{name}-thumb", image.thumbnail)
        digest = hashlib.sha256(image.content).hexdigest()[:32]
        return signing.dumps({"u": actor.pk, "n": name, "t": image.content_type,
                              "h": digest}, salt=self.salt)

    def hold_uploads(self, actor, uploads: Iterable) -> tuple[list[str], ValidationFailed | None]:
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
            tokens.append(self.hold(actor, image))
        return tokens, refused

    def from_post(self, request) -> tuple[list[str], ValidationFailed | None]:
        """The photos a posted form holds: those it held before (`held_photo`), less those
        ticked for removal (`remove_photo`), plus the ones chosen now (`photos`); and the
        first upload refused, if any."""
        user = request.user
        self.release(user, request.POST.getlist("remove_photo"))
        kept = self.valid(user, self.posted(request))
        fresh, refused = self.hold_uploads(user, request.FILES.getlist("photos"))
        return kept + fresh, refused

    def posted(self, request) -> list[str]:
        """The held photos a posted form names and keeps: once each, in order."""
        removed = set(request.POST.getlist("remove_photo"))
        return [t for t in dict.fromkeys(request.POST.getlist("held_photo"))
                if t not in removed]

    def digests(self, actor, tokens: Iterable[str]) -> list[str]:
        """What `tokens` hold, by content, whether still held or not: a form submitted twice
        names, the second time, photos the first submit saved and released already; its
        idempotency fingerprint must come out the same."""
        return [str(data.get("h", "")) for t in tokens if (data := self._read(actor, t))]

    def _read(self, actor, token: str) -> dict | None:
        try:
            data = signing.loads(token, salt=self.salt, max_age=MAX_AGE)
        except signing.BadSignature:  # also SignatureExpired
            return None
        if (not isinstance(data, dict) or data.get("u") != getattr(actor, "pk", None)
                or not _NAME.match(str(data.get("n", ""))) or data.get("t") not in _TYPES):
            return None
        return data

    def thumbnail(self, actor, token: str) -> tuple[bytes, str] | None:
        """The held photo's thumbnail and type, or None (not theirs, expired, gone)."""
        data = self._read(actor, token)
        path = self.folder() / f"{data['n']}-thumb" if data else None
        if data is None or path is None or not path.exists():
            return None
        return path.read_bytes(), data["t"]

    def images(self, actor, tokens: Iterable[str]) -> list[CleanImage]:
        """The held photos, cleaned already; refused if one is no longer there."""
        found = []
        for token in tokens:
            data = self._read(actor, token)
            full = self.folder() / data["n"] if data else None
            thumb = self.folder() / f"{data['n']}-thumb" if data else None
            if data is None or full is None or thumb is None or not full.exists():
                raise ValidationFailed(_("A photo chosen earlier has expired; choose it again."),
                                       code="photo_expired")
            found.append(CleanImage(full.read_bytes(), thumb.read_bytes(), data["t"],
                                    _TYPES[data["t"]], 0, 0))
        return found

    def valid(self, actor, tokens: Iterable[str]) -> list[str]:
        """The tokens that still name a held photo of `actor` (others are dropped quietly)."""
        return [t for t in tokens
                if (data := self._read(actor, t)) and (self.folder() / data["n"]).exists()]

    def release(self, actor, tokens: Iterable[str]) -> None:
        """Delete held photos: saved with the record, or removed from the form."""
        for token in tokens:
            data = self._read(actor, token)
            if data is not None:
                (self.folder() / data["n"]).unlink(missing_ok=True)
                (self.folder() / f"{data['n']}-thumb").unlink(missing_ok=True)

    def thumbnail_view(self):
        """The page view of a held photo's thumbnail: only its uploader sees it."""

        @never_cache
        @login_required
        @require_GET
        def held_thumbnail(request, token: str):
            found = self.thumbnail(request.user, token)
            if found is None:
                raise Http404
            content, content_type = found
            response = HttpResponse(content, content_type=content_type)
            response["Cache-Control"] = "private, no-store"
            response["X-Content-Type-Options"] = "nosniff"
            return response

        return held_thumbnail


def too_many(count: int) -> ValidationFailed | None:
    """The refusal of more photos than a form takes, held and new together."""
    if count <= MAX_FILES:
        return None
    return ValidationFailed(_("At most %(n)d photos at a time: remove %(extra)d.") % {
        "n": MAX_FILES, "extra": count - MAX_FILES}, code="too_many_photos")


def _write(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    path.chmod(0o600)
