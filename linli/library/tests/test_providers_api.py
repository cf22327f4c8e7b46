"""The providers API: anonymous 401, another community 404, wrong role 403, bad input 400
with nothing changed, and each operation for the right role."""

import pytest
from django.utils import timezone

from linli.library.models import Contribution, Provider
from linli.library.tests.factories import contribution, provider
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db
API = "/api/library"


def post(client, path: str, data=None):
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def put(client, path: str, data=None):
    return client.put(f"{API}{path}", data or {}, content_type="application/json")


def org(world, **fields) -> dict:
    return {"name": "爱心家政", "kind": "agency", "area_id": world.community_a.pk,
            "service_kinds": ["housekeeping"], "skills": "保洁", "modes": ["points"],
            "phone": "027-88886666", **fields}


def gift(**fields) -> dict:
    return {"mode": "donation", "gives": "goods", "amount": "20", "description": "大米二十袋",
            "given_on": timezone.localdate().isoformat(), **fields}


SKILLS = {"title": "老师", "skills": "数学辅导", "service_kinds": ["tutoring"], "consent": True}


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_anonymous_401(client, world):
    p = provider(world)
    c = contribution(p, by=world.alice)
    for response in (client.get(f"{API}/providers"), client.get(f"{API}/providers/{p.pk}"),
                     post(client, "/providers", org(world)), put(client, "/skills", SKILLS),
                     post(client, f"/providers/{p.pk}/contributions", gift()),
                     post(client, f"/contributions/{c.pk}/void", {"reason": "x"})):
        assert response.status_code == 401


def test_other_community_404_and_nothing_changes(client, world):
    p = provider(world, area=world.community_b, actor=world.bob, modes=["donation"])
    c = contribution(p, by=world.bob)
    client.force_login(world.alice)
    assert client.get(f"{API}/providers/{p.pk}").status_code == 404
    assert put(client, f"/providers/{p.pk}", org(world)).status_code == 404
    assert post(client, f"/providers/{p.pk}/withdraw").status_code == 404
    assert post(client, f"/providers/{p.pk}/contributions", gift()).status_code == 404
    assert client.get(f"{API}/providers/{p.pk}/contributions").status_code == 404
    assert post(client, f"/contributions/{c.pk}/void", {"reason": "x"}).status_code == 404
    assert client.get(f"{API}/providers").json()["items"] == []
    p.refresh_from_db()
    assert p.is_active and Contribution.objects.get().voided_at is None


def test_a_resident_may_not_create_an_organisation_403(client, world, rita):
    client.force_login(world.rita)
    answer = post(client, "/providers", org(world))
    assert answer.status_code == 403
    p = provider(world)
    assert post(client, f"/providers/{p.pk}/contributions", gift()).status_code == 403
    assert post(client, f"/providers/{p.pk}/withdraw").status_code == 403
    skilled = post(client, "/providers/skilled", {**SKILLS, "resident_id": rita.pk})
    assert skilled.status_code == 403
    assert Provider.objects.count() == 1


def test_staff_create_update_withdraw_relist(client, world):
    client.force_login(world.alice)
    made = post(client, "/providers", org(world))
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["phone"] == "027-88886666"
    assert post(client, "/providers", org(world, kind="skilled")).status_code == 400
    assert post(client, "/providers", org(world, modes=["x"])).json()["code"] == "bad_mode"
    changed = put(client, f"/providers/{pk}", org(world, name="爱心家政服务社"))
    assert changed.status_code == 200 and changed.json()["name"] == "爱心家政服务社"
    assert post(client, f"/providers/{pk}/withdraw").json()["is_active"] is False
    assert post(client, f"/providers/{pk}/relist").json()["is_active"] is True
    assert client.get(f"{API}/providers?kind=x").status_code == 400
    found = client.get(f"{API}/providers?q=保洁&partners=true").json()["items"]
    assert [p["id"] for p in found] == [pk]


def test_staff_list_a_skilled_resident_only_with_consent(client, world, rita):
    client.force_login(world.alice)
    refused = post(client, "/providers/skilled", {**SKILLS, "consent": False,
                                                  "resident_id": rita.pk})
    assert refused.status_code == 400 and refused.json()["code"] == "consent_required"
    made = post(client, "/providers/skilled", {**SKILLS, "resident_id": rita.pk})
    assert made.status_code == 201 and made.json()["name"] == "李老师"
    assert made.json()["phone"] == "" and made.json()["address"] == ""
    client.force_login(world.bob)
    assert post(client, "/providers/skilled", {**SKILLS, "resident_id": rita.pk}
                ).status_code == 403


def test_a_resident_offers_and_withdraws(client, world, rita):
    client.force_login(world.rita)
    assert client.get(f"{API}/skills").json() is None
    assert put(client, "/skills", {**SKILLS, "consent": False}).status_code == 400
    offered = put(client, "/skills", SKILLS)
    assert offered.status_code == 200 and offered.json()["is_active"] is True
    assert client.get(f"{API}/skills").json()["name"] == "李老师"
    withdrawn = post(client, "/skills/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["is_active"] is False
    assert post(client, "/skills/withdraw").status_code == 400
    client.force_login(world.nobody)
    assert put(client, "/skills", SKILLS).status_code == 403


def test_contributions_record_list_void(client, world, rita):
    p = provider(world, modes=["donation"])
    client.force_login(world.alice)
    made = post(client, f"/providers/{p.pk}/contributions", gift())
    assert made.status_code == 201, made.json()
    assert post(client, f"/providers/{p.pk}/contributions", gift(amount="0")
                ).status_code == 400
    future = gift(given_on=(timezone.localdate().replace(year=2099)).isoformat())
    assert post(client, f"/providers/{p.pk}/contributions", future).json()[
        "code"] == "future_date"
    cid = made.json()["id"]
    assert post(client, f"/contributions/{cid}/void", {"reason": ""}).status_code == 400
    voided = post(client, f"/contributions/{cid}/void", {"reason": "重复录入"})
    assert voided.status_code == 200 and voided.json()["voided_at"]
    detail = client.get(f"{API}/providers/{p.pk}").json()
    assert detail["record"]["totals"] == []
    client.force_login(world.rita)  # a partner's contributions are public to its residents
    listed = client.get(f"{API}/providers/{p.pk}/contributions").json()["items"]
    assert [c["id"] for c in listed] == [cid]
