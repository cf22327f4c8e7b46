"""A wish walked from posting to points in Chromium at phone width, by the demo's people:
the resident posts it, the dispatcher (password + TOTP) publishes it as a task, the
volunteer claims it and reports hours, the resident confirms and rates the work, and the
volunteer's page shows the points it earned."""

import pyotp
import pytest

from linli.accounts.demo import DEMO_PASSWORD
from linli.accounts.models import User
from linli.accounts.otp import otp_secret
from linli.browser import SCREENSHOTS
from linli.volunteering.models import Claim, ClaimState, Task, Wish, WishState
from linli.volunteering.selectors import points_balances

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PHONE_WIDTH = 375
WISH_TEXT = "周六上午想请人帮我把旧衣服送到社区回收点"


def log_in(page, username: str) -> None:
    """Password, then the authenticator code when the role needs a second factor."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    if page.locator("input[name=code]").count():
        secret = otp_secret(User.objects.get(username=username))
        page.get_by_label("6 位验证码").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="验证", exact=True).click()
        page.wait_for_load_state()
    assert page.url.endswith("/"), page.url


def fits(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{name} scrolls sideways ({width}px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"volunteering-{name}-375.png", full_page=True)


def post_wish(page) -> Wish:
    page.locator("#nav-volunteering").click()
    page.locator("#wish-new-link").click()
    page.locator("#id_category").select_option("errands")
    page.locator("#id_description").fill(WISH_TEXT)
    page.locator("#id_address").fill("花楼小区1栋楼下")
    fits(page, "wish-new")
    page.locator("#wish-submit").click()
    page.wait_for_load_state()
    wish = Wish.objects.get(description=WISH_TEXT)
    card = page.locator(f"#wish-{wish.pk}")
    assert card.locator("[data-state]").get_attribute("data-state") == WishState.POSTED
    return wish


def publish(page, wish: Wish) -> Task:
    page.goto("/volunteering/inbox/")
    page.locator(f"#publish-{wish.pk} summary").click()
    form = page.locator(f"#publish-{wish.pk} form")
    form.locator("input[name=title]").fill("帮张阿姨送旧衣服")
    fits(page, "inbox")
    page.locator(f"#publish-submit-{wish.pk}").click()
    page.wait_for_load_state()
    task = Task.objects.get(source_wish=wish)
    assert page.locator("#task-title").inner_text() == "帮张阿姨送旧衣服"
    return task


def claim_and_report(page, task: Task) -> Claim:
    page.goto("/volunteering/tasks/")
    page.locator(f"#claim-{task.pk}").click()  # HTMX swaps the card
    page.locator(f"#task-{task.pk} .claimed-note").wait_for()
    claim = Claim.objects.get(task=task)
    page.goto("/volunteering/claims/mine/")
    page.locator(f"#details-report-{claim.pk} summary").click()
    page.locator(f"#form-report-{claim.pk} input[name=hours]").fill("2.5")
    page.locator(f"#do-report-{claim.pk}").click()
    page.locator(f"#claim-{claim.pk}[data-state=reported]").wait_for()
    fits(page, "claims-mine")
    return claim


def confirm_and_rate(page, claim: Claim) -> None:
    page.goto("/volunteering/confirm/")
    page.locator(f"#details-confirm-{claim.pk} summary").click()
    form = page.locator(f"#form-confirm-{claim.pk}")
    form.locator("input[name=rating][value='5']").check()
    form.locator("textarea[name=comment]").fill("小伙子很热心")
    fits(page, "confirm")
    page.locator(f"#do-confirm-{claim.pk}").click()
    page.locator(f"#claim-{claim.pk}[data-state=confirmed]").wait_for()


@pytest.mark.usefixtures("demo_committed")
def test_a_wish_walks_from_posting_to_points(new_page):
    volunteer = User.objects.get(username="volunteer")
    community = User.objects.get(username="dispatcher").assignments.get().area
    before = {b.community.pk: b.balance for b in points_balances(actor=volunteer)}

    resident, dispatcher, helper = (new_page(phone=True) for _ in range(3))
    log_in(resident, "resident")
    wish = post_wish(resident)
    log_in(dispatcher, "dispatcher")
    task = publish(dispatcher, wish)
    log_in(helper, "volunteer")
    claim = claim_and_report(helper, task)
    confirm_and_rate(resident, claim)

    claim.refresh_from_db()
    assert (claim.state, claim.confirmed_hours, claim.rating, claim.points) == (
        ClaimState.CONFIRMED, 2.5, 5, 20)  # 2 whole hours at 10 points
    helper.goto("/volunteering/me/")
    shown = helper.locator(f"#points-balance-{community.pk}").inner_text()
    assert int(shown) == before.get(community.pk, 0) + 20
    fits(helper, "me")
