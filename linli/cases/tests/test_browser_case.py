"""One case through every state of the closed loop, in real Chromium at phone width, each
step taken by the demo person whose job it is: report (resident, with a photo), accept and
dispatch (dispatcher), acknowledge and resolve (property unit), verify (grid worker), close
(dispatcher), rate (resident)."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from linli.browser import SCREENSHOTS, fits_phone, log_in, submit
from linli.cases.models import Case, Photo, State

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LEAK = "L1003"  # 管道漏水, routed to the property unit in the demo


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(out, "JPEG")
    return {"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def _shot(page, name: str, english: bool = True) -> None:
    """The page as it is, and (reloaded) in English: machines without a CJK font draw the
    Chinese UI as boxes, and the English shot still shows whether the layout holds."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}-375.png", full_page=True)
    if not english:
        return
    url = page.url
    page.context.add_cookies([{"name": "linli_language", "value": "en", "url": url}])
    page.goto(url)
    fits_phone(page, f"{name} in English")
    page.screenshot(path=SCREENSHOTS / f"{name}-en-375.png", full_page=True)
    page.context.clear_cookies(name="linli_language")
    page.goto(url)


def _act(page, case: Case, action: str, note: str = "", photo: bool = False) -> Case:
    """Open the case page, use the action's form, and return the case as it is now."""
    page.goto(f"/cases/{case.pk}/")
    details = page.locator(f"#details-{action}")
    if details.count():
        details.locator("summary").click()
    form = page.locator(f"#action-{action}")
    if note:
        form.locator("textarea[name=note]").fill(note)
    if photo:
        form.locator("input[name=photos]").set_input_files(_photo())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/cases/{case.pk}/"), page.url
    assert page.locator("#case-error").count() == 0, page.locator("#case-error").inner_text()
    return Case.objects.get(pk=case.pk)


def _report(page) -> Case:
    page.goto("/cases/new/")
    _shot(page, "case-report-empty")
    page.fill("#category-filter", "漏水")
    assert page.locator(".category-option:not([hidden])").count() >= 1
    page.locator(f"input[name=category][value={LEAK}]").check()
    page.fill("textarea[name=description]", "1单元楼道水管漏水，地面积水")
    # Walk the place picker one level up: the whole entrance instead of the own dwelling.
    entrance_id = page.locator(".area-picker select").last.locator("option").first.get_attribute(
        "value")
    page.locator(".area-picker select").last.select_option(entrance_id)
    # A locator assertion, not wait_for_function: the page's CSP forbids evaluating strings.
    expect(page.locator("input[name=area]")).to_have_value(entrance_id)
    page.locator("#map-box summary").click()
    page.locator("#report-map").click(position={"x": 150, "y": 100})
    assert page.input_value("input[name=lat]") != ""
    page.set_input_files("input[name=photos]", _photo())
    assert page.locator("#photo-count").inner_text().startswith("1")
    fits_phone(page, "the report page")
    _shot(page, "case-report", english=False)  # a reload would lose the filled form
    submit(page, "#report-submit")
    assert "/reported/" in page.url, page.url
    case = Case.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert (case.area_id, case.category.code, case.photos.count()) == (
        int(entrance_id), LEAK, 1)
    assert case.lat is not None
    return case


@pytest.mark.usefixtures("demo_committed")
def test_a_case_walks_the_closed_loop_in_the_browser(new_page):
    resident, dispatcher, unit, grid = (new_page(phone=True) for _ in range(4))
    log_in(resident, "resident")
    case = _report(resident)
    assert case.state == State.REPORTED

    log_in(dispatcher, "dispatcher")
    dispatcher.goto("/cases/queue/?state=reported")
    assert dispatcher.locator(f"#case-{case.pk} .light-green").count() == 1
    fits_phone(dispatcher, "the queue")
    _shot(dispatcher, "case-queue")
    case = _act(dispatcher, case, "accept")
    assert case.state == State.ACCEPTED
    dispatcher.goto(f"/cases/{case.pk}/")
    dispatcher.locator("#details-dispatch summary").click()
    fits_phone(dispatcher, "the dispatcher's case page")
    _shot(dispatcher, "case-dispatch", english=False)
    chosen = dispatcher.locator("#action-dispatch select[name=unit]").evaluate(
        "select => select.options[select.selectedIndex].text")
    assert chosen.startswith("花楼物业服务中心")
    case = _act(dispatcher, case, "dispatch")
    assert case.state == State.DISPATCHED
    assert case.unit is not None and case.unit.name == "花楼物业服务中心"

    log_in(unit, "property")
    unit.goto("/cases/unit/")
    assert unit.locator(f"#case-{case.pk}").count() == 1
    case = _act(unit, case, "acknowledge")
    assert case.state == State.IN_PROGRESS
    case = _act(unit, case, "resolve", note="已更换破裂的水管接头", photo=True)
    assert case.state == State.RESOLVED
    assert Photo.objects.filter(case=case, event__action="resolve").count() == 1

    log_in(grid, "grid")
    grid.goto("/cases/verify/")
    assert grid.locator(f"#case-{case.pk}").count() == 1
    case = _act(grid, case, "verify", note="现场查看，已不漏水")
    assert case.state == State.VERIFIED

    case = _act(dispatcher, case, "close")
    assert case.state == State.CLOSED

    resident.goto(f"/cases/{case.pk}/")
    resident.locator("#details-rate summary").click()
    resident.locator("#action-rate input[value=satisfied]").check()
    resident.fill("#action-rate textarea[name=comment]", "修得很快，谢谢")
    _shot(resident, "case-rate", english=False)
    submit(resident, "#action-rate button[type=submit]")
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.rating) == (State.CLOSED, "satisfied")
    assert [e.action for e in case.events.all()] == [
        "report", "accept", "dispatch", "acknowledge", "resolve", "verify", "close", "rate"]
    # The resident's timeline shows both photos through the scoped thumbnail URLs, loaded.
    thumbs = resident.locator("#timeline img.thumb")
    assert thumbs.count() == 2
    # Wait for both to finish loading (lazy images on a busy machine), then look.
    thumbs.last.scroll_into_view_if_needed()
    resident.wait_for_function(
        "() => [...document.querySelectorAll('#timeline img.thumb')].every(i => i.complete)")
    assert all(resident.evaluate("img => img.naturalWidth", t.element_handle()) > 0
               for t in thumbs.all())
    fits_phone(resident, "the case page")
    _shot(resident, "case-page")


def test_a_chosen_photo_survives_a_refused_report(world, leak, new_page, live_server,
                                                  settings, tmp_path):
    """Issue #11: the report form used to say "choose the photos again"; now the photo
    comes back as a thumbnail, counts toward the limit, and is saved with the case."""
    from linli.accounts.tests.factories import PASSWORD
    from linli.browser import offsite_requests

    settings.DATA_DIR = tmp_path / "data"
    page = new_page(phone=True)
    elsewhere = offsite_requests(page, live_server.url)
    log_in(page, "rita", PASSWORD)
    page.goto("/cases/new/")
    page.locator(f"input[name=category][value={leak.code}]").check()
    page.fill("textarea[name=description]", "   ")  # only spaces: the server says missing
    page.set_input_files("input[name=photos]", _photo())
    submit(page, "#report-submit")
    assert "/cases/new/" in page.url and not Case.objects.exists()
    assert page.locator("textarea[name=description] + ul, .errorlist").count() >= 1
    thumb = page.locator("#held-photos img")
    assert thumb.count() == 1
    assert thumb.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator("#photo-count")).to_have_text(re.compile(r"^1\b"))
    fits_phone(page, "the refused report page")
    _shot(page, "case-report-held", english=False)
    page.fill("textarea[name=description]", "3栋楼道水管漏水")
    submit(page, "#report-submit")
    assert "/reported/" in page.url, page.url
    case = Case.objects.get()
    assert case.photos.count() == 1 and case.description == "3栋楼道水管漏水"
    photo = Image.open(case.photos.get().image)
    assert photo.size == (640, 480) and not photo.getexif()
    assert elsewhere == []
