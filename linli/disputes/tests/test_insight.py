"""Indicators (化解率, working days to resolution), the map of open yellow and red disputes
and its GeoJSON, on exact fixtures: every formula, the scope, and the lists behind the
figures. The moves that end a mediation are another helper's services; here a dispute is
registered through the real service and its outcome written straight onto the row."""

import json
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from ninja.testing import TestClient

from linli.accounts.tests.factories import PASSWORD
from linli.disputes import indicators
from linli.disputes.api_insight import router
from linli.disputes.models import Dispute, Kind, State
from linli.disputes.selectors import DisputeFilters, dispute_list
from linli.disputes.tests.factories import dispute, outsiders

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
SEP_OCT = {"since": date(2025, 9, 1), "until": date(2025, 10, 31)}


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def settle(d: Dispute, *, state: str, resolved: bool | None = None,
           ended_at: datetime | None = None) -> Dispute:
    Dispute.objects.filter(pk=d.pk).update(state=state, resolved=resolved, ended_at=ended_at)
    d.refresh_from_db()
    return d


def filters_from(url: str) -> DisputeFilters:
    """The list page's query string read as the contract names it (DisputeFilters)."""
    q = {k: v for k, v in parse_qs(urlsplit(url).query).items()}
    one = {k: v[0] for k, v in q.items()}
    flag = {"1": True, "0": False}
    return DisputeFilters(
        state=q.get("state"), grade=q.get("grade"), kind=one.get("kind", ""),
        grid_id=int(one["grid"]) if "grid" in one else None,
        open=flag.get(one.get("open", "")), resolved=flag.get(one.get("resolved", "")),
        registered_since=date.fromisoformat(one["since"]) if "since" in one else None,
        registered_until=date.fromisoformat(one["until"]) if "until" in one else None)


@pytest.fixture
def sample(world):
    """Community A: four disputes in September and October 2025 (National Day holiday
    1–8 October); community B: one. Each pair of parties is new, so no repeat raises a
    grade."""
    d1 = settle(dispute(world, parties=outsiders("甲一", "乙一"), now=at(2025, 9, 30, 8, 30)),
                state=State.AGREED, resolved=True, ended_at=at(2025, 10, 9, 12, 0))
    d2 = settle(dispute(world, parties=outsiders("甲二", "乙二"), kind=Kind.PROPERTY,
                        people_involved=5, now=at(2025, 9, 29, 14, 0)),
                state=State.AGREED, resolved=True, ended_at=at(2025, 9, 30, 12, 0))
    d3 = dispute(world, actor=world.alice, area=world.grid_a2, violence_threat=True,
                 parties=outsiders("甲三", "乙三"), now=at(2025, 10, 10, 9, 0))
    d4 = settle(dispute(world, actor=world.alice, area=world.community_a,
                        parties=outsiders("甲四", "乙四"), now=at(2025, 10, 13, 9, 0)),
                state=State.FAILED, resolved=False, ended_at=at(2025, 10, 20, 9, 0))
    b = settle(dispute(world, actor=world.bob, area=world.dwelling_b,
                       parties=outsiders("丙一", "丁一"), now=at(2025, 10, 14, 9, 0)),
               state=State.AGREED, resolved=True, ended_at=at(2025, 10, 15, 9, 0))
    return {"d1": d1, "d2": d2, "d3": d3, "d4": d4, "b": b}


def figures(fig: indicators.Figure) -> tuple:
    return fig.registered, fig.resolved, fig.rate, fig.average_days


def test_working_days_skip_the_national_day_holiday():
    # Tuesday 30 September, a full day (7 working hours), then 1–8 October off, then
    # Thursday 9 October morning (3.5 hours): 10.5 hours, one and a half working days.
    assert indicators.working_days(at(2025, 9, 30, 8, 30), at(2025, 10, 9, 12, 0)) \
        == Decimal("1.5")
    # Monday afternoon 3.5 h + Tuesday morning 3.5 h.
    assert indicators.working_days(at(2025, 9, 29, 14, 0), at(2025, 9, 30, 12, 0)) == 1


def test_every_formula_on_the_sample(world, sample):
    ind = indicators.dispute_indicators(actor=world.alice, **SEP_OCT)
    d = Decimal
    # 1.5 and 1.0 working days: 1.25 rounds half up to 1.3.
    assert figures(ind.total) == (4, 2, d("50.0"), d("1.3"))
    assert [(f.label, *figures(f)) for f in ind.by_grade] == [
        ("绿色", 2, 1, d("50.0"), d("1.5")), ("黄色", 1, 1, d("100.0"), d("1.0")),
        ("红色", 1, 0, d("0.0"), None)]
    kinds = {f.params["kind"]: figures(f) for f in ind.by_kind}
    assert kinds[Kind.NEIGHBOUR] == (3, 1, d("33.3"), d("1.5"))
    assert kinds[Kind.PROPERTY] == (1, 1, d("100.0"), d("1.0"))
    assert kinds[Kind.FAMILY] == (0, 0, None, None)  # no division by zero: shown "—"
    assert [(f.label, *figures(f)) for f in ind.by_grid] == [
        ("花楼第一网格", 2, 2, d("100.0"), d("1.3")), ("花楼第二网格", 1, 0, d("0.0"), None)]
    assert [(f.label, *figures(f)) for f in ind.by_month] == [
        ("2025-09", 2, 2, d("100.0"), d("1.3")), ("2025-10", 2, 0, d("0.0"), None)]


def test_a_month_counts_what_was_registered_in_it(world, sample):
    # The denominator of a month is the disputes registered that month; the period clips it.
    ind = indicators.dispute_indicators(actor=world.alice, since=date(2025, 9, 30),
                                        until=date(2025, 10, 10))
    assert [(f.label, f.params, f.registered) for f in ind.by_month] == [
        ("2025-09", {"since": "2025-09-30", "until": "2025-09-30"}, 1),
        ("2025-10", {"since": "2025-10-01", "until": "2025-10-10"}, 1)]


def test_another_community_is_never_counted(world, sample):
    assert indicators.dispute_indicators(actor=world.alice, **SEP_OCT).total.registered == 4
    ind_b = indicators.dispute_indicators(actor=world.bob, **SEP_OCT)
    assert figures(ind_b.total) == (1, 1, Decimal("100.0"), Decimal("1.0"))
    assert indicators.dispute_indicators(actor=world.leo, **SEP_OCT).total.registered == 5
    assert indicators.dispute_indicators(actor=world.rita, **SEP_OCT).total.registered == 0


def test_every_link_lists_exactly_the_rows_counted(world, sample):
    ind = indicators.dispute_indicators(actor=world.alice, **SEP_OCT)
    rows = [ind.total, *ind.by_grade, *ind.by_kind, *ind.by_grid, *ind.by_month]
    for fig in rows:
        assert urlsplit(fig.registered_url).path == "/disputes/"
        listed = dispute_list(actor=world.alice, filters=filters_from(fig.registered_url))
        assert listed.count() == fig.registered, fig.registered_url
        resolved = dispute_list(actor=world.alice, filters=filters_from(fig.resolved_url))
        assert resolved.count() == fig.resolved, fig.resolved_url
    assert "grade=yellow" in ind.by_grade[1].registered_url
    assert "resolved=1" in ind.by_grade[1].resolved_url


def test_indicator_page_links_and_refusals(client, world, sample):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/disputes/indicators/", {"since": "2025-09-01", "until": "2025-10-31"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/disputes/?since=2025-09-01&amp;until=2025-10-31&amp;resolved=1">50.0%' in html
    assert 'href="/disputes/?since=2025-09-01&amp;until=2025-09-30&amp;resolved=1">2<' in html
    assert "—" in html
    assert client.get("/disputes/indicators/", {"since": "2025-10-02",
                                               "until": "2025-10-01"}).status_code == 400
    assert client.get("/disputes/indicators/").status_code == 200  # the last twelve months
    client.login(username="rita", password=PASSWORD)
    assert client.get("/disputes/indicators/").status_code == 404
    assert client.get("/disputes/map/").status_code == 404
    assert client.get("/disputes/map.geojson").status_code == 404


def test_default_period_is_the_last_twelve_months():
    assert indicators.default_period(date(2026, 12, 6)) == (date(2026, 1, 1), date(2026, 12, 6))
    assert indicators.default_period(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def on_map(world):
    """Open yellow at the building (no pin: the building's centre), open red with a pin,
    an open green, an agreed yellow, and community B's open yellow."""
    from linli.orgs.models import Area
    Area.objects.filter(pk=world.building_a.pk).update(lat=Decimal("30.580000"),
                                                       lng=Decimal("114.280000"))
    yellow = dispute(world, people_involved=6, parties=outsiders("王小明", "李大红"))
    red = dispute(world, actor=world.alice, area=world.grid_a2, violence_threat=True,
                  parties=outsiders("赵一", "钱二"), lat=Decimal("30.590000"),
                  lng=Decimal("114.290000"))
    green = dispute(world, parties=outsiders("孙三", "周四"))
    agreed = settle(dispute(world, people_involved=8, parties=outsiders("吴五", "郑六")),
                    state=State.AGREED, resolved=True)
    b = dispute(world, actor=world.bob, area=world.dwelling_b, people_involved=7,
                lat=Decimal("30.600000"), lng=Decimal("114.300000"),
                parties=outsiders("冯七", "陈八"))
    return {"yellow": yellow, "red": red, "green": green, "agreed": agreed, "b": b}


def test_map_shows_open_yellow_and_red_in_scope_without_party_data(client, world, on_map):
    client.login(username="alice", password=PASSWORD)
    answer = client.get("/disputes/map.geojson")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/geo+json"
    points = answer.json()["features"]
    by_url = {p["properties"]["url"]: p for p in points}
    assert set(by_url) == {f"/disputes/{on_map['yellow'].pk}/", f"/disputes/{on_map['red'].pk}/"}
    yellow = by_url[f"/disputes/{on_map['yellow'].pk}/"]
    assert yellow["geometry"]["coordinates"] == [114.28, 30.58]  # the building's centre
    assert yellow["properties"]["light"] == "yellow"
    red = by_url[f"/disputes/{on_map['red'].pk}/"]
    assert red["geometry"]["coordinates"] == [114.29, 30.59]
    assert red["properties"]["light"] == "red"
    text = answer.content.decode()
    for secret in ("王", "李大红", "1390000", "漏水", "王*明"):
        assert secret not in text
    page = client.get("/disputes/map/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-cases-url="/disputes/map.geojson"' in html and "vendor/leaflet" in html
    assert "/disputes/?open=1&amp;grade=yellow&amp;grade=red" in html
    listed = dispute_list(actor=world.alice, filters=filters_from(
        indicators.open_graded_url()))
    assert listed.count() == 2


def test_api_indicators_and_map(world, sample, on_map):
    api = TestClient(router)
    answer = api.get("/indicators?since=2025-09-01&until=2025-10-31", user=world.alice)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["total"]["registered"], body["total"]["resolved"], body["total"]["rate"],
            body["total"]["average_days"]) == (4, 2, 50.0, 1.3)
    assert body["by_kind"][2]["rate"] is None
    assert [m["label"] for m in body["by_month"]] == ["2025-09", "2025-10"]
    geo = api.get("/map.geojson", user=world.bob).json()
    assert [f["properties"]["url"] for f in geo["features"]] == [f"/disputes/{on_map['b'].pk}/"]
    assert json.dumps(geo, ensure_ascii=False).count("冯") == 0
    assert api.get("/indicators", user=world.rita).json()["total"]["registered"] == 0
