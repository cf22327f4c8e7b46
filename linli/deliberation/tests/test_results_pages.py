"""The result page, the receipt check and the objection forms: hidden before the close for
staff too, the count after it, a refused objection shown again with the text kept."""

import pytest

from linli.deliberation import services
from linli.deliberation.models import Objection, ObjectionState, VoteState
from linli.deliberation.tests.test_results_services import closed, voting

pytestmark = pytest.mark.django_db


def url(v, rest="result/"):
    return f"/deliberation/votes/{v.pk}/{rest}"


def test_the_result_page_hides_everything_before_the_close(client, world):
    v, users, ballots = voting(world)
    for who in (world.alice, world.leo, users[0]):
        client.force_login(who)
        page = client.get(url(v))
        html = page.content.decode()
        assert page.status_code == 200 and 'id="result-hidden"' in html
        assert 'id="result-counts"' not in html and ballots[0].receipt not in html
        assert 'id="objection-form"' not in html


def test_the_result_page_after_the_close(client, world):
    v, users, ballots = closed(world)
    client.force_login(users[0])
    html = client.get(url(v)).content.decode()
    assert 'id="result-counts"' in html and 'data-passed="true"' in html
    assert all(b.receipt in html for b in ballots)
    assert 'id="objection-form"' in html and "answer-form" not in html
    client.force_login(world.bob)
    assert client.get(url(v)).status_code == 404


def test_a_receipt_is_checked_case_insensitively(client, world):
    v, users, ballots = voting(world)
    client.force_login(users[0])
    before = client.get(url(v, "receipt/"), {"code": ballots[0].receipt.lower()})
    assert 'data-status="recorded"' in before.content.decode()
    assert "同意" not in before.content.decode().split('id="receipt-answer"')[1][:300]
    services.vote_close(v)
    after = client.get(url(v, "receipt/"), {"code": ballots[3].receipt.lower()})
    assert 'data-status="counted"' in after.content.decode()
    assert 'id="receipt-choices"' in after.content.decode()
    unknown = client.get(url(v, "receipt/"), {"code": "NOPE"})
    assert 'data-status="unknown"' in unknown.content.decode()


def test_objections_by_form_refused_shown_again_with_the_text(client, world):
    v, users, _ballots = closed(world)
    client.force_login(users[1])
    refused = client.post(url(v, "objections/"), {"text": "长" * 2001})
    assert refused.status_code == 400 and "长" * 2001 in refused.content.decode()
    made = client.post(url(v, "objections/"), {"text": "计票有误"})
    assert made.status_code == 302
    objection = Objection.objects.get(vote=v)
    client.force_login(world.alice)
    html = client.get(url(v)).content.decode()
    assert f'id="answer-{objection.pk}"' in html
    answer = f"objections/{objection.pk}/answer/"
    empty = client.post(url(v, answer), {"answer": " ", "decision": "uphold"})
    assert empty.status_code == 400
    done = client.post(url(v, answer), {"answer": "已复核", "decision": "dismiss"})
    assert done.status_code == 302
    objection.refresh_from_db()
    v.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED and v.state == VoteState.PUBLICITY
    client.force_login(world.bob)
    assert client.post(url(v, answer), {"answer": "x"}).status_code == 404
