"""In real Chromium: a page on another web origin reads Linli's public Open311 list
(with a header that makes the browser ask first, a CORS preflight), and may not file."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from linli.cases.models import Case
from linli.open311.tests.conftest import BASE, JID, form

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PAGE = b"<!doctype html><title>Map of reports</title><p>another site</p>"


class _Site(BaseHTTPRequestHandler):
    """The other origin: one plain page, from which the test's scripts run."""

    def do_GET(self):  # the name http.server calls
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


READ = """async (url) => {
  const answer = await fetch(url, {headers: {"Idempotency-Key": "probe",
                                             "Accept-Language": "en"}});
  return {status: answer.status, body: await answer.json()};
}"""

FILE = """async ([url, body]) => {
  try {
    const answer = await fetch(url, {method: "POST", body: new URLSearchParams(body),
                                     headers: {"Idempotency-Key": "from-a-page"}});
    return "read " + answer.status;
  } catch (error) { return "refused"; }
}"""


def test_a_page_on_another_origin_reads_requests_but_cannot_file(
        browser, live_server, o311, client, other_origin):
    filed = client.post(f"{BASE}/requests.json", form(o311))
    assert filed.status_code == 201
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other_origin)
        url = f"{live_server.url}{BASE}/requests.json?jurisdiction_id={JID}"
        got = page.evaluate(READ, url)
        assert got["status"] == 200
        assert [r["description"] for r in got["body"]] == ["楼道水管漏水"]
        body = {k: str(v) for k, v in form(o311, description="from a web page").items()}
        assert page.evaluate(FILE, [f"{live_server.url}{BASE}/requests.json", body]) == (
            "refused")
    finally:
        context.close()
    assert Case.objects.count() == 1
