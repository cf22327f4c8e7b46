"""最美楼栋 at phone width (375 px) in real Chromium: the dispatcher scores a building's
cleanliness and publishes the month's ranking; a resident of the community then reads it,
the top three marked. Every page fits the phone; nothing is fetched from elsewhere."""

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.community import services
from linli.community.models import Criterion, RatingState, Score, Source
from linli.community.tests import factories as life

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _no_error(page) -> None:
    errors = page.locator("#rating-error")
    assert errors.count() == 0, errors.inner_text()


def test_staff_score_and_publish_and_a_resident_reads_the_ranking(new_page, live_server, world):
    b = life.rating_buildings(world)
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=timezone.localdate().replace(day=1))
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)

    enrol_otp(world.alice)
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "alice", PASSWORD)
    page.goto("/community/ratings/")
    fits_phone(page, "the ratings list")
    submit(page, f"#rating-{rating.pk} a")
    fits_phone(page, "the rating for staff")
    page.locator(f"#building-{b['3栋'].pk} .score-form summary").click()
    page.fill(f"#scores-{b['3栋'].pk} input[name=score-{clean.pk}]", "38.5")
    _shot(page, "rating-score")
    submit(page, f"#save-{b['3栋'].pk}")
    _no_error(page)
    assert Score.objects.get(rating=rating, building=b["3栋"], criterion=clean).score == 38.5
    assert page.locator("#ranking-table tbody tr").first.get_attribute("id") == \
        f"building-{b['3栋'].pk}"
    submit(page, "#publish-button")
    _no_error(page)
    rating.refresh_from_db()
    assert rating.state == RatingState.PUBLISHED
    assert page.locator("#publish-form").count() == 0

    resident = new_page(phone=True)
    elsewhere += offsite_requests(resident, live_server.url)
    log_in(resident, "rita", PASSWORD)
    resident.goto("/community/ratings/")
    submit(resident, f"#rating-{rating.pk} a")
    fits_phone(resident, "the published ranking")
    _shot(resident, "rating-ranking")
    first = resident.locator("#ranking-table tbody tr").first
    assert "38.5" in first.inner_text() and first.locator(".top-badge").count() == 1
    assert resident.locator(".score-form").count() == 0
    assert elsewhere == []
