"""The basemap: tiles from the operator's tile server (LINLI_MAP_TILE_URL), or from an
MBTiles file Linli serves itself (LINLI_MAP_MBTILES), or none (the area shapes alone show
the place). docs/operations.md says how to make or obtain an MBTiles file.

An MBTiles file is an SQLite database; its `tiles` table numbers rows the TMS way (row 0 at
the bottom), while Leaflet asks for XYZ tiles (row 0 at the top): y is flipped here.
"""

import sqlite3
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "webp": "image/webp"}
MAX_ZOOM = 22
# Tiles of a given file never change; a new file is a new deployment setting, so a day is
# long enough to spare the server and short enough to pick up a replaced file.
CACHE_SECONDS = 86400


def tile_url() -> str:
    """The Leaflet URL template the maps draw tiles from; "" for no basemap."""
    if settings.MAP_MBTILES:
        return reverse("core:map_tile", args=[1, 2, 3]).replace("/1/2/3", "/{z}/{x}/{y}")
    return settings.MAP_TILE_URL or ""


@cache
def _format(path: str) -> str:
    with _connect(path) as db:
        row = db.execute("SELECT value FROM metadata WHERE name = 'format'").fetchone()
    return (row[0] if row else "png").lower()


def _connect(path: str) -> sqlite3.Connection:
    # Read-only: Linli never writes the operator's file.
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _sniff(data: bytes, declared: str) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return CONTENT_TYPES.get(declared, "application/octet-stream")


@require_GET
def map_tile(request, z: int, x: int, y: int):
    path = settings.MAP_MBTILES
    if not path or not Path(path).is_file():
        raise Http404
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    if z > MAX_ZOOM or x >= 2 ** z or y >= 2 ** z:
        raise Http404
    with _connect(path) as db:
        row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                         "AND tile_row = ?", (z, x, (2 ** z - 1) - y)).fetchone()
    if row is None:
        raise Http404
    data = bytes(row[0])
    response = HttpResponse(data, content_type=_sniff(data, _format(path)))
    response["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    return response
