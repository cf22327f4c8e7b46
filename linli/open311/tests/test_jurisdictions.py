"""jurisdiction_id: one per published community; missing with several → 400 (unless one
is the default), unknown → 404; who may publish a community."""

import pytest

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.open311.models import Jurisdiction
from linli.open311.services import jurisdiction_save
from linli.open311.tests.conftest import BASE, admin_of, both, parsed

ENDPOINTS = ["services", "services/L1003", "requests", "requests/1", "tokens/abc",
             "servicerequestupdates"]


def _publish_b(world, default=False):
    return jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id="shuita.test",
                             community=world.community_b, is_default=default)


def test_the_only_jurisdiction_needs_no_id(client, o311):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert parsed(response)[0]["service_code"] == "L1003"


@pytest.mark.parametrize("path", ENDPOINTS)
def test_missing_id_with_several_jurisdictions_is_400_everywhere(client, o311, path):
    _publish_b(o311)
    xml_response, data = both(client, path)
    assert xml_response.status_code == 400
    assert data == [{"code": "400", "description": "jurisdiction_id was not provided, and "
                                                   "this endpoint serves several "
                                                   "jurisdictions."}]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_unknown_id_is_404_everywhere(client, o311, path):
    xml_response, data = both(client, path, jurisdiction_id="nowhere.test")
    assert xml_response.status_code == 404
    assert data == [{"code": "404", "description": "jurisdiction_id nowhere.test was not "
                                                   "found."}]


def test_the_default_jurisdiction_answers_when_none_is_named(client, o311):
    _publish_b(o311, default=True)
    response = client.get(f"{BASE}/requests.json")
    assert response.status_code == 200


def test_an_inactive_jurisdiction_is_not_found(client, o311):
    Jurisdiction.objects.filter(pk=o311.jurisdiction.pk).update(is_active=False)
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": "hualou.test"})
    assert response.status_code == 404


def test_ids_are_matched_without_regard_to_case(client, o311):
    assert client.get(f"{BASE}/services.json",
                      {"jurisdiction_id": "HuaLou.Test"}).status_code == 200


def test_with_nothing_published_every_endpoint_is_404(client, world):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 404


def test_an_admin_publishes_their_own_community(world):
    admin_a = admin_of("admin_a", world.community_a)
    row = jurisdiction_save(actor=admin_a, jurisdiction=None, jurisdiction_id="hualou.gov.cn",
                            community=world.community_a, is_default=True)
    assert (row.community, row.is_default) == (world.community_a, True)
    entry = AuditEntry.objects.get(action="open311.jurisdiction_saved")
    assert entry.actor == admin_a and entry.area_path == world.community_a.path


@pytest.mark.parametrize("who", ["bob", "rita", "alice", "nobody"])
def test_others_may_not_publish_a_community(world, who):
    with pytest.raises(PermissionDenied):
        jurisdiction_save(actor=getattr(world, who), jurisdiction=None,
                          jurisdiction_id="hualou.gov.cn", community=world.community_a)
    assert Jurisdiction.objects.count() == 0
    assert AuditEntry.objects.filter(action="open311.jurisdiction_saved").count() == 0


def test_a_district_admin_may_publish_any_community_below(world):
    jurisdiction_save(actor=world.ada, jurisdiction=None, jurisdiction_id="a.test",
                      community=world.community_a)
    assert Jurisdiction.objects.count() == 1


def test_bad_ids_taken_ids_and_non_communities_are_refused(o311):
    for jid, area in [("", o311.community_b), ("has space", o311.community_b),
                      ("hualou.test", o311.community_b), ("x.test", o311.grid_a1),
                      ("other.test", o311.community_a)]:
        with pytest.raises(ValidationFailed):
            jurisdiction_save(actor=None, jurisdiction=None, jurisdiction_id=jid,
                              community=area)
    assert list(Jurisdiction.objects.values_list("jurisdiction_id", flat=True)) == [
        "hualou.test"]


def test_taking_the_default_from_another_community_needs_its_admin(o311):
    jurisdiction_save(actor=None, jurisdiction=o311.jurisdiction, jurisdiction_id="hualou.test",
                      community=o311.community_a, is_default=True)
    admin_b = admin_of("admin_b", o311.community_b)
    with pytest.raises(PermissionDenied):
        jurisdiction_save(actor=admin_b, jurisdiction=None, jurisdiction_id="shuita.test",
                          community=o311.community_b, is_default=True)
    assert list(Jurisdiction.objects.values_list("jurisdiction_id", "is_default")) == [
        ("hualou.test", True)]
    jurisdiction_save(actor=o311.ada, jurisdiction=None, jurisdiction_id="shuita.test",
                      community=o311.community_b, is_default=True)
    assert list(Jurisdiction.objects.order_by("jurisdiction_id").values_list(
        "jurisdiction_id", "is_default")) == [("hualou.test", False), ("shuita.test", True)]


def test_errors_are_chinese_unless_the_client_asks_for_english(client, o311):
    from linli.open311.tests.conftest import BASE

    client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    chinese = client.get(f"{BASE}/requests.json?jurisdiction_id=nowhere").json()
    english = client.get(f"{BASE}/requests.json?jurisdiction_id=nowhere",
                         HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").json()
    assert chinese[0]["code"] == english[0]["code"] == "404"
    assert chinese[0]["description"] != english[0]["description"]
    assert english[0]["description"].isascii()
