"""The door access and welfare watch pages, for the anonymous, staff of the other community
(bob), a resident (rita), a unit member (uma), a leader (leo) and the right staff; the form
shows the consent text, keeps what was typed on a refusal and writes nothing then."""

import pytest
from django.utils import timezone

from linli.iot.models import AccessCount, WelfareWatch
from linli.iot.services import access
from linli.iot.tests.test_access import watched  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(watched):  # noqa: F811 (the fixture imported above)
    watched.watch = access.watch_create(actor=watched.alice, resident=watched.elder,
                                        device=watched.door, quiet_hours=12,
                                        consent_reference="书面同意 2026-12-01")
    AccessCount.objects.create(device=watched.door, count=6, hour=timezone.localtime().replace(
        minute=0, second=0, microsecond=0))
    return watched


def urls(w) -> list[str]:
    return ["/iot/doors/", f"/iot/doors/{w.door.pk}/", "/iot/watches/", "/iot/watches/new/",
            f"/iot/watches/{w.watch.pk}/withdraw/"]


def test_the_anonymous_are_sent_to_log_in(client, pages):
    for url in urls(pages):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    response = client.post(f"/iot/watches/{pages.watch.pk}/withdraw/", {"reason": "撤回"})
    assert response.status_code == 302
    assert WelfareWatch.objects.get().withdrawn_at is None


def test_a_resident_has_no_door_or_watch_pages(client, pages):
    client.force_login(pages.rita)
    for url in urls(pages):
        assert client.get(url).status_code in (403, 404), url
    client.post(f"/iot/watches/{pages.watch.pk}/withdraw/", {"reason": "撤回"})
    assert WelfareWatch.objects.get().withdrawn_at is None


def test_staff_of_the_other_community_see_neither_door_nor_watch(client, pages):
    client.force_login(pages.bob)
    doors = client.get("/iot/doors/").content.decode()
    assert "DOOR-B" in doors and "DOOR-A" not in doors
    assert client.get(f"/iot/doors/{pages.door.pk}/").status_code == 404
    listed = client.get("/iot/watches/").content.decode()
    assert f'id="watch-{pages.watch.pk}"' not in listed
    assert client.get("/iot/watches/new/").status_code == 403  # nobody of his to watch
    assert client.post(f"/iot/watches/{pages.watch.pk}/withdraw/",
                       {"reason": "撤回"}).status_code == 404
    assert WelfareWatch.objects.get().withdrawn_at is None


def test_the_owner_unit_sees_its_door_and_no_watches(client, pages):
    client.force_login(pages.uma)
    page = client.get(f"/iot/doors/{pages.door.pk}/")
    assert page.status_code == 200 and 'id="table-hours"' in page.content.decode()
    assert client.get("/iot/watches/").status_code == 404


def test_the_door_page_shows_hours_and_days_and_nothing_personal(client, pages):
    client.force_login(pages.alice)
    listed = client.get("/iot/doors/").content.decode()
    assert f'id="door-{pages.door.pk}"' in listed and "6" in listed
    page = client.get(f"/iot/doors/{pages.door.pk}/").content.decode()
    assert 'id="chart-hours"' in page and 'id="chart-days"' in page
    assert "vendor/echarts.min.js" in page and "iot/access.js" in page
    assert '"counts": [0, 0' in page and page.count("<tr><td>") == 24 + 7
    assert "张" not in page


def test_a_leader_reads_the_watches_and_cannot_stop_one(client, pages):
    client.force_login(pages.leo)
    listed = client.get("/iot/watches/").content.decode()
    assert f'id="watch-{pages.watch.pk}"' in listed and "张*兰" in listed
    assert "张秀兰" not in listed and f'id="withdraw-{pages.watch.pk}"' not in listed
    assert 'id="watch-new-link"' not in listed
    assert client.get("/iot/watches/new/").status_code == 403
    refused = client.post(f"/iot/watches/{pages.watch.pk}/withdraw/", {"reason": "撤回"})
    assert refused.status_code == 403
    assert WelfareWatch.objects.get().withdrawn_at is None


def test_the_grid_worker_sets_up_a_watch_with_consent(client, pages):
    client.force_login(pages.gina)
    listed = client.get("/iot/watches/").content.decode()
    assert 'id="watch-new-link"' in listed and f'id="withdraw-{pages.watch.pk}"' in listed
    form = client.get("/iot/watches/new/").content.decode()
    assert 'id="consent-text"' in form and "张*兰" in form and "张秀兰" not in form
    gate = pages.door  # her entrance's door is watched already: choose it again
    data = {"resident": pages.elder.pk, "device": gate.pk, "quiet_hours": "24",
            "consent_reference": "书面同意 2026-12-02"}
    unticked = client.post("/iot/watches/new/", data)
    assert unticked.status_code == 400  # the consent box is required
    duplicate = client.post("/iot/watches/new/", data | {"consent_given": "on"})
    assert duplicate.status_code == 409
    assert "书面同意 2026-12-02" in duplicate.content.decode()  # what was typed is kept
    assert WelfareWatch.objects.count() == 1
    access.watch_withdraw(actor=pages.alice, watch=pages.watch, reason="换门禁")
    made = client.post("/iot/watches/new/", data | {"consent_given": "on"})
    assert made.status_code == 302 and made["Location"] == "/iot/watches/"
    assert WelfareWatch.objects.filter(withdrawn_at__isnull=True).get().consent_by == pages.gina


def test_the_dispatcher_stops_a_watch(client, pages):
    client.force_login(pages.alice)
    page = client.get(f"/iot/watches/{pages.watch.pk}/withdraw/").content.decode()
    assert "张*兰" in page and 'id="withdraw-form"' in page
    assert client.post(f"/iot/watches/{pages.watch.pk}/withdraw/",
                       {"reason": ""}).status_code == 400
    done = client.post(f"/iot/watches/{pages.watch.pk}/withdraw/", {"reason": "本人撤回同意"})
    assert done.status_code == 302
    assert WelfareWatch.objects.get().withdrawn_at is not None
    stopped = client.get("/iot/watches/?withdrawn=1").content.decode()
    assert f'id="watch-{pages.watch.pk}"' in stopped
    again = client.post(f"/iot/watches/{pages.watch.pk}/withdraw/", {"reason": "再次"})
    assert again.status_code == 409
