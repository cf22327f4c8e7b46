"""The 最美楼栋 pages: the list, the ranking with staff scoring, recompute and publish, and
the score sheet; refusals re-render with the reason and what was typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.community import services
from linli.community.models import Criterion, Rating, RatingState, Score, Source
from linli.community.tests import factories as life

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    b = life.rating_buildings(world)
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=timezone.localdate().replace(day=1))
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    return rating, clean, b


def test_staff_see_the_list_with_the_form_and_open_a_month(client, world):
    life.rating_buildings(world)
    client.force_login(world.alice)
    page = client.get(reverse("community:ratings"))
    assert page.status_code == 200 and b'id="rating-new-form"' in page.content
    month = timezone.localdate().strftime("%Y-%m")
    made = client.post(reverse("community:ratings_new"),
                       {"community": world.community_a.pk, "month": month})
    rating = Rating.objects.get()
    assert made.status_code == 302 and made.url == reverse("community:rating", args=[rating.pk])
    again = client.post(reverse("community:ratings_new"),
                        {"community": world.community_a.pk, "month": month})
    assert again.status_code == 409 and b'data-code="rating_exists"' in again.content
    assert f'value="{month}"'.encode() in again.content
    bad = client.post(reverse("community:ratings_new"),
                      {"community": world.community_a.pk, "month": "2026-13"})
    assert bad.status_code == 400


def test_the_rating_page_scores_a_building_and_keeps_a_refused_score(client, world, scene):
    rating, clean, b = scene
    client.force_login(world.alice)
    url = reverse("community:rating", args=[rating.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'id="scores-{b["1栋"].pk}"'.encode() in page.content
    assert b'id="publish-form"' in page.content
    saved = client.post(reverse("community:ratings_scores", args=[rating.pk]),
                        {"building": b["3栋"].pk, f"score-{clean.pk}": "39.5"})
    assert saved.status_code == 302
    assert Score.objects.get(rating=rating, building=b["3栋"], criterion=clean).score == 39.5
    refused = client.post(reverse("community:ratings_scores", args=[rating.pk]),
                          {"building": b["1栋"].pk, f"score-{clean.pk}": "45"})
    assert refused.status_code == 400 and b'data-code="bad_score"' in refused.content
    assert b'value="45"' in refused.content
    top = client.get(url).content.decode()
    assert top.index(f'id="building-{b["3栋"].pk}"') < top.index(f'id="building-{b["1栋"].pk}"')
    assert "is-top" in top


def test_recompute_and_publish_then_a_resident_sees_it_without_forms(client, world, scene):
    rating, _clean, _b = scene
    client.force_login(world.rita)
    assert client.get(reverse("community:rating", args=[rating.pk])).status_code == 404
    client.force_login(world.gina)
    refused = client.post(reverse("community:ratings_publish", args=[rating.pk]))
    assert refused.status_code == 403
    client.force_login(world.alice)
    assert client.post(reverse("community:ratings_recompute",
                               args=[rating.pk])).status_code == 302
    assert client.post(reverse("community:ratings_publish", args=[rating.pk])).status_code == 302
    rating.refresh_from_db()
    assert rating.state == RatingState.PUBLISHED
    again = client.post(reverse("community:ratings_publish", args=[rating.pk]))
    assert again.status_code == 409
    client.force_login(world.rita)
    page = client.get(reverse("community:rating", args=[rating.pk]))
    assert page.status_code == 200 and b'id="ranking-table"' in page.content
    assert b'id="publish-form"' not in page.content and b"score-form" not in page.content
    assert reverse("community:rating", args=[rating.pk]).encode() in client.get(
        reverse("community:ratings")).content


def test_another_community_is_404(client, world, scene):
    rating, clean, _b = scene
    client.force_login(world.bob)
    assert client.get(reverse("community:rating", args=[rating.pk])).status_code == 404
    for name in ("ratings_scores", "ratings_recompute", "ratings_publish"):
        assert client.post(reverse(f"community:{name}", args=[rating.pk])).status_code == 404
    assert client.post(reverse("community:ratings_criterion", args=[clean.pk]),
                       {"name": "x", "max_score": 1, "source": "manual"}).status_code == 404


def test_the_score_sheet_page_adds_and_edits_criteria(client, world, scene):
    _rating, clean, _b = scene
    client.force_login(world.alice)
    page = client.get(reverse("community:ratings_sheet"))
    assert page.status_code == 200 and "环境卫生" in page.content.decode()
    added = client.post(reverse("community:ratings_criterion_new"),
                        {"community": world.community_a.pk, "name": "绿化", "max_score": 10,
                         "source": "manual", "is_active": "on"})
    assert added.status_code == 302
    assert Criterion.objects.filter(name="绿化", position=4, is_active=True).exists()
    refused = client.post(reverse("community:ratings_criterion", args=[clean.pk]),
                          {"name": "环境卫生好", "max_score": 150, "source": "manual"})
    assert refused.status_code == 400 and "环境卫生好" in refused.content.decode()
    edited = client.post(reverse("community:ratings_criterion", args=[clean.pk]),
                         {"name": "环境", "max_score": 50, "source": "manual", "position": 1,
                          "is_active": "on"})
    assert edited.status_code == 302
    clean.refresh_from_db()
    assert (clean.name, clean.max_score) == ("环境", 50)
    client.force_login(world.rita)
    assert client.get(reverse("community:ratings_sheet")).status_code == 404


def test_a_phone_wide_ranking_has_no_external_urls(client, world, scene):
    rating = scene[0]
    client.force_login(world.alice)
    html = client.get(reverse("community:rating", args=[rating.pk])).content.decode()
    assert "https://" not in html and "http://" not in html.replace("http://testserver", "")
