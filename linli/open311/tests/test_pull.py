"""The Open311 client (`linli open311 pull`): requests of another GeoReport v2 server
become cases once, through the one intake; whatever the remote answers, nothing crashes
and nothing is half written."""

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from linli.cases.models import Case, Channel
from linli.cases.services.report import MAX_DESCRIPTION
from linli.core.models import AuditEntry
from linli.open311.models import PulledRequest
from linli.open311.pull import MAX_BYTES, _windows, pull
from linli.open311.tests.conftest import BASE, JID, form, parsed

pytestmark = pytest.mark.django_db(transaction=True)


def _file(client, world, n: int) -> list[int]:
    ids = []
    for i in range(n):
        response = client.post(f"{BASE}/requests.json",
                               form(world, description=f"水管漏水 {i}"))
        assert response.status_code == 201, response.content
        ids.append(int(parsed(response)[0]["service_request_id"]))
    return ids


def test_pulling_from_linli_itself_twice_creates_each_case_once(client, o311, live_server):
    remote_ids = _file(client, o311, 2)
    url = f"{live_server.url}{BASE}"
    first = pull(url, community=o311.community_b, jurisdiction_id=JID)
    assert (len(first.new), first.already, first.skipped, first.failure) == (2, 0, [], "")
    pulled = Case.objects.filter(community=o311.community_b).order_by("pk")
    assert [c.channel for c in pulled] == [Channel.OPEN311] * 2
    assert {c.category_id for c in pulled} == {o311.leak.pk}
    assert sorted(c.description for c in pulled) == ["水管漏水 0", "水管漏水 1"]
    assert sorted(int(r.remote_id) for r in PulledRequest.objects.all()) == remote_ids
    assert AuditEntry.objects.filter(action="open311.request_pulled").count() == 2
    second = pull(url, community=o311.community_b, jurisdiction_id=JID)
    assert (len(second.new), second.already) == (0, 2)
    assert Case.objects.filter(community=o311.community_b).count() == 2
    assert "0 new, 2 already pulled, 0 skipped." in second.summary()


def test_the_command_pulls_into_a_jurisdiction_and_reports_counts(client, o311, live_server):
    _file(client, o311, 1)
    out = StringIO()
    call_command("open311", "pull", f"{live_server.url}{BASE}/", "--jurisdiction-id", JID,
                 "--community", o311.community_b.code, "--since",
                 str(timezone.localdate() - timedelta(days=100)), stdout=out)
    assert out.getvalue().startswith("1 new, 0 already pulled, 0 skipped.")
    out = StringIO()
    call_command("open311", "pull", f"{live_server.url}{BASE}", "--jurisdiction-id", JID,
                 "--into", JID, stdout=out)  # into A itself: a different target, same source
    assert out.getvalue().startswith("0 new, 1 already pulled")


def test_a_service_map_and_a_fallback_choose_the_category(client, o311, live_server,
                                                         tmp_path):
    from linli.cases.tests.factories import category
    other = category("L2001", name_zh="噪音扰民", name_en="Noise")
    _file(client, o311, 1)
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({o311.leak.code: "L2001"}))
    call_command("open311", "pull", f"{live_server.url}{BASE}", "--jurisdiction-id", JID,
                 "--community", o311.community_b.code, "--service-map", str(mapping),
                 stdout=StringIO())
    assert Case.objects.get(community=o311.community_b).category == other


class _Remote(BaseHTTPRequestHandler):
    answers: dict[str, tuple[int, bytes]] = {}

    def do_GET(self):  # the name http.server calls
        status, body = self.answers.get(self.path.split("?")[0], (404, b"[]"))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def remote() -> Iterator[dict[str, tuple[int, bytes]]]:
    """A tiny GeoReport server on the loopback that answers whatever a test sets."""
    answers: dict[str, tuple[int, bytes]] = {}
    handler = type("Handler", (_Remote,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    answers["url"] = (0, f"http://127.0.0.1:{server.server_port}/v2".encode())
    yield answers
    server.shutdown()
    server.server_close()


SERVICES = json.dumps([{"service_code": "L1003", "service_name": "Leak"},
                       {"service_code": "X9", "service_name": "Something else"}]).encode()


def _pull(o311, remote):
    return pull(remote["url"][1].decode(), community=o311.community_b)


@pytest.mark.parametrize("status, body, says", [
    (200, b"<html>not json</html>", "did not answer JSON"),
    (200, b'{"a": 1}', "did not answer a GeoReport list"),
    (500, b"Internal error", "answered HTTP 500: Internal error"),
    (400, b'[{"code": "400", "description": "jurisdiction_id was not provided"}]',
     "answered HTTP 400: jurisdiction_id was not provided"),
    (200, b"[" + b" " * (MAX_BYTES + 10) + b"]", "answered more than"),
])
def test_a_bad_answer_is_reported_and_nothing_is_written(o311, remote, status, body, says):
    remote["/v2/services.json"] = (200, SERVICES)
    remote["/v2/requests.json"] = (status, body)
    report = _pull(o311, remote)
    assert says in report.failure
    assert report.summary().startswith("Nothing pulled:")
    assert not Case.objects.exists() and not PulledRequest.objects.exists()


def test_an_unreachable_server_is_reported(o311):
    report = pull("http://127.0.0.1:9/v2", community=o311.community_b)
    assert "could not be read" in report.failure


def test_bad_requests_are_skipped_each_with_a_reason(o311, remote):
    remote["/v2/services.json"] = (200, SERVICES)
    items = [
        {"service_request_id": "r1", "service_code": "L1003", "description": "漏水",
         "lat": 30.58, "long": 114.29, "status": "open"},
        {"service_code": "L1003", "description": "no id"},
        "not even a dict",
        {"service_request_id": "r2", "service_code": "X9", "description": "unmapped"},
        {"service_request_id": "r3", "service_code": "L1003", "status": "closed"},
        {"service_request_id": "r4", "service_code": "L1003", "description": "x" * 5000},
        {"service_request_id": "r5", "service_code": "L1003", "lat": "abc"},
    ]
    remote["/v2/requests.json"] = (200, json.dumps(items).encode())
    report = _pull(o311, remote)
    assert sorted(PulledRequest.objects.values_list("remote_id", flat=True)) == [
        "r1", "r4", "r5"]
    assert report.skipped == [("?", "no usable service_request_id"), ("?", "not a request"),
                              ("r2", "no category for service_code X9"),
                              ("r3", "closed at the source")]
    r1 = PulledRequest.objects.get(remote_id="r1").case
    assert (str(r1.lat), r1.community_id) == ("30.580000", o311.community_b.pk)
    assert len(PulledRequest.objects.get(remote_id="r4").case.description) == MAX_DESCRIPTION
    # r5 had no description: the remote service's name stands in; its bad lat is dropped.
    r5 = PulledRequest.objects.get(remote_id="r5").case
    assert r5.lat is None and r5.description
    again = _pull(o311, remote)
    assert (len(again.new), again.already) == (0, 3)


def test_the_command_needs_one_target(o311):
    with pytest.raises(CommandError, match="one of them"):
        call_command("open311", "pull", "http://127.0.0.1:9/v2")
    with pytest.raises(CommandError, match="Nothing pulled"):
        call_command("open311", "pull", "http://127.0.0.1:9/v2", "--into", JID)


def test_since_is_asked_for_in_spans_of_90_days_the_last_open_ended():
    now = datetime.fromisoformat("2026-12-07T12:00:00+08:00")
    spans = _windows(now - timedelta(days=100), now)
    assert spans == [
        {"start_date": "2026-08-29T12:00:00+08:00", "end_date": "2026-11-27T12:00:00+08:00"},
        {"start_date": "2026-11-27T12:00:00+08:00"}]  # to now and past it: nothing missed
    assert _windows(None) == [{}]
