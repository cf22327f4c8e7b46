"""The basemap: an MBTiles file the operator provides, served by Linli (TMS rows flipped to
the XYZ rows Leaflet asks for), or a tile server's URL, or none."""

import sqlite3

import pytest

from linli.core import maptiles
from linli.core.csp import policy

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 20


@pytest.fixture
def mbtiles(tmp_path, settings):
    path = tmp_path / "street.mbtiles"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
               " tile_data BLOB)")
    db.execute("INSERT INTO metadata VALUES ('format', 'png')")
    # z=2: XYZ row 0 (the top) is TMS row 3.
    db.execute("INSERT INTO tiles VALUES (2, 1, 3, ?)", (PNG,))
    db.execute("INSERT INTO tiles VALUES (2, 2, 0, ?)", (JPEG,))
    db.commit()
    db.close()
    maptiles._format.cache_clear()
    settings.MAP_MBTILES = str(path)
    return path


def test_a_tile_is_served_with_its_row_flipped_and_cache_headers(client, world, mbtiles):
    client.force_login(world.rita)
    response = client.get("/maps/tiles/2/1/0")
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    other = client.get("/maps/tiles/2/2/3")
    assert other.content == JPEG and other["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("url", ["/maps/tiles/2/1/3", "/maps/tiles/2/9/0", "/maps/tiles/30/0/0",
                                 "/maps/tiles/5/0/0"])
def test_a_missing_or_impossible_tile_is_404(client, world, mbtiles, url):
    client.force_login(world.rita)
    assert client.get(url).status_code == 404


def test_tiles_are_for_signed_in_people(client, mbtiles):
    assert client.get("/maps/tiles/2/1/0").status_code == 403


def test_without_a_file_there_is_no_tile_endpoint(client, world, settings):
    settings.MAP_MBTILES = ""
    client.force_login(world.rita)
    assert client.get("/maps/tiles/2/1/0").status_code == 404


def test_the_maps_use_the_file_when_set_else_the_tile_server(settings, mbtiles):
    settings.MAP_TILE_URL = "http://tiles.intranet/{z}/{x}/{y}.png"
    assert maptiles.tile_url() == "/maps/tiles/{z}/{x}/{y}"
    assert "tiles.intranet" not in policy()  # Linli serves them: 'self' covers it
    settings.MAP_MBTILES = ""
    assert maptiles.tile_url() == "http://tiles.intranet/{z}/{x}/{y}.png"
    assert "img-src 'self' data: blob: http://tiles.intranet" in policy()


def test_a_subdomain_template_allows_the_servers_subdomains(settings):
    settings.MAP_MBTILES = ""
    settings.MAP_TILE_URL = "https://{s}.tiles.intranet/{z}/{x}/{y}.png"
    assert "https://*.tiles.intranet" in policy()


def test_the_report_page_draws_from_the_file(client, world, mbtiles):
    client.force_login(world.rita)
    assert 'data-tiles="/maps/tiles/{z}/{x}/{y}"' in client.get("/cases/new/").content.decode()
