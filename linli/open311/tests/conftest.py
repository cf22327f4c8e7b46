"""Open311 fixtures: the standard world with coordinates, community A published as
jurisdiction "hualou.test", the pipe-leak category with one question, and an app key."""

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any, cast

import pytest
from django.utils import translation

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Route
from linli.cases.tests.factories import category
from linli.open311.models import Datatype
from linli.open311.render import ITEM
from linli.open311.services import api_key_issue, attribute_save, jurisdiction_save
from linli.orgs.models import Area

BASE = "/open311/v2"
JID = "hualou.test"


def place(area: Area, lat: str, lng: str) -> None:
    Area.objects.filter(pk=area.pk).update(lat=Decimal(lat), lng=Decimal(lng))
    area.refresh_from_db()


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the spec's English messages: ask for English the way a GeoReport
    client does (Accept-Language); calls outside a request run in English too."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def o311(world):
    """`world` plus: centres for community A, its grids and estate; jurisdiction A;
    the leak category (routed to unit A) with a required single-choice question and an
    optional multi-choice one; `world.key` (raw) and `world.api_key` (row) for A."""
    place(world.community_a, "30.580000", "114.290000")
    place(world.grid_a1, "30.582000", "114.292000")
    place(world.estate_a, "30.583000", "114.293000")
    place(world.grid_a2, "30.575000", "114.285000")
    world.leak = category()
    Route.objects.create(category=world.leak, area=world.community_a, unit=world.unit_a)
    attribute_save(actor=None, attribute=None, category=world.leak, code="floor",
                   datatype=Datatype.SINGLE, required=True, order=1,
                   description="Which floor?",
                   values=[{"key": "1", "name": "一楼"}, {"key": "2", "name": "二楼"}])
    attribute_save(actor=None, attribute=None, category=world.leak, code="where",
                   datatype=Datatype.MULTI, order=2, description="Where is the water?",
                   values=[{"key": "kitchen", "name": "厨房"}, {"key": "bath", "name": "卫生间"}])
    world.jurisdiction = jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id=JID,
                                           community=world.community_a)
    world.api_key, world.key = api_key_issue(actor=None, app_name="街坊",
                                             communities=[world.community_a])
    return world


def admin_of(username: str, area: Area) -> User:
    user = cast(User, UserFactory(username=username))
    assign(user, Role.ADMIN, area)
    return user


def form(world, **overrides) -> dict[str, Any]:
    """A valid POST body for the leak category in community A."""
    body: dict[str, Any] = {
        "api_key": world.key, "jurisdiction_id": JID, "service_code": world.leak.code,
        "lat": "30.583100", "long": "114.293100", "description": "楼道水管漏水",
        "attribute[floor]": "2", "first_name": "小明", "last_name": "王",
        "email": "wang@example.com", "phone": "13612345678",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _element(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        text = (element.text or "").strip()
        return [] if element.tag in ITEM and not text else element.text or ""
    if element.tag in ITEM and all(child.tag == ITEM[element.tag] for child in children):
        return [_element(child) for child in children]
    return {child.tag: _element(child) for child in children}


def parsed(response) -> Any:
    """The answer as Python data, whichever format it came in."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    return _element(ET.fromstring(response.content))


def as_text(value: Any) -> Any:
    """JSON data as the XML carries it: everything a string, null empty."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def both(client, path: str, **params) -> tuple[Any, Any]:
    """GET `path` in XML and JSON; assert the two carry the same data; return them."""
    xml_response = client.get(f"{BASE}/{path}.xml", params)
    json_response = client.get(f"{BASE}/{path}.json", params)
    assert xml_response.status_code == json_response.status_code
    assert xml_response["Content-Type"] == "text/xml; charset=utf-8"
    assert json_response["Content-Type"] == "application/json; charset=utf-8"
    assert xml_response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<')
    assert b"xmlns" not in xml_response.content
    json_data = parsed(json_response)
    assert parsed(xml_response) == as_text(json_data)
    return xml_response, json_data
