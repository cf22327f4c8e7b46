"""Every answer carries the Content-Security-Policy; map tiles may come from the operator's
tile server only. (In Chromium: test_browser_csp.py.)"""

import pytest

from linli.core.csp import HEADER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/health", "/api/docs",
                                  "/open311/v2/discovery.json", "/no-such-page/"])
def test_every_answer_forbids_scripts_from_elsewhere(client, path):
    policy = client.get(path)[HEADER]
    assert "script-src 'self';" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy  # no tile server configured: nothing from elsewhere


def test_map_tiles_may_come_from_the_configured_tile_server_only(client, settings):
    settings.MAP_TILE_URL = "http://tiles.intranet:8080/{z}/{x}/{y}.png"
    policy = client.get("/accounts/login/")[HEADER]
    assert "img-src 'self' data: blob: http://tiles.intranet:8080;" in policy
    assert policy.count("tiles.intranet") == 1
