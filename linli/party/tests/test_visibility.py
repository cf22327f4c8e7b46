"""The party-data visibility rule on every endpoint that serves party data: membership,
registrations, posts held, service hours, contact households and visits are seen only by
party-work staff of the place and the member themselves. The community's own dispatcher,
grid worker, leader, administrator, a resident and a unit's member get a 404 on every
such page and API object, and an empty list from every such API list; party-work staff of
another community too. Joint work is walked for its wider readers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.accounts.models import Role
from linli.accounts.tests.factories import UserFactory, assign
from linli.party.models import DualRegistration, Post, ServiceRecord
from linli.party.tests import factories as f
from linli.people.models import Household


@pytest.fixture
def w(world):
    w = f.party_world(world)
    f.join(w.member_mark, w.branch_a1)
    home = Household.objects.get(pk=w.member_mark.resident.household_id)
    w.contact = f.contact(w.member_mark, home, w.branch_a1)
    today = timezone.localdate()
    w.registration = DualRegistration.objects.create(
        member=w.member_mark, community=w.community_a, area_path=w.community_a.path,
        reported_on=today)
    w.post = Post.objects.create(community=w.community_a, area_path=w.community_a.path,
                                 name="楼栋长")
    ServiceRecord.objects.create(member=w.member_mark, served_on=today, hours=2, what="值守",
                                 area_path=w.community_a.path, recorded_by=w.pia)
    w.ada_a = UserFactory(username="ada_a")
    assign(w.ada_a, Role.ADMIN, w.community_a)
    return w


def _outsiders(w):
    """Everyone of community A or above who is not party staff nor the member."""
    return {"dispatcher": w.alice, "grid worker": w.gina, "leader": w.leo,
            "district admin": w.ada, "community admin": w.ada_a, "resident": w.rita,
            "unit member": w.uma, "no role": w.nobody}


def _party_lists() -> list[str]:
    return [reverse("party:orgs"), reverse("party:org_import"), reverse("party:members"),
            reverse("party:registrations"), reverse("party:posts"), reverse("party:service"),
            reverse("party:contacts"), reverse("party:contact_rates"),
            reverse("party:contact_assign")]


def _party_objects(w) -> list[str]:
    return [reverse("party:org", args=[w.branch_a1.pk]),
            reverse("party:member", args=[w.member_mark.pk]),
            reverse("party:registration", args=[w.registration.pk]),
            reverse("party:contact", args=[w.contact.pk]),
            reverse("party:contact_visit", args=[w.contact.pk])]


def _party_pages(w) -> list[str]:
    return _party_lists() + _party_objects(w)


def _party_api_objects(w) -> list[str]:
    return [f"/api/party/members/{w.member_mark.pk}",
            f"/api/party/organisations/{w.branch_a1.pk}",
            f"/api/party/registrations/{w.registration.pk}",
            f"/api/party/contacts/{w.contact.pk}/visits"]


PARTY_API_LISTS = ["/api/party/members", "/api/party/organisations",
                   "/api/party/registrations", "/api/party/contacts", "/api/party/posts",
                   "/api/party/service", "/api/party/contact-rates"]


def _empty(response) -> bool:
    """Refused, or an answer with no party data in it: no member named, no rows."""
    if response.status_code in (403, 404):
        return True
    body = response.json()
    if isinstance(body, dict):
        rows = [v for k, v in body.items() if k in ("items", "members", "rates")]
    else:
        rows = [body]
    return (response.status_code == 200 and "李志远" not in response.content.decode()
            and not any(rows))


def test_party_pages_are_404_to_everyone_but_party_staff_and_the_member(client, w):
    for who, actor in _outsiders(w).items():
        client.force_login(actor)
        seen = {url: client.get(url).status_code for url in _party_pages(w)}
        assert {url: code for url, code in seen.items() if code != 404} == {}, who
    client.force_login(w.pia)
    for url in _party_pages(w):
        assert client.get(url).status_code == 200, url


def test_party_staff_of_another_community_see_none_of_it(client, w):
    client.force_login(w.pete)
    for url in _party_objects(w):
        assert client.get(url).status_code == 404, url
    for url in _party_lists():
        page = client.get(url)
        assert page.status_code == 200 and "李志远" not in page.content.decode(), url
    for url in _party_api_objects(w):
        assert client.get(url).status_code == 404, url
    for url in PARTY_API_LISTS:
        assert "李志远" not in client.get(url).content.decode(), url


def test_party_api_objects_are_404_and_lists_empty_to_outsiders(client, w):
    for who, actor in _outsiders(w).items():
        client.force_login(actor)
        for url in _party_api_objects(w):
            assert client.get(url).status_code == 404, (who, url)
        for url in PARTY_API_LISTS:
            assert _empty(client.get(url)), (who, url)
    client.force_login(w.pia)
    for url in _party_api_objects(w):
        assert client.get(url).status_code == 200, url
    assert not _empty(client.get("/api/party/members"))


def test_the_member_sees_their_own_party_data_only(client, w):
    other = f.member(w, name="党员 王芳")
    client.force_login(w.mark)
    assert client.get(reverse("party:member", args=[w.member_mark.pk])).status_code in (
        200, 302, 404)  # their page is party:me
    assert client.get(reverse("party:me")).status_code == 200
    assert client.get(reverse("party:contact", args=[w.contact.pk])).status_code == 200
    assert client.get(reverse("party:registration",
                              args=[w.registration.pk])).status_code == 200
    assert client.get(reverse("party:member", args=[other.pk])).status_code == 404
    assert client.get(f"/api/party/members/{other.pk}").status_code == 404
    listed = client.get("/api/party/members").json()
    items = listed.get("items", listed) if isinstance(listed, dict) else listed
    assert [m["id"] for m in items] in ([w.member_mark.pk], [])


def test_joint_work_pages_answer_their_readers_and_404_to_others(client, w):
    joint = f.joint(w)
    meeting = f.meeting(w, joint, by=w.pia)
    pages = [reverse("party:joint"), reverse("party:meetings"),
             reverse("party:meeting", args=[meeting.pk]), reverse("party:resolutions"),
             reverse("party:solved"), reverse("party:agreements")]
    for actor in (w.pia, w.alice, w.leo):
        client.force_login(actor)
        for url in pages:
            assert client.get(url).status_code == 200, (actor, url)
    for actor in (w.rita, w.nobody, w.pete):
        client.force_login(actor)
        assert client.get(reverse("party:meeting", args=[meeting.pk])).status_code == 404
    client.force_login(w.rita)
    for url in pages:
        assert client.get(url).status_code == 404, url
