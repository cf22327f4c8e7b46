"""The needs API: list, one need, post, moves, hand over, suggestions (api_needs.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.library.models import Need, NeedSource, ServiceKind
from linli.library.tests.factories import need, provider, service, slot

API = "/api/library/needs"


def post(client, path, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


@pytest.fixture
def person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_anonymous_is_401(client, world):
    made = need(world)
    assert client.get(API).status_code == 401
    assert client.get(f"{API}/{made.pk}").status_code == 401
    assert post(client, "", {"text": "x"}).status_code == 401
    assert post(client, f"/{made.pk}/actions/meet").status_code == 401


def test_another_community_is_404(client, world):
    made = need(world)
    client.force_login(world.bob)
    assert client.get(f"{API}/{made.pk}").status_code == 404
    assert post(client, f"/{made.pk}/actions/classify", {"urgency": "urgent"}).status_code \
        == 404
    assert post(client, f"/{made.pk}/hand-over", {"to": "case"}).status_code == 404
    assert client.get(f"{API}/{made.pk}/suggestions").status_code == 404
    assert client.get(API).json()["count"] == 0


def test_the_queue_is_urgent_first_then_oldest(client, world):
    old = need(world, text="盼望增设健身器材", urgency="hoped")
    urgent = need(world, text="独居老人摔倒", urgency="urgent")
    hard = need(world, text="看病难", urgency="hard")
    plain = need(world, text="其他")
    done = need(world, text="已解决", urgency="urgent", state="met")
    client.force_login(world.alice)
    ids = [n["id"] for n in client.get(API).json()["items"]]
    assert ids == [urgent.pk, hard.pk, old.pk, plain.pk, done.pk]
    assert [n["id"] for n in client.get(f"{API}?urgency=none").json()["items"]] == [plain.pk]
    assert client.get(f"{API}?state=nope").status_code == 400


def test_a_resident_posts_for_their_household_and_sees_it_masked_to_no_one(client, world,
                                                                           person):
    client.force_login(world.rita)
    made = post(client, "", {"text": "家里水管漏水，急需维修"})
    assert made.status_code == 201
    body = made.json()
    assert body["source"] == NeedSource.REQUEST and body["kind"] == ServiceKind.REPAIR
    assert body["urgency_suggested"] == "urgent" and body["actions"] == []
    assert body["name"] == "李*"
    client.force_login(world.gina)
    assert client.get(f"{API}/{body['id']}").json()["name"] == "李丽"


def test_a_resident_may_not_classify_or_hand_over(client, world, person):
    made = need(world, person=person, by=world.rita, source=NeedSource.REQUEST)
    client.force_login(world.rita)
    assert post(client, f"/{made.pk}/actions/classify", {"urgency": "urgent"}).status_code \
        == 403
    assert post(client, f"/{made.pk}/hand-over", {"to": "topic", "title": "x",
                                                  "topic_category": "other"}).status_code \
        == 403
    assert client.get(f"{API}/{made.pk}/suggestions").status_code == 403
    assert Need.objects.get(pk=made.pk).state == "open"


def test_staff_classify_match_and_hand_over_to_a_booking(client, world, person):
    helper = provider(world, name="助浴队")
    free = slot(service(world, of=helper), starts_at=timezone.now() + timedelta(days=1))
    made = need(world, person=person)
    client.force_login(world.gina)
    classified = post(client, f"/{made.pk}/actions/classify",
                      {"urgency": "urgent", "kind": "elderly_care"})
    assert classified.status_code == 200 and classified.json()["urgency"] == "urgent"
    found = client.get(f"{API}/{made.pk}/suggestions").json()
    assert found[0]["provider_id"] == helper.pk and "same kind of service" in found[0]["reasons"]
    matched = post(client, f"/{made.pk}/actions/match", {"provider_id": helper.pk})
    assert matched.json()["state"] == "matched"
    handed = post(client, f"/{made.pk}/hand-over", {"to": "booking", "slot_id": free.pk})
    assert handed.status_code == 200, handed.json()
    assert handed.json()["state"] == "in_hand" and handed.json()["booking_id"]


def test_close_needs_a_reason_and_unknown_action_is_400(client, world):
    made = need(world)
    client.force_login(world.alice)
    assert post(client, f"/{made.pk}/actions/close").status_code == 400
    assert post(client, f"/{made.pk}/actions/nope").status_code == 400
    closed = post(client, f"/{made.pk}/actions/close", {"note": "已由家属解决"})
    assert closed.json()["state"] == "closed"
    assert post(client, f"/{made.pk}/hand-over", {"to": "nowhere"}).status_code == 400


def test_staff_post_for_a_place(client, world):
    client.force_login(world.gina)
    made = post(client, "", {"text": "小区路灯坏了", "area_id": world.estate_a.pk})
    assert made.status_code == 201 and made.json()["source"] == "staff"
    assert made.json()["name"] == ""
