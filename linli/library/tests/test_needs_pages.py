"""The needs pages: the queue, my needs, posting, the need page and its forms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.library.models import Need, NeedSource
from linli.library.tests.factories import need, provider, service, slot


@pytest.fixture
def person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_the_queue_shows_counts_and_suggested_classes(client, world):
    need(world, text="独居老人摔倒", urgency="urgent")
    plain = need(world, text="水管漏水", urgency_suggested="urgent")
    client.force_login(world.gina)
    page = client.get(reverse("library:needs"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="count-urgent"><strong>1</strong>' in html
    assert f'id="need-{plain.pk}"' in html and "suggested" in html


def test_a_resident_sees_only_their_household(client, world, person):
    mine = need(world, person=person, by=world.rita, source=NeedSource.REQUEST)
    other = need(world, text="别人的")
    client.force_login(world.rita)
    html = client.get(reverse("library:needs")).content.decode()
    assert f'id="need-{mine.pk}"' in html and f'id="need-{other.pk}"' not in html
    assert client.get(reverse("library:need", args=[other.pk])).status_code == 404
    page = client.get(reverse("library:need", args=[mine.pk])).content.decode()
    assert "李*" in page and "classify-form" not in page


def test_a_resident_posts_a_need_about_a_service(client, world, person):
    offered = service(world, title="上门理发", kind="elderly_care")
    client.force_login(world.rita)
    form = client.get(reverse("library:need_new") + f"?service={offered.pk}").content.decode()
    assert "上门理发" in form
    done = client.post(reverse("library:need_new"), {"text": "想预约上门理发",
                                                     "kind": "elderly_care"})
    made = Need.objects.get()
    assert done.status_code == 302 and made.resident == person
    assert made.source == NeedSource.REQUEST
    refused = client.post(reverse("library:need_new"), {"text": ""})
    assert refused.status_code == 400


def test_staff_find_a_resident_masked_and_post_for_them(client, world, person):
    client.force_login(world.gina)
    page = client.get(reverse("library:need_new") + "?who=李").content.decode()
    assert "李*" in page and "李丽" not in page
    client.post(reverse("library:need_new"), {"text": "腿脚不便", "resident": person.pk})
    assert Need.objects.get().source == NeedSource.STAFF


def test_staff_classify_and_hand_over_on_the_page(client, world, person):
    helper = provider(world, name="助浴队")
    free = slot(service(world, of=helper), starts_at=timezone.now() + timedelta(days=1))
    made = need(world, person=person, text="独居老人需要上门助浴", urgency_suggested="urgent",
                kind="elderly_care")
    client.force_login(world.gina)
    page = client.get(reverse("library:need", args=[made.pk])).content.decode()
    assert "李丽" in page and 'id="suggested-urgent"' in page
    assert f'id="suggestion-{helper.pk}"' in page and f'value="{free.pk}"' in page
    url = reverse("library:need_act", args=[made.pk, "classify"])
    assert client.post(url, {"urgency": "urgent", "kind": "elderly_care"}).status_code == 302
    assert client.post(url, {"urgency": "nope"}).status_code == 400
    handed = client.post(reverse("library:need_hand", args=[made.pk]),
                         {"to": "booking", "slot": free.pk})
    assert handed.status_code == 302
    made = Need.objects.get(pk=made.pk)
    assert made.urgency == "urgent" and made.booking is not None
    page = client.get(reverse("library:need", args=[made.pk])).content.decode()
    assert reverse("library:booking", args=[made.booking_id]) in page


def test_a_task_hand_over_and_meet(client, world, person):
    made = need(world, person=person)
    client.force_login(world.alice)
    start = timezone.localtime() + timedelta(days=1)
    handed = client.post(reverse("library:need_hand", args=[made.pk]), {
        "to": "task", "title": "上门助浴", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "volunteers_needed": 2, "points_offered": 10})
    assert handed.status_code == 302
    assert Need.objects.get(pk=made.pk).task is not None
    client.post(reverse("library:need_act", args=[made.pk, "meet"]), {})
    assert Need.objects.get(pk=made.pk).state == "met"


def test_a_resident_may_not_act(client, world, person):
    made = need(world, person=person, by=world.rita, source=NeedSource.REQUEST)
    client.force_login(world.rita)
    answer = client.post(reverse("library:need_act", args=[made.pk, "close"]), {"note": "x"})
    assert answer.status_code == 403
    answer = client.post(reverse("library:need_hand", args=[made.pk]),
                         {"to": "topic", "title": "x", "topic_category": "other"})
    assert answer.status_code == 403
    assert Need.objects.get(pk=made.pk).state == "open"


def test_notifications_reach_the_household_and_dispatchers(world, person):
    from linli.library.notify import event_notify
    from linli.library.services import need_transition
    from linli.notifications.models import Notification

    made = need(world, person=person)
    need_transition(actor=world.gina, need=made, action="classify", urgency="urgent")
    need_transition(actor=world.gina, need=made, action="close", note="家属已处理")
    from linli.library.models import Event

    for event in Event.objects.filter(subject="need", subject_id=made.pk):
        event_notify(event.pk)
    assert Notification.objects.filter(recipient=world.alice,
                                       kind="library.need_urgent").exists()
    told = Notification.objects.get(recipient=world.rita, kind="library.need_close")
    assert "家属已处理" in told.body


def test_home_tiles(world, person):
    from linli.library.selectors_needs import home_tiles

    need(world, urgency="urgent")
    need(world, person=person, by=world.rita)
    assert {t.key: t.count for t in home_tiles(world.gina)} == {"needs-urgent": 1,
                                                                "needs-open": 2}
    assert {t.key: t.count for t in home_tiles(world.rita)} == {"needs-mine": 1}
