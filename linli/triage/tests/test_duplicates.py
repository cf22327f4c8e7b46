"""Likely duplicates of a case (triage.duplicates): what is a candidate, how they rank,
who sees them (page and API), and the one-step merge from the case page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from linli.cases.models import Case, State
from linli.cases.services import case_report, case_transition
from linli.cases.tests.factories import category
from linli.cases.tests.viewtools import body, login_as
from linli.orgs.tests.factories import make_area
from linli.triage import selectors
from linli.triage.duplicates import bigrams, cosine, duplicate_candidates

LEAK_TEXT = "厨房水管漏水，地面积水"


@pytest.fixture
def lamp(world):
    return category("L2001", name_zh="路灯不亮", name_en="Street lamp out", priority="normal")


@pytest.fixture
def far_building(world):
    """A building of the other grid of community A: same community, another estate."""
    estate = make_area("estate", "花楼二村", world.grid_a2)
    return make_area("building", "9栋", estate)


def report(world, cat, area=None, description=LEAK_TEXT, actor=None, **extra) -> Case:
    return case_report(actor=actor or world.alice, category=cat, area=area or world.dwelling_a,
                       description=description, **extra)


def ids(candidates) -> list[int]:
    return [c.case.pk for c in candidates]


# --- the measure -----------------------------------------------------------------------

def test_bigrams_cosine_reads_the_same_words_as_similar():
    same = cosine(bigrams("厨房水管漏水"), bigrams("厨房的水管漏水了！"))
    other = cosine(bigrams("厨房水管漏水"), bigrams("路灯不亮"))
    assert same > 0.6 and other == 0.0
    assert cosine(bigrams(""), bigrams("漏水")) == 0.0
    assert cosine(bigrams("🙂🙂"), bigrams("🙂")) == 0.0


# --- candidates and ranking -------------------------------------------------------------

def test_a_similar_case_in_the_same_building_ranks_above_a_far_different_one(
        world, leak, lamp, far_building):
    case = report(world, leak, actor=world.rita)
    far = report(world, leak, area=far_building, description="小区门口路灯坏了好几天")
    # Another category: residents choose differently for the same burst pipe.
    near = report(world, lamp, area=world.entrance_a, description="楼上厨房水管漏水，地面全是水")
    with translation.override("en"):
        found = duplicate_candidates(actor=world.alice, case=case)
    assert ids(found) == [near.pk, far.pk]
    best = found[0]
    assert 0 < found[1].score < best.score <= 1
    assert "Same building" in best.reasons
    assert any(r.startswith("Similar description ") and r.endswith("%") for r in best.reasons)
    assert "Same category" not in best.reasons
    assert "Same category" in found[1].reasons and "Same community" in found[1].reasons
    assert "Just now" in best.reasons


def test_distance_counts_when_both_cases_have_coordinates(world, leak, far_building):
    here = {"lat": Decimal("30.580000"), "lng": Decimal("114.280000")}
    near = {"lat": Decimal("30.580300"), "lng": Decimal("114.280000")}  # about 33 m north
    case = report(world, leak, area=far_building, **here)
    other_estate = make_area("building", "1栋", make_area("estate", "花楼三村", world.grid_a1))
    close_by = report(world, leak, area=other_estate, description="路边水管爆了", **near)
    with translation.override("en"):
        [found] = duplicate_candidates(actor=world.alice, case=case)
    assert found.case == close_by
    assert "33 m apart" in found.reasons


def test_only_open_cases_of_the_community_near_in_time_are_candidates(world, leak, settings):
    settings.TRIAGE_DUPLICATE_DAYS = 7
    now = timezone.now()
    case = report(world, leak, actor=world.rita)
    open_one = report(world, leak)
    old = report(world, leak, now=now - timedelta(days=8))
    rejected = report(world, leak)
    case_transition(actor=world.alice, case=rejected, action="reject", note="重复")
    merged = report(world, leak)
    case_transition(actor=world.alice, case=merged, action="merge", master=open_one)
    report(world, leak, area=world.dwelling_b, actor=world.bob)  # community B
    assert ids(duplicate_candidates(actor=world.alice, case=case)) == [open_one.pk]
    settings.TRIAGE_DUPLICATE_DAYS = 10
    with translation.override("en"):
        found = duplicate_candidates(actor=world.alice, case=case)
    assert set(ids(found)) == {open_one.pk, old.pk}
    assert [r for r in found[-1].reasons if r.endswith(" ago")] == ["1\xa0week ago"]
    assert duplicate_candidates(actor=world.alice, case=case, limit=1)[0].case == open_one


def test_a_case_alone_has_no_candidates(world, leak):
    case = report(world, leak)
    assert duplicate_candidates(actor=world.alice, case=case) == []


def test_the_actor_only_gets_candidates_they_may_merge_into(world, leak):
    case = report(world, leak, actor=world.rita)
    report(world, leak)
    assert len(duplicate_candidates(actor=world.alice, case=case)) == 1
    # rita sees her own case but none of the others; bob sees nothing of community A.
    assert duplicate_candidates(actor=world.rita, case=case) == []
    assert duplicate_candidates(actor=world.bob, case=case) == []


def test_the_selectors_module_reexports_the_ranking(world, leak):
    case = report(world, leak, actor=world.rita)
    other = report(world, leak)
    assert ids(selectors.duplicate_candidates(actor=world.alice, case=case)) == [other.pk]


# --- the API -------------------------------------------------------------------------------

def url(case: Case) -> str:
    return f"/api/triage/cases/{case.pk}/duplicates"


def test_api_lists_ranked_candidates_without_reporter_data(client, world, leak):
    case = report(world, leak, actor=world.rita)
    other = report(world, leak, reporter_name="王阿姨")
    client.force_login(world.alice)
    response = client.get(url(case), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    [row] = response.json()
    assert set(row) == {"case_id", "score", "reasons", "category", "category_name", "state",
                        "reported_at"}
    assert (row["case_id"], row["category"], row["state"]) == (other.pk, "L1003", "reported")
    assert 0 < row["score"] <= 1 and row["reasons"]
    assert "王阿姨" not in response.content.decode()


def test_api_is_for_the_dispatchers_of_the_case(client, world, leak):
    case = report(world, leak, actor=world.rita)
    report(world, leak)
    client.force_login(world.bob)  # dispatcher of another community
    assert client.get(url(case)).status_code == 404
    client.force_login(world.rita)  # sees her own case, may not merge it
    assert client.get(url(case)).status_code == 403
    client.force_login(world.leo)  # the street's leader
    assert client.get(url(case)).status_code == 403
    client.force_login(world.nobody)
    assert client.get(url(case)).status_code == 404
    client.logout()
    assert client.get(url(case)).status_code == 401


def test_api_answers_an_empty_list_and_bounds_its_numbers(client, world, leak):
    case = report(world, leak)
    client.force_login(world.alice)
    assert client.get(url(case)).json() == []
    assert client.get(url(case) + "?limit=0").status_code == 400
    assert client.get("/api/triage/cases/99999999999999999999/duplicates").status_code in (
        400, 404)


# --- the case page ---------------------------------------------------------------------

def test_the_dispatcher_merges_in_one_step_from_the_ranked_candidates(client, world, leak,
                                                                       lamp, far_building):
    case = report(world, leak, actor=world.rita)
    far = report(world, leak, area=far_building, description="小区门口路灯坏了好几天")
    near = report(world, lamp, area=world.entrance_a, description="楼上厨房水管漏水，地面全是水")
    html = body(login_as(client, world.alice).get(f"/cases/{case.pk}/"))
    assert html.index(f'id="candidate-{near.pk}"') < html.index(f'id="candidate-{far.pk}"')
    assert "Same building" in html and "Similar description" in html
    assert f'name="master" value="{near.pk}"' in html
    response = client.post(f"/cases/{case.pk}/act/merge/",
                           {"version": case.version, "master": near.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.master_id) == (State.MERGED, near.pk)


def test_the_page_says_when_there_are_no_likely_duplicates(client, world, leak):
    case = report(world, leak)
    html = body(login_as(client, world.alice).get(f"/cases/{case.pk}/"))
    assert 'id="details-merge"' in html and "No likely duplicates." in html


def test_other_roles_see_no_candidates(client, world, leak):
    case = report(world, leak, actor=world.rita)
    report(world, leak)
    html = body(login_as(client, world.rita).get(f"/cases/{case.pk}/"))
    assert "duplicate-candidates" not in html and "No likely duplicates" not in html
