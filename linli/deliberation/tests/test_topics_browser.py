"""Topics at phone width (375 px) in real Chromium: a resident raises a topic with a photo,
two neighbours support it onto the agenda, a grid worker hides a comment, and a dispatcher
refers another topic to a case. Every page fits the phone; nothing is fetched from
elsewhere."""

import pytest

from linli.accounts.tests.factories import PASSWORD, enrol_otp
from linli.browser import SCREENSHOTS, fits_phone, log_in, offsite_requests, submit
from linli.cases.models import Case
from linli.cases.tests.apitools import jpeg_bytes
from linli.cases.tests.factories import category
from linli.deliberation.models import Comment, Topic, TopicState
from linli.deliberation.tests import test_topics_kit as kit
from linli.deliberation.tests.factories import topic

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
media_root = kit.media_root


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)


def _no_error(page) -> None:
    errors = page.locator("#topic-error")
    assert errors.count() == 0, errors.inner_text()


def test_raise_support_moderate_and_refer(new_page, live_server, world, media_root, tmp_path):
    kit.rules(world, 2)
    raiser, first, second = kit.neighbours(world, 3)
    picture = tmp_path / "lift.jpg"
    picture.write_bytes(jpeg_bytes())

    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, raiser.username, PASSWORD)
    page.goto("/deliberation/topics/")
    fits_phone(page, "the topics list")
    submit(page, "#raise-topic")
    fits_phone(page, "the new topic form")
    page.select_option("#topic-area", str(world.estate_a.pk))
    page.fill("#topic-title", "1栋加装电梯")
    page.select_option("#topic-category", "lift")
    page.fill("#topic-description", "1栋住着很多老人，上下楼困难，建议加装电梯。")
    page.set_input_files("#topic-photos", str(picture))
    _shot(page, "topic-new")
    submit(page, "#topic-submit")
    _no_error(page)
    t = Topic.objects.get(title="1栋加装电梯")
    assert t.files.count() == 1 and t.supporters_needed == 2
    assert page.locator("#topic-files img.thumb").count() == 1
    fits_phone(page, "the topic page")

    for neighbour in (first, second):
        other = new_page(phone=True)
        elsewhere += offsite_requests(other, live_server.url)
        log_in(other, neighbour.username, PASSWORD)
        other.goto(f"/deliberation/topics/{t.pk}/")
        submit(other, "#support-button")
        _no_error(other)
        assert other.locator("#supported").count() == 1
        fits_phone(other, "the supported topic")
    t.refresh_from_db()
    assert t.state == TopicState.AGENDA and t.supporter_count == 2
    other.fill("#comment-text", "物业什么都不管，一群废物！")
    submit(other, "#comment-submit")
    _no_error(other)
    _shot(other, "topic-detail")
    comment = Comment.objects.get(topic=t)

    enrol_otp(world.gina)
    gina = new_page(phone=True)
    elsewhere += offsite_requests(gina, live_server.url)
    log_in(gina, "gina", PASSWORD)
    gina.goto(f"/deliberation/topics/{t.pk}/")
    fits_phone(gina, "the topic page for staff")
    gina.locator(f"#hide-{comment.pk} summary").click()
    gina.fill(f"#hide-{comment.pk} input[name=reason]", "含有侮辱性言语")
    submit(gina, f"#submit-hide-{comment.pk}")
    _no_error(gina)
    comment.refresh_from_db()
    assert comment.hidden_by == world.gina and comment.hidden_reason == "含有侮辱性言语"
    page.reload()
    assert "含有侮辱性言语" in page.locator(f"#comment-{comment.pk}").inner_text()
    assert "废物" not in page.locator(f"#comment-{comment.pk}").inner_text()

    leak = topic(world, title="地下车库漏水", actor=raiser)
    leaf = category()
    enrol_otp(world.alice)
    alice = new_page(phone=True)
    elsewhere += offsite_requests(alice, live_server.url)
    log_in(alice, "alice", PASSWORD)
    alice.goto(f"/deliberation/topics/{leak.pk}/")
    alice.locator("#details-refer summary").click()
    alice.select_option("#refer-category", str(leaf.pk))
    _shot(alice, "topic-refer")
    submit(alice, "#submit-refer")
    _no_error(alice)
    leak.refresh_from_db()
    assert leak.state == TopicState.REFERRED and leak.case == Case.objects.get()
    assert alice.locator("#topic-case").count() == 1
    fits_phone(alice, "the referred topic")
    assert elsewhere == []
