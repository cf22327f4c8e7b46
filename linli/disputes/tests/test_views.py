"""The dispute pages through the Django test client: who may open the list, the register
form and the dispute page; registering (with outsiders, a registry resident, from a case);
refusals with their status and reason, and nothing written. The forms on the dispute page
are in test_views_actions.py."""

import re
from typing import cast

import pytest

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.services import case_report
from linli.cases.tests.factories import category
from linli.cases.tests.viewtools import body, login_as, refused
from linli.core.models import AuditEntry
from linli.disputes.models import Dispute, Grade, Party, Source
from linli.disputes.tests.factories import dispute, mediator
from linli.people.tests.factories import resident

pytestmark = pytest.mark.django_db

PAGES = ["/disputes/", "/disputes/new/", "/disputes/new/residents/?q=王"]


def _form(**overrides) -> dict:
    """A filled register form for community A's building, with two outsiders."""
    return {"kind": "neighbour", "summary": "楼上漏水，楼下要求赔偿", "people_involved": "2",
            "source": Source.DAILY_REPORT, "party_rows": "2",
            "party-0-role": "applicant", "party-0-who": "outsider",
            "party-0-name": "王大伟", "party-0-phone": "13900001111",
            "party-1-role": "respondent", "party-1-who": "outsider",
            "party-1-name": "李小红", "party-1-phone": "13900002222",
            "party-1-id_number": "420103199001011232", "area": "__building__"} | overrides


def _post(client, world, **overrides):
    data = _form(**overrides)
    if data.get("area") == "__building__":
        data["area"] = str(world.building_a.pk)
    return client.post("/disputes/new/", data)


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_cannot_open_a_dispute_or_register(client, world):
    d = dispute(world)
    assert client.get(f"/disputes/{d.pk}/").status_code == 302
    assert client.post("/disputes/new/", _form(area=str(world.building_a.pk))).status_code \
        in (302, 403)
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize("who", ["rita", "nobody", "ada"])
def test_the_list_does_not_exist_for_non_staff(client, world, who):
    login_as(client, getattr(world, who))
    assert client.get("/disputes/").status_code == 404


def test_register_page_is_refused_to_non_staff(client, world):
    login_as(client, world.rita)
    response = client.get("/disputes/new/")
    assert response.status_code == 403 and "register disputes" in refused(response)[1]


def test_list_shows_own_disputes_with_grade_badge_and_filters(client, world):
    mine = dispute(world, people_involved=6)
    other = dispute(world, actor=world.bob, area=world.dwelling_b.parent)
    login_as(client, world.alice)
    response = client.get("/disputes/")
    page = body(response)
    assert response.status_code == 200
    assert mine.number in page and other.number not in page
    assert "grade-yellow" in page
    assert mine.number not in body(client.get("/disputes/?grade=green"))
    assert mine.number in body(client.get("/disputes/?grade=yellow&open=1&q=漏水"))
    assert mine.number not in body(client.get("/disputes/?state=closed"))


def test_list_hides_parties(client, world):
    dispute(world)
    login_as(client, world.alice)
    page = body(client.get("/disputes/"))
    assert "王大伟" not in page and "13900000000" not in page


def test_bad_filter_is_400_with_the_reason(client, world):
    dispute(world)
    login_as(client, world.alice)
    response = client.get("/disputes/?since=yesterday&grade=purple")
    assert response.status_code == 400 and 'id="filter-error"' in body(response)


def test_grid_worker_registers_with_two_outsiders(client, world):
    login_as(client, world.gina)
    response = _post(client, world)
    d = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/disputes/{d.pk}/"
    assert d.parties.count() == 2 and d.registered_by == world.gina
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert "王*伟" in page and "王大伟" not in page and "13900001111" not in page
    assert "420103199001011232" not in page
    assert 'data-grade="green"' in page


def test_grade_and_reasons_in_words_after_a_repeat(client, world):
    dispute(world, parties=None)  # the same two outsiders as _form's
    login_as(client, world.gina)
    _post(client, world, **{"party-0-phone": "13900000000", "party-1-phone": "13900000001",
                            "party-1-name": "李小红", "party-1-id_number": "",
                            "people_involved": "6"})
    d = Dispute.objects.latest("id")
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert d.grade == Grade.RED
    assert "6 or more people" not in page  # the shipped threshold is 5
    assert "5 or more people involved" in page
    assert "Again between the same parties within 90 days" in page


def test_registry_resident_is_found_masked_and_picked(client, world):
    neighbour = resident(world.alice, world.dwelling_a, name="张秀兰")
    login_as(client, world.gina)
    found = body(client.get("/disputes/new/residents/?party-0-search=秀兰&row=0"))
    assert "张*兰" in found and "张秀兰" not in found
    assert f'name="party-0-resident" value="{neighbour.pk}"' in found
    response = _post(client, world, **{"party-0-who": "resident",
                                       "party-0-resident": str(neighbour.pk)})
    assert response.status_code == 302
    assert Party.objects.get(position=0).resident == neighbour


def test_a_mediator_finds_residents_of_their_community(client, world):
    """Mediators keep no registry, yet they name the parties of the disputes they take."""
    resident(world.alice, world.dwelling_a, name="张秀兰")
    resident(world.bob, world.dwelling_b, name="张水塔")
    login_as(client, mediator(world))
    found = body(client.get("/disputes/new/residents/?q=张"))
    assert "张*兰" in found and "张*塔" not in found and "张秀兰" not in found


def test_resident_search_refuses_numbers_and_other_communities(client, world):
    resident(world.bob, world.dwelling_b, name="赵水塔")
    login_as(client, world.gina)
    assert "赵" not in body(client.get("/disputes/new/residents/?q=赵水塔"))
    assert "Search by name" in body(client.get("/disputes/new/residents/?q=13900001111"))


def test_party_outside_scope_is_400_and_nothing_written(client, world):
    stranger = resident(world.bob, world.dwelling_b, name="赵水塔")
    login_as(client, world.gina)
    audit_before = AuditEntry.objects.count()
    response = _post(client, world, **{"party-0-who": "resident",
                                       "party-0-resident": str(stranger.pk)})
    assert response.status_code == 400
    assert "not a resident of your areas" in body(response)
    assert not Dispute.objects.exists() and not Party.objects.exists()
    assert AuditEntry.objects.filter(action="dispute.register").count() == 0
    assert AuditEntry.objects.count() >= audit_before


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"kind": ""}, "Choose the type of dispute."),
    ({"summary": ""}, "Describe the dispute."),
    ({"people_involved": "0"}, ""),
    ({"party-0-name": "", "party-0-phone": "", "party-1-name": "", "party-1-phone": "",
      "party-1-id_number": ""}, "Name at least one party."),
    ({"party-0-who": "resident"}, "pick the resident"),
])
def test_bad_input_is_400_with_the_reason_and_kept(client, world, overrides, reason):
    login_as(client, world.gina)
    response = _post(client, world, **overrides)
    assert response.status_code == 400 and reason in body(response)
    assert 'id="dispute-error"' in body(response)
    assert not Dispute.objects.exists()


def test_place_of_another_community_is_refused(client, world):
    login_as(client, world.gina)
    response = _post(client, world, area=str(world.dwelling_b.pk))
    assert response.status_code == 400 and not Dispute.objects.exists()


def test_add_a_party_row_saves_nothing(client, world):
    login_as(client, world.gina)
    response = _post(client, world, add_party="1")
    assert response.status_code == 200 and 'id="party-2"' in body(response)
    assert not Dispute.objects.exists()


def _case(world):
    cat = category()
    return case_report(actor=world.rita, category=cat, area=world.dwelling_a,
                       description="邻居装修噪音，多次协商无果")


def test_from_case_prefills_and_links_both(client, world):
    case = _case(world)
    login_as(client, world.alice)
    page = body(client.get(f"/disputes/new/?case={case.pk}"))
    assert "邻居装修噪音" in page and 'id="from-case"' in page
    posted = _form(case=str(case.pk), summary="邻居装修噪音，多次协商无果")
    del posted["area"], posted["source"]  # not on the form made from a case
    response = client.post(f"/disputes/new/?case={case.pk}", posted)
    d = Dispute.objects.get()
    assert response.status_code == 302 and d.case == case and d.source == Source.CASE
    assert f'href="/cases/{case.pk}/"' in body(client.get(f"/disputes/{d.pk}/"))
    case_page = body(client.get(f"/cases/{case.pk}/"))
    assert f"/disputes/{d.pk}/" in case_page


def test_case_page_offers_make_a_dispute_to_dispute_staff_only(client, world):
    case = _case(world)
    login_as(client, world.alice)
    assert 'id="make-dispute"' in body(client.get(f"/cases/{case.pk}/"))
    login_as(client, world.rita)
    assert 'id="make-dispute"' not in body(client.get(f"/cases/{case.pk}/"))


def test_case_outside_scope_is_404_and_nothing_written(client, world):
    case = _case(world)
    login_as(client, world.bob)
    assert client.get(f"/disputes/new/?case={case.pk}").status_code == 404
    response = client.post(f"/disputes/new/?case={case.pk}", _form(
        area=str(world.dwelling_b.pk), case=str(case.pk)))
    assert response.status_code == 404 and not Dispute.objects.exists()
    assert client.get("/disputes/new/?case=x").status_code == 404


def test_detail_of_another_community_is_404(client, world):
    d = dispute(world)
    login_as(client, world.bob)
    assert client.get(f"/disputes/{d.pk}/").status_code == 404
    login_as(client, world.rita)
    assert client.get(f"/disputes/{d.pk}/").status_code == 404


def test_detail_shows_state_owner_history_in_words(client, world):
    d = dispute(world, violence_threat=True)
    login_as(client, world.leo)
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert d.number in page and 'data-state="registered"' in page
    assert "Threat of violence" in page and 'data-action="register"' in page
    assert "Registered" in page and str(world.gina) in page


def test_home_tiles_for_staff_only(client, world):
    dispute(world, people_involved=40)
    mediator(world)
    login_as(client, world.alice)
    page = body(client.get("/"))
    assert 'id="dispute-tile-red"' in page and "/disputes/?open=1&amp;grade=red" in page
    login_as(client, world.rita)
    assert 'id="dispute-home"' not in body(client.get("/"))


def test_detail_shows_similar_past_disputes(client, world):
    earlier = dispute(world)
    later = dispute(world)
    login_as(client, world.alice)
    page = body(client.get(f"/disputes/{later.pk}/"))
    assert 'id="similar-disputes"' in page and f"/disputes/{earlier.pk}/" in page
    first = body(client.get(f"/disputes/{earlier.pk}/"))
    assert 'id="similar-disputes"' not in first


def test_list_links_to_indicators_and_map(client, world):
    login_as(client, world.alice)
    page = body(client.get("/disputes/"))
    assert 'href="/disputes/indicators/"' in page and 'href="/disputes/map/"' in page


def test_joint_unit_reads_its_red_dispute_and_nothing_else(client, world):
    from linli.orgs.models import UnitKind
    from linli.orgs.tests.factories import UnitFactory

    police = UnitFactory(name="民族派出所", kind=UnitKind.POLICE, service_areas=[world.street])
    pat = cast(User, UserFactory(username="pat"))
    assign(pat, Role.UNIT_MEMBER, world.street, unit=police)
    red = dispute(world, violence_threat=True)
    green = dispute(world)
    login_as(client, world.uma)  # a unit with no red dispute: an empty list
    assert red.number not in body(client.get("/disputes/"))
    login_as(client, pat)
    page = body(client.get("/disputes/"))
    assert 'id="to-indicators"' not in page
    assert red.number in page and green.number not in page
    detail = client.get(f"/disputes/{red.pk}/")
    assert detail.status_code == 200 and 'class="action-form"' not in body(detail)
    assert 'class="reveal-form"' not in body(detail) and "王大伟" not in body(detail)
    assert client.get(f"/disputes/{green.pk}/").status_code == 404
    assert client.get("/disputes/new/").status_code == 403
    response = client.post(f"/disputes/{red.pk}/act/accept/", {"version": red.version})
    assert response.status_code == 403


def test_the_indicators_links_open_their_list(client, world):
    from linli.disputes.indicators import dispute_indicators, open_graded_url

    d = dispute(world, people_involved=8)
    login_as(client, world.leo)
    today = d.registered_at.date()
    figures = dispute_indicators(actor=world.leo, since=today, until=today)
    rows = [figures.total, *figures.by_grid, *figures.by_grade, *figures.by_kind,
            *figures.by_month]
    urls = [open_graded_url()] + [url for f in rows
                                  for url in (f.registered_url, f.resolved_url)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert d.number in body(client.get(open_graded_url()))


def test_escalation_level_in_words(client, world):
    d = dispute(world)
    login_as(client, world.alice)
    assert 'id="dispute-escalated"' not in body(client.get(f"/disputes/{d.pk}/"))
    Dispute.objects.filter(pk=d.pk).update(escalation_level=1)
    assert "to the community leader" in body(client.get(f"/disputes/{d.pk}/"))
    Dispute.objects.filter(pk=d.pk).update(escalation_level=2)
    assert "to the street" in body(client.get(f"/disputes/{d.pk}/"))


def test_every_home_tile_counts_the_list_it_opens(client, world):
    from linli.disputes.templatetags.disputes_tags import dispute_home_tiles
    from linli.disputes.tests.factories import in_state, outsiders

    mia = mediator(world)
    for state in ("registered", "accepted", "mediating", "agreed", "closed"):
        in_state(world, state, grade="yellow", mia=mia)
    in_state(world, "accepted", grade="green", parties=outsiders("甲某某", "乙某某"))
    dispute(world, actor=world.bob, area=world.dwelling_b)  # another community: never counted
    login_as(client, mia)
    tiles = [t for t in dispute_home_tiles(mia) if t.count is not None]
    assert {t.key for t in tiles} >= {"mine", "open", "followup"}
    mine = next(t for t in tiles if t.key == "mine")
    assert mine.count == 3  # accepted, mediating, agreed (registered: no owner yet)
    for tile in tiles:
        listed = len(re.findall(r'id="dispute-\d+"', body(client.get(tile.url))))
        assert listed == tile.count, tile.key
