"""The Content-Security-Policy in real Chromium: the API docs (Swagger UI from ninja's own
static copy) and the report page's map draw with the policy on, the browser reports no
violation, and no request leaves the site."""

from urllib.parse import urlsplit

import pytest

from linli.accounts.demo import DEMO_PASSWORD
from linli.core.csp import HEADER

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _watch(page, live_server) -> tuple[list[str], list[str]]:
    """Requests to anywhere but the live server, and the console's CSP complaints."""
    here = urlsplit(live_server.url).netloc
    elsewhere: list[str] = []
    violations: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if urlsplit(r.url).scheme in (
        "http", "https") and urlsplit(r.url).netloc != here else None)
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    return elsewhere, violations


def test_the_api_docs_draw_from_local_assets_under_the_policy(page, live_server):
    elsewhere, violations = _watch(page, live_server)
    response = page.goto("/api/docs")
    assert "script-src 'self'" in response.headers[HEADER.lower()]
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15_000)
    assert page.locator(".swagger-ui .opblock-tag").count() > 15  # every app's tag, folded
    page.locator(".swagger-ui .opblock-tag").first.click()  # unfolds its operations
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert (elsewhere, violations) == ([], [])


@pytest.mark.usefixtures("demo_committed")
def test_the_report_map_draws_under_the_policy(page, live_server):
    elsewhere, violations = _watch(page, live_server)
    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill("resident")
    page.get_by_label("密码", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()
    page.goto("/cases/new/")
    page.locator("#map-box summary").click()
    page.locator("#report-map").click(position={"x": 150, "y": 100})
    assert page.input_value("input[name=lat]") != ""  # Leaflet ran: the pin was placed
    assert (elsewhere, violations) == ([], [])
