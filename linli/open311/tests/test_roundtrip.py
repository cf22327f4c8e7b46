"""The issue's "done when": a generic GeoReport v2 client (the `georeport` package from
PyPI) pointed at the demo community lists services, files a request that appears in the
dispatcher's queue, and follows it to closed, over real HTTP against the live test server.

`georeport` reads (services, definitions, requests) but has no call to create one, so the
request is POSTed form-encoded with httpx, exactly as the spec describes the call.
"""

from typing import Any

import httpx
import pytest
from georeport import GeoReport

from linli.accounts.models import User
from linli.cases.models import State
from linli.cases.selectors import case_list
from linli.cases.services import case_transition
from linli.open311.demo import DEMO_JURISDICTION
from linli.open311.services import api_key_issue
from linli.orgs.models import Area, Unit

pytestmark = pytest.mark.usefixtures("transactional_db")


def _walk_to_closed(case_id: int) -> None:
    """What the dispatcher, the property unit and the grid worker do in Linli."""
    people = {name: User.objects.get(username=name)
              for name in ("dispatcher", "property", "grid")}
    case = case_list(actor=people["dispatcher"]).get(pk=case_id)
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("dispatcher", "accept", {}),
        ("dispatcher", "dispatch", {"unit": Unit.objects.get(name="花楼物业服务中心")}),
        ("property", "acknowledge", {}), ("property", "resolve", {"note": "已修复电梯"}),
        ("grid", "verify", {}), ("dispatcher", "close", {})]
    for who, action, data in steps:
        case = case_transition(actor=people[who], case=case, action=action, **data)
    assert case.state == State.CLOSED


@pytest.mark.usefixtures("demo_committed")
def test_a_georeport_client_files_and_follows_a_request(live_server):
    # The demo publishes 花楼社区 as the demo jurisdiction.
    community = Area.objects.get(kind="community", name="花楼社区")
    _key, raw = api_key_issue(actor=None, app_name="GeoReport client", communities=[community])
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction=DEMO_JURISDICTION, api_key=raw)
    xml_client = GeoReport(root, jurisdiction=DEMO_JURISDICTION, output_format="xml")

    services = {s["service_code"]: s for s in client.get_service_list()}
    assert services["01076"]["metadata"] is True
    assert {s["service_code"] for s in xml_client.get_service_list()} == set(services)
    definition = client.get_service_definition("01076")
    assert [a["code"] for a in definition["attributes"]] == ["trapped"]
    assert xml_client.get_service_definition("01076")["attributes"]["attribute"]["code"] == (
        "trapped")

    estate = Area.objects.filter(kind="estate", parent__name="花楼第一网格").first()
    assert estate is not None
    answer = httpx.post(f"{root}/requests.json", timeout=10, data={
        "api_key": raw, "jurisdiction_id": DEMO_JURISDICTION, "service_code": "01076",
        "address_id": str(estate.pk), "description": "3栋电梯停在两层之间",
        "attribute[trapped]": "no", "first_name": "明", "last_name": "王"})
    assert answer.status_code == 201
    request_id = answer.json()[0]["service_request_id"]
    dispatcher = User.objects.get(username="dispatcher")
    assert case_list(actor=dispatcher).filter(pk=request_id, state=State.REPORTED).exists()
    assert client.get_service_request(request_id)["status"] == "open"

    _walk_to_closed(int(request_id))

    closed = client.get_service_request(request_id)
    assert (closed["service_request_id"], closed["status"]) == (request_id, "closed")
    assert closed["agency_responsible"] == "花楼物业服务中心"
    assert xml_client.get_service_request(request_id)["status"] == "closed"
    listed = client.get_service_requests(service_request_id=request_id, status="open")
    assert [(r["service_request_id"], r["status"]) for r in listed] == [(request_id, "closed")]
    assert [r["service_request_id"] for r in client.get_service_requests(
        status="closed", service_code="01076") if r["service_request_id"] == request_id] == [
        request_id]
