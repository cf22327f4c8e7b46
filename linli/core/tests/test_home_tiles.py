"""The home page per role: a resident sees their points, their volunteering and their own
cases; staff see their work tiles as before and none of the resident's (issue #11 item 8)."""

import pytest

from linli.cases.tests.walking import report
from linli.points.tests.conftest import grant
from linli.volunteering.tests.factories import claim, task, wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["linli_language"] = "en"


def test_a_resident_sees_balance_volunteering_and_cases(client, world):
    grant(world.community_a, world.rita, 120)
    wish(world)
    case = report(world, title="楼道灯坏了")
    client.force_login(world.rita)
    html = client.get("/").content.decode()
    assert 'id="points-home"' in html
    assert f'id="tile-points-{world.community_a.pk}"' in html
    assert 'class="home-tile-count points-balance">120<' in html
    assert f'href="/points/me/?community={world.community_a.pk}"' in html
    assert 'id="tile-store"' in html
    assert 'id="volunteering-home"' in html
    assert 'id="tile-vol-wishes"><span class="home-tile-count">1<' in html
    assert 'id="tile-vol-tasks"' in html
    assert 'id="tile-vol-hours"' not in html  # hours and sign-ups are a volunteer's
    assert 'id="home-my-cases"' in html and f'href="/cases/{case.pk}/"' in html
    assert "楼道灯坏了" in html and 'id="tile-mine-open"' in html


def test_a_resident_with_nothing_yet_sees_zero_not_an_error(client, world):
    client.force_login(world.rita)
    html = client.get("/").content.decode()
    assert 'class="home-tile-count points-balance">0<' in html
    assert 'id="home-my-cases"' not in html  # no reports yet: no empty list


def test_a_volunteers_sign_ups_and_hours(client, world):
    from linli.volunteering.tests.factories import volunteer

    vera = volunteer("vera", world.community_a, world.dwelling_a)
    claim(world, task(world), vera)
    client.force_login(vera)
    html = client.get("/").content.decode()
    assert 'id="tile-vol-signed-up"><span class="home-tile-count">1<' in html
    assert 'id="tile-vol-hours"><span class="home-tile-count">0<' in html
    assert 'id="tile-vol-wishes"' in html  # vera lives in A too
    assert 'id="tile-vol-tasks"' in html


@pytest.mark.parametrize("who", ["alice", "gina", "uma", "leo", "ada"])
def test_staff_home_is_unchanged(client, world, who):
    report(world)  # rita's case: in alice's queue, never in anyone's "my reports"
    client.force_login(getattr(world, who))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for resident_only in ('id="points-home"', 'id="volunteering-home"', 'id="home-my-cases"'):
        assert resident_only not in html, (who, resident_only)
    if who == "alice":
        assert 'id="tile-to-accept"' in html


def test_the_anonymous_are_sent_to_log_in(client):
    assert client.get("/").url.startswith("/accounts/login/")
