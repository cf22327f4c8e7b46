"""Writing GeoReport v2 answers as XML (the required format) or JSON.

Both are made from the same Python data: a list becomes repeated elements named after
its container (`services` holds `service`s), a dict becomes child elements. XML carries
the UTF-8 declaration and no namespace, as the spec asks; JSON follows the same shape.
"""

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

from linli.core.errors import ApplicationError

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
FORMATS = ("xml", "json")

# The element name of one item in each list.
ITEM = {
    "services": "service", "service_requests": "request", "attributes": "attribute",
    "values": "value", "errors": "error", "endpoints": "endpoint", "formats": "format",
    "notes": "note", "service_request_updates": "request_update", "media_urls": "media_url",
    "jurisdictions": "jurisdiction",
}

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        for item in value:
            _append(element, ITEM[name], item)
    else:
        element.text = _text(value)


def to_xml(root_name: str, data: list | dict) -> bytes:
    root = ET.Element(root_name)
    if isinstance(data, list):
        for item in data:
            _append(root, ITEM[root_name], item)
    else:
        for key, value in data.items():
            _append(root, key, value)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, root_name: str, data: list | dict, status: int = 200) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return HttpResponse(body, status=status, content_type=JSON_TYPE)
    return HttpResponse(to_xml(root_name, data), status=status, content_type=XML_TYPE)


def error_response(fmt: str, error: ApplicationError) -> HttpResponse:
    """The spec's error list. Each code is the HTTP status as a string; a refusal with
    several problems (bad attributes, say) lists each one."""
    problems = error.details if isinstance(error.details, list) and error.details else [
        error.message]
    data = [{"code": str(error.status), "description": str(p)} for p in problems]
    return respond(fmt, "errors", data, status=error.status)
