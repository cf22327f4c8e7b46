"""Every integer the API reads is bounded in the schema: a 20-digit id, page or count is a
400 naming the field, never a server error. Walks the OpenAPI document, so a new endpoint is
covered the day it is added."""

import re

import pytest

from linli.api import api
from linli.core.bounds import MAX_ID, MAX_PAGE

pytestmark = pytest.mark.django_db
HUGE = "9" * 20
SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]


def _resolve(schema: dict) -> dict:
    if "$ref" in schema:
        return COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_integer(schema: dict) -> bool:
    schema = _resolve(schema)
    return schema.get("type") == "integer" or any(
        _is_integer(s) for s in schema.get("anyOf", []) + schema.get("allOf", []))


def _operations():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def _integer_parameters() -> list:
    return [pytest.param(method, path, param["in"], param["name"],
                         id=f"{method} {path} {param['in']}:{param['name']}")
            for method, path, operation in _operations()
            for param in operation.get("parameters", []) if _is_integer(param["schema"])]


def _integer_body_fields() -> list:
    found = []
    for method, path, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        body = _resolve(content.get("application/json", {}).get("schema", {}))
        for name, field in body.get("properties", {}).items():
            if _is_integer(field):
                found.append(pytest.param(method, path, name, id=f"{method} {path} {name}"))
    return found


def _url(path: str, operation_method: str, target: str | None = None, value: str = HUGE) -> str:
    """The path with `target` set to `value` and every other path parameter a harmless 1/x."""
    params = {p["name"]: p for p in SCHEMA["paths"][path][operation_method].get("parameters", [])
              if p["in"] == "path"}

    def fill(match):
        name = match.group(1)
        if name == target:
            return value
        return "1" if _is_integer(params[name]["schema"]) else "x"

    return re.sub(r"{(\w+)}", fill, path)


def _url_with(method: str, path: str, where: str, name: str, value: str) -> str:
    if where == "path":
        return _url(path, method, name, value)
    return f"{_url(path, method)}?{name}={value}"


def _call(client, method: str, url: str, body: str = "{}"):
    if method == "get":
        return client.get(url)
    return client.generic(method.upper(), url, body, content_type="application/json")


def _as_staff(client, world):
    client.force_login(world.alice)
    client.cookies["linli_language"] = "en"


def _refused_naming(response, name: str) -> bool:
    if response.status_code != 400 or response.json()["code"] != "invalid":
        return False
    return any(d["field"].split(".")[-1] == name for d in response.json()["details"])


def test_the_walk_finds_the_endpoints_of_the_issue():
    names = {(p.values[1], p.values[3]) for p in _integer_parameters()}
    assert ("/api/cases", "page") in names
    assert ("/api/cases", "unit_id") in names
    assert ("/api/accounts/assignments", "user_id") in names
    assert ("/api/orgs/areas", "parent_id") in names
    assert ("/api/people/access-log", "resident_id") in names
    assert ("/api/points/accounts", "community_id") in names
    assert ("/api/cases/{case_id}", "case_id") in names
    assert len({p.values[1] for p in _integer_parameters() if p.values[3] == "page"}) >= 17


@pytest.mark.parametrize(("method", "path", "where", "name"), _integer_parameters())
def test_a_20_digit_parameter_is_refused_with_400(client, world, method, path, where, name):
    _as_staff(client, world)
    url = _url_with(method, path, where, name, HUGE)
    response = _call(client, method, url)
    assert _refused_naming(response, name), (url, response.status_code, response.content)
    assert response.json()["message"] == "Some fields are missing or invalid."


@pytest.mark.parametrize(("method", "path", "name"), _integer_body_fields())
def test_a_20_digit_body_field_is_refused_with_400(client, world, method, path, name):
    _as_staff(client, world)
    response = _call(client, method, _url(path, method), f'{{"{name}": {HUGE}}}')
    assert _refused_naming(response, name), (path, response.status_code, response.content)


def test_every_integer_in_the_schema_has_bounds():
    def bounded(schema):
        schema = _resolve(schema)
        if schema.get("type") == "integer":
            return "minimum" in schema and schema.get("maximum", MAX_ID + 1) <= MAX_ID
        return all(bounded(s) for s in schema.get("anyOf", []))

    unbounded = [(p.values[1], p.values[3]) for p in _integer_parameters()
                 if not bounded(next(q["schema"] for q in SCHEMA["paths"][p.values[1]][
                     p.values[0]]["parameters"] if q["name"] == p.values[3]))]
    unbounded += [(p.values[1], p.values[2]) for p in _integer_body_fields()
                  if not bounded(_resolve(SCHEMA["paths"][p.values[1]][p.values[0]][
                      "requestBody"]["content"]["application/json"]["schema"])[
                      "properties"][p.values[2]])]
    assert unbounded == []


@pytest.mark.parametrize(("method", "path", "where", "name"), _integer_parameters())
def test_the_largest_accepted_value_is_no_server_error(client, world, method, path, where,
                                                        name):
    _as_staff(client, world)
    top = str(MAX_PAGE if name == "page" else MAX_ID)
    url = _url_with(method, path, where, name, top)
    response = _call(client, method, url)
    assert response.status_code < 500, (url, response.content)
