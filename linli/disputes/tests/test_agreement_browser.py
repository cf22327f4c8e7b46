"""Printing the agreement in real Chromium on the demo: the mediator, logged in on a phone,
opens a demo agreement's PDF; the grid worker of the other community cannot."""

import io

import pytest
from pypdf import PdfReader

from linli.accounts.models import User
from linli.browser import log_in
from linli.disputes.selectors import dispute_list

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.usefixtures("demo_committed")
def test_the_mediator_prints_a_demo_agreement_and_others_cannot(new_page, live_server):
    mediator = User.objects.get(username="mediator")
    agreed = dispute_list(actor=mediator).filter(agreement__isnull=False).first()
    assert agreed is not None
    url = f"{live_server.url}/disputes/{agreed.pk}/agreement.pdf"
    page = new_page(phone=True)
    log_in(page, "mediator")
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert agreed.number in text and "人民调解委员会" in text
    other = new_page(phone=True)
    log_in(other, "grid_b")  # 水塔社区: the dispute is out of their view
    assert other.request.get(url).status == 404
