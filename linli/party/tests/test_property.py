"""Property-service ratings: results, the low-month sweep, supervision items, the pages and
the API's scope."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.audit import AuditEntry
from linli.party.models import PropertyRating, PropertySupervision, SupervisionState
from linli.party.notify_agreements import agreement_event_notify
from linli.party.selectors_agreements import month_figures
from linli.party.services.property import supervision_open_low, supervision_resolve
from linli.party.tests.factories import party_world
from linli.people.models import Household

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 4, tzinfo=UTC)
MAY = date(2026, 5, 1)


@pytest.fixture
def w(world):
    return party_world(world)


def _ratings(w, n: int, score: int, month=MAY, estate=None, unit=None):
    estate = estate or w.estate_a
    made = []
    for i in range(n):
        dwelling = w.dwelling_a if estate == w.estate_a else w.dwelling_b
        household = Household.objects.create(dwelling=dwelling, area_path=dwelling.path)
        made.append(PropertyRating.objects.create(
            estate=estate, unit=unit or w.unit_a, household=household,
            rated_by=w.rita, month=month, cleanliness=score, order=score, repairs=score,
            attitude=score, response=min(score + 1, 5), comment=f"意见{i}",
            area_path=estate.path))
    return made


def test_figures_are_the_mean_of_the_item_averages(w):
    _ratings(w, 2, 2)
    _ratings(w, 1, 4)
    (f,) = month_figures(PropertyRating.objects.all())
    assert f.count == 3
    assert str(f.averages["cleanliness"]) == "2.67"
    assert str(f.averages["response"]) == "3.67"
    assert str(f.overall) == "2.87"  # (2.667 × 4 + 3.667) / 5


def test_a_low_month_opens_one_item_and_tells(w, settings):
    settings.PARTY_PROPERTY_MIN_RATINGS = 5
    _ratings(w, 5, 2)
    assert supervision_open_low(now=NOW) == 1
    assert supervision_open_low(now=NOW) == 0
    item = PropertySupervision.objects.get()
    assert (item.month, item.ratings, str(item.score)) == (MAY, 5, "2.20")
    assert AuditEntry.objects.filter(action="supervision.open").count() == 1
    from linli.notifications.models import Notification
    from linli.party.models import Event

    agreement_event_notify(Event.objects.get(subject="supervision", action="open"))
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"pia", "alice", "uma"} <= told and "pete" not in told


def test_too_few_or_good_ratings_open_nothing(w, settings):
    settings.PARTY_PROPERTY_MIN_RATINGS = 5
    _ratings(w, 4, 1)
    _ratings(w, 6, 4, estate=w.estate_b, unit=w.unit_b)
    assert supervision_open_low(now=NOW) == 0


def test_resolve_by_staff_or_dispatcher_only(w, settings):
    settings.PARTY_PROPERTY_MIN_RATINGS = 1
    _ratings(w, 1, 1)
    supervision_open_low(now=NOW)
    item = PropertySupervision.objects.get()
    from linli.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        supervision_resolve(actor=w.uma, item=item, note="整改")
    supervision_resolve(actor=w.alice, item=item, note="约谈物业，已整改")
    item.refresh_from_db()
    assert item.state == SupervisionState.RESOLVED


def test_the_rate_page_once_a_month(client, w):
    client.force_login(w.mark)  # a registered resident of estate A
    page = client.get(reverse("party:property_rate"))
    assert page.status_code == 200 and "rate-form" in page.content.decode()
    scores = {i: 4 for i in ("cleanliness", "order", "repairs", "attitude", "response")}
    assert client.post(reverse("party:property_rate"), scores | {"comment": "好"}
                       ).status_code == 302
    again = client.get(reverse("party:property_rate")).content.decode()
    assert "already-rated" in again
    refused = client.post(reverse("party:property_rate"), scores)
    assert refused.status_code == 400


def test_results_scope_and_the_ratings_behind(client, w):
    _ratings(w, 3, 3, month=timezone.localdate().replace(day=1))
    month = timezone.localdate().strftime("%Y-%m")
    url = reverse("party:property") + f"?estate={w.estate_a.pk}&month={month}"
    client.force_login(w.pia)
    page = client.get(url)
    assert page.status_code == 200 and len(page.context["behind"]) == 3
    assert page.context["show_comments"] and "意见0" in page.content.decode()
    client.force_login(w.rita)  # a resident of the estate: figures, no comments
    page = client.get(url)
    assert len(page.context["tables"]) == 1 and "意见0" not in page.content.decode()
    client.force_login(w.pete)
    assert client.get(url).context["tables"] == []


def test_the_supervision_page_and_api(client, w, settings):
    settings.PARTY_PROPERTY_MIN_RATINGS = 1
    _ratings(w, 2, 1, month=date(timezone.localdate().year, 1, 1))
    item = PropertySupervision.objects.create(
        estate=w.estate_a, unit=w.unit_a, month=date(timezone.localdate().year, 1, 1),
        score="1.20", ratings=2, area_path=w.estate_a.path, opened_at=timezone.now())
    client.force_login(w.pia)
    page = client.get(reverse("party:supervision", args=[item.pk]))
    assert page.status_code == 200 and "意见1" in page.content.decode()
    answer = client.post(f"/api/party/property/supervisions/{item.pk}/resolve",
                         {"reason": "已整改"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "resolved"
    client.force_login(w.pete)
    assert client.get(reverse("party:supervision", args=[item.pk])).status_code == 404
    assert client.get(f"/api/party/property/supervisions/{item.pk}").status_code == 404
    client.force_login(w.rita)
    assert client.get(reverse("party:supervision", args=[item.pk])).status_code == 404


def test_the_rating_api(client, w):
    client.force_login(w.mark)
    body = {i: 5 for i in ("cleanliness", "order", "repairs", "attitude", "response")}
    made = client.post("/api/party/property/ratings", body, content_type="application/json")
    assert made.status_code == 201
    again = client.post("/api/party/property/ratings", body, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "already_rated"
    assert client.get("/api/party/property/results").json()[0]["ratings"] == 1
