"""The hall (/deliberation/) and the home tile, for a resident and for staff: what each
sees and does not see."""

import pytest
from django.utils import timezone

from linli.deliberation import services
from linli.deliberation.tests.factories import dwellings, topic, vote, voter

pytestmark = pytest.mark.django_db
HALL = "/deliberation/"


@pytest.fixture
def scene(world):
    home = dwellings(world.entrance_a, 1)[0]
    world.hana = voter(world.alice, home, "hana")
    world.raised = topic(world, title="加装电梯", supporter_count=10, supporters_needed=10)
    world.quiet = topic(world, title="楼道照明", created_at=timezone.now())
    world.ballot = vote(world, question="是否同意加装电梯？")
    world.elsewhere = topic(world, area=world.estate_b, title="水塔停车", actor=world.bob)
    world.draft = services.convention_create(actor=world.alice, area=world.community_a,
                                             title="花楼公约草案", text="草案")
    world.adopted = services.convention_create(actor=world.alice, area=world.community_a,
                                               title="花楼养犬公约", text="文明养犬")
    services.version_adopted(world.adopted.versions.get(), timezone.now())
    return world


def test_a_resident_sees_their_votes_topics_and_conventions(client, scene):
    client.force_login(scene.hana)
    body = client.get(HALL).content.decode()
    assert f'id="my-vote-{scene.ballot.pk}"' in body and "hall-to-vote" in body
    assert f'id="collecting-{scene.raised.pk}"' in body and "10 / 10" in body
    assert f'id="in-force-{scene.adopted.pk}"' in body
    assert "花楼公约草案" not in body and "水塔停车" not in body
    assert 'id="hall-screen"' not in body


def test_a_resident_outside_the_electorate_has_no_vote(client, scene):
    client.force_login(scene.rita)  # a login without a registry record
    body = client.get(HALL).content.decode()
    assert f'id="my-vote-{scene.ballot.pk}"' not in body
    assert f'id="collecting-{scene.raised.pk}"' in body


def test_staff_see_what_to_screen_votes_and_drafts(client, scene):
    client.force_login(scene.alice)
    body = client.get(HALL).content.decode()
    assert body.index(f'id="screen-{scene.raised.pk}"') < body.index(
        f'id="screen-{scene.quiet.pk}"')  # enough supporters first
    assert f'id="running-{scene.ballot.pk}"' in body
    assert f'id="draft-{scene.draft.pk}"' in body and f'id="draft-{scene.adopted.pk}"' not in body
    assert "水塔停车" not in body and 'id="hall-my-votes"' not in body


def test_the_home_tiles(client, scene):
    client.force_login(scene.hana)
    body = client.get("/").content.decode()
    assert 'id="deliberation-tile-to-cast"' in body
    assert 'id="deliberation-tile-collecting"' in body
    assert 'id="deliberation-tile-to-screen"' not in body
    client.force_login(scene.alice)
    body = client.get("/").content.decode()
    assert 'id="deliberation-tile-to-screen"' in body
    assert 'id="deliberation-tile-votes-open"' in body
    client.force_login(scene.nobody)
    assert 'id="deliberation-home"' not in client.get("/").content.decode()
    assert client.get(HALL).status_code == 200
