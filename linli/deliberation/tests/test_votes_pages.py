"""The votes pages: a draft set up and opened, the ballot with its receipt, paper ballots,
who took part; refusals shown in place with the input kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.deliberation.electorate import elector_for as _elector_for
from linli.deliberation.models import Participation, Vote, VoteState
from linli.deliberation.tests.factories import dwellings, option, vote, voter


def elector_for(v, user):
    found = _elector_for(v, user)
    assert found is not None
    return found

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(world):
    return dwellings(world.entrance_a, 2)


def form(world, **fields):
    closes = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    return {"area": world.estate_a.pk, "question": "是否同意加装电梯？", "electorate": "households",
            "kind": "yes_no", "threshold": "majority_cast", "secret": "on",
            "closes_at": closes} | fields


def test_set_up_and_open_a_draft(client, world, homes):
    for i, d in enumerate(homes):
        voter(world.alice, d, f"h{i}")
    client.force_login(world.alice)
    assert client.get("/deliberation/votes/new/").status_code == 200
    refused = client.post("/deliberation/votes/new/", form(world, question="", quorum="x"))
    assert refused.status_code == 400 and not Vote.objects.exists()
    refused = client.post("/deliberation/votes/new/",
                          form(world, threshold="custom", custom_share=">=3/2",
                               question="保留的问题"))
    assert refused.status_code == 400 and "保留的问题" in refused.content.decode()
    made = client.post("/deliberation/votes/new/", form(world))
    v = Vote.objects.get()
    assert made.status_code == 302 and made.url == f"/deliberation/votes/{v.pk}/"
    page = client.get(made.url).content.decode()
    assert 'id="preview-count"' in page and 'id="action-open"' in page
    assert client.get(f"/deliberation/votes/{v.pk}/edit/").status_code == 200
    assert client.post(f"/deliberation/votes/{v.pk}/edit/",
                       form(world, question="新问题", version=1)).status_code == 302
    assert client.post(f"/deliberation/votes/{v.pk}/act/cancel/", {}).status_code == 400
    assert client.post(f"/deliberation/votes/{v.pk}/act/open/", {}).status_code == 302
    v.refresh_from_db()
    assert v.state == VoteState.OPEN and v.question == "新问题"
    client.force_login(world.rita)
    assert client.get("/deliberation/votes/new/").status_code == 404


def test_a_resident_votes_and_sees_the_receipt_once(client, world, homes):
    hu = voter(world.alice, homes[0], "h0")
    v = vote(world)
    client.force_login(hu)
    page = client.get(f"/deliberation/votes/{v.pk}/").content.decode()
    assert 'id="ballot-form"' in page and 'id="mine-in"' in page
    refused = client.post(f"/deliberation/votes/{v.pk}/ballot/", {})
    assert refused.status_code == 400
    cast = client.post(f"/deliberation/votes/{v.pk}/ballot/", {"choice": [option(v).pk]})
    assert cast.status_code == 201 and 'id="receipt-code"' in cast.content.decode()
    page = client.get(f"/deliberation/votes/{v.pk}/").content.decode()
    assert 'id="mine-voted"' in page and 'id="ballot-form"' not in page
    again = client.post(f"/deliberation/votes/{v.pk}/ballot/", {"choice": [option(v).pk]})
    assert again.status_code == 409
    assert client.get(f"/deliberation/votes/{v.pk}/participants/").status_code == 403
    assert client.get(f"/deliberation/votes/{v.pk}/paper/").status_code == 404


def test_paper_ballots_and_participants(client, world, homes):
    hu = voter(world.alice, homes[0], "h0")
    voter(world.alice, homes[1], "h1")
    v = vote(world)
    client.force_login(hu)
    client.post(f"/deliberation/votes/{v.pk}/ballot/", {"choice": [option(v).pk]})
    client.force_login(world.gina)
    page = client.get(f"/deliberation/votes/{v.pk}/paper/?search=1002")
    assert page.status_code == 200
    mine = elector_for(v, hu)
    refused = client.post(f"/deliberation/votes/{v.pk}/paper/",
                          {"elector": mine.pk, "choice": [option(v).pk], "channel": "door"})
    assert refused.status_code == 409 and "already_voted" in refused.content.decode()
    other = v.electors.exclude(pk=mine.pk).get()
    done = client.post(f"/deliberation/votes/{v.pk}/paper/",
                       {"elector": other.pk, "choice": [option(v).pk], "channel": "door"})
    assert done.status_code == 201 and 'id="paper-receipt"' in done.content.decode()
    assert Participation.objects.filter(vote=v).count() == 2
    listing = client.get(f"/deliberation/votes/{v.pk}/participants/").content.decode()
    assert other.label in listing
    client.force_login(world.bob)
    assert client.get(f"/deliberation/votes/{v.pk}/").status_code == 404
    assert client.get("/deliberation/votes/").status_code == 200
