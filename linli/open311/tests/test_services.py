"""Discovery, the service list and service definitions, in both formats (GeoReport v2)."""

from django.test import Client

from linli.cases.models import Category
from linli.cases.tests.factories import category
from linli.open311.tests.conftest import BASE, JID, both, form, parsed


def test_discovery_lists_the_v2_endpoint_in_both_formats(client, o311):
    for path in ("/open311/discovery", f"{BASE}/discovery"):
        xml_response = client.get(f"{path}.xml")
        data = parsed(client.get(f"{path}.json"))
        assert xml_response.status_code == 200
        assert xml_response["Content-Type"] == "text/xml; charset=utf-8"
        assert parsed(xml_response)["endpoints"][0]["formats"] == [
            "text/xml", "application/json"]
        assert data["endpoints"] == [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2", "changeset": data["changeset"],
            "type": "production", "formats": ["text/xml", "application/json"]}]
        assert set(data) == {"changeset", "contact", "key_service", "endpoints",
                             "jurisdictions"}


def test_the_base_url_shows_discovery(client, o311):
    response = client.get(f"{BASE}/")
    assert response.status_code == 200
    assert parsed(response)["endpoints"][0]["url"] == "http://testserver/open311/v2"


def test_service_list_is_the_public_leaf_categories(client, o311):
    category("L2001", name_zh="噪音扰民", name_en="Noise")
    category("L2002", name_zh="内部事项", name_en="Internal", is_public=False)
    category("L2003", name_zh="停用", name_en="Retired", is_active=False)
    _xml, data = both(client, "services", jurisdiction_id=JID)
    assert data == [
        {"service_code": "L1003", "service_name": "Pipe leak",
         "description": "管道漏水 / Pipe leak",
         "metadata": True, "type": "realtime", "keywords": "管道漏水, Pipe leak, L1003",
         "group": "分组"},
        {"service_code": "L2001", "service_name": "Noise", "description": "噪音扰民 / Noise",
         "metadata": False, "type": "realtime", "keywords": "噪音扰民, Noise, L2001",
         "group": "分组"},
    ]
    assert Category.objects.filter(code="L2").exists()  # the group itself is not a service


def test_service_names_follow_the_language_asked_for(client, o311):
    data = parsed(client.get(f"{BASE}/services.json", {"lang": "en"}))
    assert data[0]["service_name"] == "Pipe leak"


def test_service_definition_lists_the_questions(client, o311):
    _xml, data = both(client, f"services/{o311.leak.code}", jurisdiction_id=JID)
    assert data == {"service_code": "L1003", "attributes": [
        {"variable": True, "code": "floor", "datatype": "singlevaluelist", "required": True,
         "datatype_description": None, "order": 1, "description": "Which floor?",
         "values": [{"key": "1", "name": "一楼"}, {"key": "2", "name": "二楼"}]},
        {"variable": True, "code": "where", "datatype": "multivaluelist", "required": False,
         "datatype_description": None, "order": 2, "description": "Where is the water?",
         "values": [{"key": "kitchen", "name": "厨房"}, {"key": "bath", "name": "卫生间"}]},
    ]}


def test_service_definition_of_a_category_without_questions_is_empty(client, o311):
    category("L2001", name_zh="噪音扰民")
    _xml, data = both(client, "services/L2001")
    assert data == {"service_code": "L2001", "attributes": []}


def test_unknown_group_or_private_service_is_404_in_both_formats(client, o311):
    category("L2002", name_zh="内部事项", is_public=False)
    for code in ("NOPE", "L1", "L2002"):
        xml_response, data = both(client, f"services/{code}")
        assert xml_response.status_code == 404
        assert data == [{"code": "404", "description": f"service_code {code} was not found."}]


def test_unknown_resource_and_format_are_404_error_lists(client, o311):
    assert client.get(f"{BASE}/services.html").status_code == 404
    response = client.get(f"{BASE}/nothing.json")
    assert response.status_code == 404
    assert parsed(response) == [{"code": "404", "description": "There is no such Open311 "
                                                                 "resource."}]
    assert parsed(client.get(f"{BASE}/requests/abc.xml"))[0]["code"] == "404"


def test_other_methods_are_refused_with_the_error_list(client, o311):
    response = client.post(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert parsed(response) == [{"code": "405", "description": "POST is not allowed here."}]
    assert client.delete(f"{BASE}/requests.xml")["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_head_answers_with_the_headers_of_get(client, o311):
    got = client.get(f"{BASE}/services.xml")
    head = client.head(f"{BASE}/services.xml")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert head["Content-Length"] == str(len(got.content))


def test_scripts_on_other_sites_may_read_but_not_file(client, o311):
    """Dashboards in a browser read the public data (CORS); filing is not opened to web
    pages, where the api_key would be visible to everyone."""
    for path in ("discovery.json", "services.xml", "requests.json", "nothing.json"):
        assert client.get(f"{BASE}/{path}")["Access-Control-Allow-Origin"] == "*"
    assert not client.post(f"{BASE}/requests.json", form(o311)).has_header(
        "Access-Control-Allow-Origin")


def test_a_post_to_an_unknown_resource_is_a_404_error_list(client, o311):
    response = Client(enforce_csrf_checks=True).post(f"{BASE}/nothing.xml", {"a": "b"})
    assert response.status_code == 404
    assert parsed(response)[0]["code"] == "404"


def test_posting_a_request_needs_no_csrf_token(o311):
    response = Client(enforce_csrf_checks=True).post(f"{BASE}/requests.json", form(o311))
    assert response.status_code == 201
