"""Units to dispatch a case to (triage.units): the default route, the year's closed cases of
the category in the community, less the returns; the dispatch form and the API."""

from typing import cast

import pytest
from django.utils import translation

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, State
from linli.cases.services import case_report, case_transition
from linli.cases.tests.factories import category
from linli.cases.tests.viewtools import body, login_as
from linli.orgs.tests.factories import UnitFactory
from linli.triage import selectors
from linli.triage.units import unit_suggestions


@pytest.fixture
def repairs(world):
    """A second unit serving community A."""
    return UnitFactory(name="花楼维修队", service_areas=[world.community_a])


@pytest.fixture
def rex(world, repairs):
    """A member of the repairs unit, who does its work."""
    member = cast(User, UserFactory(username="rex"))
    assign(member, Role.UNIT_MEMBER, world.community_a, unit=repairs)
    return member


def accepted(world, cat) -> Case:
    case = case_report(actor=world.rita, category=cat, area=world.dwelling_a,
                       description="厨房水管漏水，地面积水")
    return case_transition(actor=world.alice, case=case, action="accept")


def closed_by(world, cat, unit, member) -> Case:
    case = case_transition(actor=world.alice, case=accepted(world, cat), action="dispatch",
                           unit=unit)
    case = case_transition(actor=member, case=case, action="acknowledge")
    case = case_transition(actor=member, case=case, action="resolve", note="已修好")
    case = case_transition(actor=world.gina, case=case, action="verify")
    return case_transition(actor=world.alice, case=case, action="close")


def returned_by(world, cat, unit, member) -> Case:
    case = case_transition(actor=world.alice, case=accepted(world, cat), action="dispatch",
                           unit=unit)
    return case_transition(actor=member, case=case, action="return", note="不归我们管")


def names(suggestions) -> list[str]:
    return [s.unit.name for s in suggestions]


def test_the_default_route_comes_first_when_there_is_no_history(world, leak, repairs):
    with translation.override("en"):
        [only] = unit_suggestions(category=leak, area=world.dwelling_a)
    assert (only.unit, only.reasons, only.is_route) == (world.unit_a, ["Default route"], True)
    assert 0 < only.score <= 1


def test_units_that_closed_the_category_here_are_suggested_with_their_count(world, leak,
                                                                            repairs, rex):
    for _ in range(2):
        closed_by(world, leak, repairs, rex)
    with translation.override("en"):
        found = unit_suggestions(category=leak, area=world.dwelling_a)
    assert names(found) == ["花楼物业", "花楼维修队"]
    assert found[1].reasons == ["Closed 2 in the past year"]


def test_returns_push_a_unit_down(world, leak, repairs, rex):
    closed_by(world, leak, repairs, rex)
    assert names(unit_suggestions(category=leak, area=world.dwelling_a))[0] == "花楼物业"
    for _ in range(2):
        returned_by(world, leak, world.unit_a, world.uma)
    with translation.override("en"):
        found = unit_suggestions(category=leak, area=world.dwelling_a)
    assert names(found) == ["花楼维修队", "花楼物业"]
    assert found[1].reasons == ["Default route", "Returned 2 times"]


def test_a_return_counts_against_the_unit_that_held_the_case(world, leak, repairs, rex):
    case = case_transition(actor=world.alice, case=accepted(world, leak), action="dispatch",
                           unit=repairs)
    case = case_transition(actor=rex, case=case, action="return", note="不归我们管")
    case = case_transition(actor=world.alice, case=case, action="dispatch", unit=world.unit_a)
    case_transition(actor=world.uma, case=case, action="acknowledge")
    [route_unit] = unit_suggestions(category=leak, area=world.dwelling_a)
    assert route_unit.unit == world.unit_a and len(route_unit.reasons) == 1  # no returns


def test_only_units_that_may_take_the_case_are_suggested(world, leak, repairs, rex):
    closed_by(world, leak, repairs, rex)
    repairs.is_active = False
    repairs.save()
    assert names(unit_suggestions(category=leak, area=world.dwelling_a)) == ["花楼物业"]
    # Community B: unit A neither is its route nor serves it.
    assert unit_suggestions(category=leak, area=world.dwelling_b) == []


def test_no_route_and_no_history_suggests_nothing(world):
    lamp = category("L2001", name_zh="路灯不亮", name_en="Street lamp out")
    assert unit_suggestions(category=lamp, area=world.dwelling_a) == []
    assert selectors.unit_suggestions(category=lamp, area=world.dwelling_a) == []


# --- the dispatch form -----------------------------------------------------------------

def test_the_dispatch_form_puts_the_suggested_units_first_and_preselects_the_best(
        client, world, leak, repairs, rex):
    closed_by(world, leak, repairs, rex)
    for _ in range(2):
        returned_by(world, leak, world.unit_a, world.uma)
    case = accepted(world, leak)
    html = body(login_as(client, world.alice).get(f"/cases/{case.pk}/"))
    select = html[html.index('id="dispatch-unit"'):]
    assert select.index(f'value="{repairs.pk}" selected') < select.index(
        f'value="{world.unit_a.pk}"')
    assert 'id="unit-suggestions"' in html and "Closed 1 in the past year" in html
    client.post(f"/cases/{case.pk}/act/dispatch/", {"version": case.version,
                                                    "unit": repairs.pk})
    case.refresh_from_db()
    assert (case.state, case.unit) == (State.DISPATCHED, repairs)


# --- the API -------------------------------------------------------------------------------

def url(case: Case) -> str:
    return f"/api/triage/cases/{case.pk}/units"


def test_api_lists_ranked_units(client, world, leak, repairs, rex):
    closed_by(world, leak, repairs, rex)
    case = accepted(world, leak)
    client.force_login(world.alice)
    rows = client.get(url(case)).json()
    assert [r["unit_id"] for r in rows] == [world.unit_a.pk, repairs.pk]
    assert set(rows[0]) == {"unit_id", "name", "score", "reasons"}
    assert client.get(url(case) + "?limit=1").json()[0]["name"] == "花楼物业"


def test_api_is_for_the_dispatchers_of_the_case(client, world, leak):
    case = accepted(world, leak)
    client.force_login(world.bob)
    assert client.get(url(case)).status_code == 404
    client.force_login(world.rita)
    assert client.get(url(case)).status_code == 403
    client.force_login(world.uma)  # the unit member does not see an undispatched case
    assert client.get(url(case)).status_code == 404
