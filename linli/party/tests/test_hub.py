"""The pages and the API of the members part: who gets what (anonymous → login / 401,
another community → 404, a role without party data → 404, the right role → 200)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.party.models import DualRegistration
from linli.party.services.members import registration_report
from linli.party.services.posts import post_create, service_record
from linli.party.tests import factories as f


@pytest.fixture
def w(world):
    return f.party_world(world)


PAGES = ["/party/", "/party/orgs/", "/party/members/", "/party/members/new/",
         "/party/registrations/", "/party/posts/", "/party/service/", "/party/me/",
         "/party/register/", "/party/orgs/import/"]


def test_party_staff_see_every_page(client, w):
    registration = registration_report(actor=w.mark, employer="江汉区税务局")
    client.force_login(w.pia)
    for url in [*PAGES, f"/party/orgs/{w.branch_a1.pk}/",
                f"/party/members/{w.member_mark.pk}/",
                f"/party/registrations/{registration.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/party/registrations/{registration.pk}/").content.decode()
    assert 'id="act-accept"' in page and 'id="act-decline"' in page
    assert "李志远" in client.get("/party/members/").content.decode()


def test_anonymous_goes_to_login_and_others_get_404(client, w):
    for url in PAGES:
        assert client.get(url).status_code == 302, url
    client.force_login(w.pete)
    for url in (f"/party/orgs/{w.branch_a1.pk}/", f"/party/members/{w.member_mark.pk}/"):
        assert client.get(url).status_code == 404
    client.force_login(w.alice)  # a dispatcher: no party data
    for url in ("/party/members/", f"/party/members/{w.member_mark.pk}/",
                f"/party/orgs/{w.branch_a1.pk}/", "/party/orgs/import/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/party/").status_code == 200


def test_the_hub_shows_each_role_its_links(client, w):
    client.force_login(w.pia)
    page = client.get("/party/").content.decode()
    assert 'id="hub-members"' in page and 'id="hub-tile-registrations"' in page
    client.force_login(w.mark)
    page = client.get("/party/").content.decode()
    assert 'id="hub-me"' in page and 'id="hub-register-link"' in page
    assert 'id="hub-members"' not in page
    client.force_login(w.alice)
    page = client.get("/party/").content.decode()
    assert 'id="hub-meetings"' in page and 'id="hub-me"' not in page


def test_the_register_page_reports_and_staff_accept_it(client, w):
    post = post_create(actor=w.pia, community=w.community_a, name="楼栋长")
    client.force_login(w.mark)
    response = client.post("/party/register/", {"employer": "江汉区税务局",
                                                 "posts": [str(post.pk)]})
    assert response.status_code == 302
    registration = DualRegistration.objects.get()
    client.force_login(w.pia)
    response = client.post(f"/party/registrations/{registration.pk}/act/accept/", {})
    assert response.status_code == 302
    assert w.member_mark.posts.filter(post=post).exists()
    client.force_login(w.pete)
    assert client.post(f"/party/registrations/{registration.pk}/act/end/",
                       {"note": "x"}).status_code == 404


def test_member_forms_join_and_record_service(client, w):
    client.force_login(w.pia)
    response = client.post(f"/party/members/{w.member_mark.pk}/join/",
                           {"organisation": w.branch_a1.pk})
    assert response.status_code == 302
    assert w.member_mark.memberships.filter(organisation=w.branch_a1).exists()
    response = client.post("/party/service/new/", {
        "member": w.member_mark.pk, "served_on": timezone.localdate().isoformat(),
        "hours": "2", "what": "政策宣传"})
    assert response.status_code == 302
    response = client.post("/party/service/new/", {
        "member": w.member_mark.pk, "served_on": timezone.localdate().isoformat(),
        "hours": "30", "what": "政策宣传"})
    assert response.status_code == 400


def test_the_api_serves_party_data_to_staff_and_the_member_only(client, w):
    service_record(actor=w.pia, member=w.member_mark, served_on=timezone.localdate(),
                   hours=2, what="宣传")
    assert client.get("/api/party/members").status_code == 401
    client.force_login(w.pia)
    assert [m["name"] for m in client.get("/api/party/members").json()["items"]] == ["李志远"]
    assert client.get(f"/api/party/organisations/{w.branch_a1.pk}").status_code == 200
    summary = client.get("/api/party/service").json()
    assert summary["total"] == "2.0" or float(summary["total"]) == 2.0
    client.force_login(w.alice)
    assert client.get("/api/party/members").json()["items"] == []
    assert client.get(f"/api/party/members/{w.member_mark.pk}").status_code == 404
    client.force_login(w.mark)
    response = client.post("/api/party/registrations", {"employer": "江汉区税务局"},
                           content_type="application/json")
    assert response.status_code == 201
    reg = response.json()
    assert reg["actions"] == ["withdraw"]
    client.force_login(w.pete)
    assert client.post(f"/api/party/registrations/{reg['id']}/actions/accept", {},
                       content_type="application/json").status_code == 404
    client.force_login(w.pia)
    answer = client.post(f"/api/party/registrations/{reg['id']}/actions/accept", {},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "accepted"


def test_the_member_list_exports_for_party_staff(client, w):
    from linli.core.models import AuditEntry

    client.force_login(w.pia)
    response = client.post(reverse("core:export_new", args=["party_members"]),
                           {"kind": "in_service"})
    assert response.status_code in (200, 302)
    assert AuditEntry.objects.filter(action="party_member.export").exists()
