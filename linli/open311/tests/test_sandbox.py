"""The sandbox: a jurisdiction served only at the test endpoint (/open311/test/v2/), on
a community nobody staffs, listed in discovery beside the production endpoint."""

import pytest
from django.core.management import call_command

from linli.accounts.models import Role
from linli.accounts.tests.factories import assign
from linli.cases.models import Case
from linli.core.errors import ValidationFailed
from linli.core.models import AuditEntry
from linli.open311.models import Jurisdiction
from linli.open311.services import api_key_issue, jurisdiction_save, sandbox_add
from linli.open311.tests.conftest import BASE, JID, both, form, parsed
from linli.orgs.models import Area
from linli.orgs.services import area_insert

TEST = "/open311/test/v2"
SANDBOX = "sandbox.hualou.test"
RESOURCES = ["services", "services/L1003", "requests", "requests/1", "tokens/abc",
             "servicerequestupdates"]


@pytest.fixture
def sandbox(o311):
    o311.sandbox = sandbox_add(actor=None, jurisdiction_id=SANDBOX)
    return o311


def test_add_sandbox_makes_an_unstaffed_tree_outside_the_real_codes(sandbox):
    community = sandbox.sandbox.community
    assert sandbox.sandbox.is_sandbox and not sandbox.sandbox.is_default
    assert community.code.startswith("999999001")
    district = community.ancestors().first()
    assert (district.code, district.name) == ("999999", "Open311 sandbox")
    assert not community.routes.exists()
    saved = AuditEntry.objects.filter(action="open311.jurisdiction_saved")
    assert [e.changes["is_sandbox"] for e in saved.order_by("pk")] == [False, True]


def test_add_sandbox_again_reuses_the_jurisdiction_and_tree(sandbox):
    again = sandbox_add(actor=None, jurisdiction_id=SANDBOX)
    assert again.pk == sandbox.sandbox.pk
    second = sandbox_add(actor=None, jurisdiction_id="sandbox2.test")
    assert second.community.parent_id == sandbox.sandbox.community.parent_id
    assert second.community.code != sandbox.sandbox.community.code
    assert Area.objects.filter(code="999999").count() == 1


def test_add_sandbox_refuses_a_production_id(sandbox):
    with pytest.raises(ValidationFailed):
        sandbox_add(actor=None, jurisdiction_id=JID)


def _lone_tree():
    district = area_insert(kind="district", name="空区", parent=None, code="420199")
    street = area_insert(kind="street", name="空街道", parent=district, code="420199001")
    community = area_insert(kind="community", name="空社区", parent=street,
                            code="420199001001")
    grid = area_insert(kind="grid", name="空网格", parent=community, code="420199001001001")
    return {"district": district, "community": community, "grid": grid}


def test_an_unstaffed_community_may_be_a_sandbox(world):
    community = _lone_tree()["community"]
    row = jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id="sb.test",
                            community=community, is_sandbox=True)
    assert row.is_sandbox


@pytest.mark.parametrize("where", ["district", "community", "grid"])
def test_a_sandbox_on_a_staffed_community_is_refused(world, where):
    """Anyone with a role on it, above it or below it would see the test requests."""
    tree = _lone_tree()
    assign(world.bob, Role.DISPATCHER, tree[where])
    with pytest.raises(ValidationFailed) as raised:
        jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id="sb.test",
                          community=tree["community"], is_sandbox=True)
    assert raised.value.code == "sandbox_staffed"
    assert not Jurisdiction.objects.filter(jurisdiction_id="sb.test").exists()


def test_a_sandbox_cannot_be_the_default(world):
    community = sandbox_add(actor=None, jurisdiction_id="x.test").community
    with pytest.raises(ValidationFailed):
        jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id="y.test",
                          community=community, is_sandbox=True, is_default=True)


@pytest.mark.parametrize("path", RESOURCES)
def test_production_never_serves_a_sandbox(client, sandbox, path):
    response = client.get(f"{BASE}/{path}.json", {"jurisdiction_id": SANDBOX})
    assert response.status_code == 404
    assert parsed(response) == [{"code": "404", "description":
                                 f"jurisdiction_id {SANDBOX} was not found."}]


@pytest.mark.parametrize("path", RESOURCES)
def test_the_test_endpoint_never_serves_production(client, sandbox, path):
    response = client.get(f"{TEST}/{path}.xml", {"jurisdiction_id": JID})
    assert response.status_code == 404


def test_production_without_an_id_still_answers_with_its_only_jurisdiction(client, sandbox):
    assert client.get(f"{BASE}/services.json").status_code == 200


def test_the_test_endpoint_has_every_resource(client, sandbox):
    for path in ["", "discovery.xml", "services.json", "requests.xml",
                 "servicerequestupdates.json"]:
        response = client.get(f"{TEST}/{path}", {"jurisdiction_id": SANDBOX})
        assert response.status_code == 200, path
    assert client.get(f"{TEST}/services/{sandbox.leak.code}.json").status_code == 200


def test_filing_in_the_sandbox_reaches_no_queue(client, sandbox):
    _key, raw = api_key_issue(
        actor=None, app_name="test app", communities=[sandbox.sandbox.community])
    body = form(sandbox, api_key=raw, jurisdiction_id=SANDBOX, lat=None, long=None,
                address_string="测试路1号")
    body["address_id"] = str(sandbox.sandbox.community.pk)
    response = client.post(f"{TEST}/requests.json", body)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=parsed(response)[0]["service_request_id"])
    assert case.community_id == sandbox.sandbox.community.pk
    assert case.unit_id is None
    listed = client.get(f"{TEST}/requests/{case.pk}.json").json()
    assert listed[0]["service_request_id"] == str(case.pk)
    assert client.get(f"{BASE}/requests/{case.pk}.json").status_code == 404
    # The production key of community A may not file into the sandbox.
    refused = client.post(f"{TEST}/requests.json", {**body, "api_key": sandbox.key})
    assert refused.status_code == 403


def test_discovery_lists_both_endpoints_and_the_jurisdictions(client, sandbox):
    xml_response, data = both(client, "discovery")
    assert [(e["type"], e["url"]) for e in data["endpoints"]] == [
        ("production", "http://testserver/open311/v2"),
        ("test", "http://testserver/open311/test/v2")]
    assert data["jurisdictions"] == [
        {"jurisdiction_id": JID, "name": sandbox.community_a.name, "type": "production",
         "default": False},
        {"jurisdiction_id": SANDBOX, "name": sandbox.sandbox.community.name, "type": "test",
         "default": False}]
    assert b"<jurisdictions>\n    <jurisdiction>\n      <jurisdiction_id>hualou.test<" in (
        xml_response.content)


def test_discovery_without_a_sandbox_lists_production_only(client, o311):
    data = client.get("/open311/discovery.json").json()
    assert [e["type"] for e in data["endpoints"]] == ["production"]
    assert [j["jurisdiction_id"] for j in data["jurisdictions"]] == [JID]


def test_the_command_adds_a_sandbox_and_prints_a_key(o311, capsys):
    call_command("open311_jurisdiction", "add-sandbox", SANDBOX, "--key", "街坊")
    out = capsys.readouterr().out
    assert "/open311/test/v2/" in out
    raw = out.strip().splitlines()[-1]
    assert raw.startswith("o311_")
    call_command("open311_jurisdiction", "list")
    assert f"{SANDBOX}  Sandbox {SANDBOX}  sandbox" in capsys.readouterr().out
