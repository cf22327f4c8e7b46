"""Providers at phone width (375 px) in real Chromium: a dispatcher finds a resident by
name, lists them as a skilled resident with the paper consent (refused first without the
tick), and records a contribution; a resident offers their skills (refused without
consent), is found by skill, and withdraws. Every page fits the phone; nothing is fetched
from elsewhere."""

import pytest
from django.utils import timezone

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import fits_phone, log_in, offsite_requests, submit
from linli.community.tests.factories import resident_user
from linli.library.models import Contribution, Provider
from linli.people.tests.factories import resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_dispatcher_lists_a_skilled_resident_and_a_resident_offers_skills(
        new_page, live_server, world):
    teacher = resident(world.alice, world.dwelling_a, "王建国")
    neighbour = resident_user(world.alice, world.dwelling_a, "mei", name="陈梅")
    enrol_otp(world.alice)
    alice = new_page(phone=True)
    elsewhere = offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto("/library/providers/")
    fits_phone(alice, "the providers list")
    submit(alice, "#new-skilled")
    alice.fill("#resident-who", "王")
    submit(alice, "#resident-search-submit")
    fits_phone(alice, "the resident search")
    alice.check(f"#resident-{teacher.pk}")
    alice.fill("#skills-title", "老师")
    alice.fill("#skills-skills", "退休教师 数学辅导")
    alice.check("#sk-tutoring")
    submit(alice, "#skilled-submit")
    assert alice.locator("#provider-error").get_attribute("data-code") == "consent_required"
    assert not Provider.objects.exists()
    alice.check("#skilled-consent")
    submit(alice, "#skilled-submit")
    made = Provider.objects.get()
    assert made.name == "王老师" and made.consent_via == "paper"
    assert alice.locator("#provider-name").inner_text() == "王老师"
    fits_phone(alice, "the provider page")
    alice.click("#contribution-new summary")
    alice.select_option("#contribution-mode", "service")
    alice.select_option("#contribution-gives", "hours")
    alice.fill("#contribution-amount", "6")
    alice.fill("#contribution-description", "四点半课堂数学辅导")
    alice.fill("#contribution-date", timezone.localdate().isoformat())
    submit(alice, "#contribution-submit")
    row = Contribution.objects.get()
    assert row.amount == 6 and alice.locator(f"#contribution-{row.pk}").count() == 1
    fits_phone(alice, "the provider with its contribution")

    mei = new_page(phone=True)
    elsewhere += offsite_requests(mei, live_server.url)
    log_in(mei, neighbour.username, PASSWORD)
    mei.goto("/")
    submit(mei, "#library-tile-offer-skills")
    fits_phone(mei, "offer my skills")
    mei.fill("#skills-title", "阿姨")
    mei.fill("#skills-skills", "剪纸 编织")
    submit(mei, "#skills-submit")
    assert mei.locator("#provider-error").get_attribute("data-code") == "consent_required"
    mei.check("#skills-consent")
    submit(mei, "#skills-submit")
    assert mei.locator("#skills-listed").count() == 1
    mine = Provider.objects.get(resident__user=neighbour)
    assert mine.name == "陈阿姨" and mine.is_active
    mei.goto("/library/providers/?q=剪纸")
    assert mei.locator(f"#provider-{mine.pk}").count() == 1
    fits_phone(mei, "the providers found by skill")
    mei.goto("/library/skills/")
    submit(mei, "#skills-withdraw")
    mine.refresh_from_db()
    assert not mine.is_active and mine.withdrawn_at is not None
    assert mei.locator("#skills-listed").count() == 0
    assert elsewhere == []
