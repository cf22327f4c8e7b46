"""The providers pages: the list and its filters, one provider with its record, staff's
forms (an organisation, a skilled resident with paper consent), contributions and their
voiding, a resident's skills page; another community's provider answers 404."""

import pytest
from django.utils import timezone

from linli.library.models import Contribution, Provider
from linli.library.tests.factories import contribution, provider
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(world):
    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_list_filters_and_resident_sees_listed_only(client, world, rita):
    provider(world, name="巧手维修", kind="shop", service_kinds=["repair"], skills="水电维修",
             phone="027-1234")
    provider(world, name="停业诊所", is_active=False)
    client.force_login(world.rita)
    page = client.get("/library/providers/?q=水电").content.decode()
    assert "巧手维修" in page and "tel:027-1234" in page
    assert "停业诊所" not in client.get("/library/providers/").content.decode()
    assert "巧手维修" not in client.get("/library/providers/?q=数学").content.decode()
    assert client.get("/library/providers/?kind=zzz").status_code == 200
    client.force_login(world.alice)
    assert "停业诊所" in client.get("/library/providers/").content.decode()


def test_detail_and_other_community_404(client, world, rita):
    mine = provider(world, name="武汉市第一医院", modes=["naming", "service"], phone="027-1")
    contribution(mine, by=world.alice, amount=6, description="义诊六小时")
    theirs = provider(world, area=world.community_b, actor=world.bob)
    client.force_login(world.rita)
    page = client.get(f"/library/providers/{mine.pk}/").content.decode()
    assert "义诊六小时" in page and "honorary naming" in page and "contribution-form" not in page
    assert client.get(f"/library/providers/{theirs.pk}/").status_code == 404
    assert client.post(f"/library/providers/{theirs.pk}/withdraw/").status_code == 404
    client.force_login(world.alice)
    assert client.get(f"/library/providers/{theirs.pk}/").status_code == 404
    assert client.get(f"/library/providers/{theirs.pk}/edit/").status_code == 404
    assert "contribution-form" in client.get(f"/library/providers/{mine.pk}/").content.decode()


def test_staff_create_an_organisation(client, world):
    client.force_login(world.alice)
    assert client.get("/library/providers/new/").status_code == 200
    answer = client.post("/library/providers/new/", {
        "name": "爱家超市", "kind": "shop", "area": world.community_a.pk,
        "service_kinds": ["other"], "modes": ["points", "donation"], "skills": "送货上门",
        "phone": "027-5555", "unit": world.unit_a.pk})
    made = Provider.objects.get()
    assert answer.status_code == 302 and made.modes == ["points", "donation"]
    assert made.unit == world.unit_a
    refused = client.post("/library/providers/new/", {"name": "x", "kind": "shop",
                                                      "area": world.community_b.pk})
    assert refused.status_code == 403 and Provider.objects.count() == 1
    edit = client.post(f"/library/providers/{made.pk}/edit/", {
        "name": "爱家超市花楼店", "kind": "shop", "area": world.community_a.pk})
    assert edit.status_code == 302
    made.refresh_from_db()
    assert made.name == "爱家超市花楼店"


def test_a_resident_may_not_open_staff_forms(client, world, rita):
    client.force_login(world.rita)
    assert client.get("/library/providers/new/").status_code == 404
    assert client.get("/library/providers/new/skilled/").status_code == 404


def test_staff_list_a_skilled_resident_with_paper_consent(client, world, rita):
    client.force_login(world.alice)
    found = client.get("/library/providers/new/skilled/?who=李").content.decode()
    assert f'id="resident-{rita.pk}"' in found and "李丽" not in found  # masked
    data = {"resident": rita.pk, "title": "老师", "skills": "数学辅导"}
    refused = client.post("/library/providers/new/skilled/", data)
    assert refused.status_code == 400 and not Provider.objects.exists()
    answer = client.post("/library/providers/new/skilled/", {**data, "consent": "1"})
    assert answer.status_code == 302
    made = Provider.objects.get()
    assert made.name == "李老师" and made.consent_via == "paper"
    client.force_login(world.bob)
    assert client.get("/library/providers/new/skilled/?who=李").content.decode().count(
        'name="resident"') == 0


def test_contribution_record_and_void(client, world):
    p = provider(world, modes=["donation"])
    client.force_login(world.alice)
    today = timezone.localdate().isoformat()
    bad = client.post(f"/library/providers/{p.pk}/contributions/", {
        "mode": "donation", "gives": "goods", "amount": "0", "description": "米",
        "given_on": today})
    assert bad.status_code == 400 and not Contribution.objects.exists()
    ok = client.post(f"/library/providers/{p.pk}/contributions/", {
        "mode": "donation", "gives": "goods", "amount": "20", "description": "大米二十袋",
        "given_on": today})
    assert ok.status_code == 302
    row = Contribution.objects.get()
    assert client.post(f"/library/contributions/{row.pk}/void/", {"reason": ""}
                       ).status_code == 400
    assert client.post(f"/library/contributions/{row.pk}/void/", {"reason": "录错"}
                       ).status_code == 302
    page = client.get(f"/library/providers/{p.pk}/").content.decode()
    assert f'id="contribution-voided-{row.pk}"' in page and "<s>" in page
    assert client.get(f"/library/contributions/{row.pk}/void/").status_code == 405


def test_a_resident_offers_and_withdraws_skills(client, world, rita):
    client.force_login(world.rita)
    assert "skills-form" in client.get("/library/skills/").content.decode()
    data = {"title": "老师", "skills": "数学辅导", "service_kinds": ["tutoring"]}
    assert client.post("/library/skills/", data).status_code == 400
    assert client.post("/library/skills/", {**data, "consent": "1"}).status_code == 302
    assert Provider.objects.get().is_active
    assert "skills-listed" in client.get("/library/skills/").content.decode()
    client.post("/library/skills/withdraw/")
    assert not Provider.objects.get().is_active
    client.force_login(world.nobody)
    assert "skills-no-record" in client.get("/library/skills/").content.decode()
