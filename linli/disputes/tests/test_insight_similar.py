"""Similar past disputes: who ranks first and why, how each ended, and the scope."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.template.loader import render_to_string

from linli.disputes.grading import party_keys
from linli.disputes.models import Agreement, Dispute, Kind, State
from linli.disputes.similar import (
    SAME_PARTIES,
    SAME_TYPE_PLACE,
    SIMILAR_WORDS,
    _earlier,
    bigrams,
    overlap,
    same_parties_query,
    similar_to,
)
from linli.disputes.tests.factories import dispute, outsiders

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
LEAK = "楼上漏水，楼下要求赔偿"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


@pytest.fixture
def past(world):
    """Earlier disputes of community A, each alike in one way, one alike in none; community
    B's copy of the summary; and the dispute itself, registered last but one."""
    parties = outsiders("王大伟", "李小红")
    same_parties = dispute(world, actor=world.alice, area=world.grid_a2, kind=Kind.DEBT,
                           summary="借款三万元到期未还", parties=parties,
                           now=at(2025, 6, 9, 9, 0))
    Dispute.objects.filter(pk=same_parties.pk).update(
        state=State.AGREED, resolved=True, ended_at=at(2025, 6, 11, 9, 0))
    Agreement.objects.create(
        dispute=same_parties, facts="借款", responsibilities="还款", terms="分三期还清",
        performance_manner="转账", performance_deadline=date(2025, 9, 1),
        signed_on=date(2025, 6, 4), mediator=world.alice, created_by=world.alice)
    same_place = dispute(world, area=world.estate_a, summary="夜间装修噪音扰民",
                         parties=outsiders("张三", "赵四"), now=at(2025, 7, 1, 9, 0))
    words = dispute(world, actor=world.alice, area=world.community_a, kind=Kind.PROPERTY,
                    summary="楼上漏水，楼下要求赔偿维修费", parties=outsiders("孙五", "周六"),
                    now=at(2025, 7, 2, 9, 0))
    unlike = dispute(world, actor=world.alice, area=world.grid_a2, kind=Kind.FAMILY,
                     summary="赡养老人费用分担", parties=outsiders("吴七", "郑八"),
                     now=at(2025, 7, 3, 9, 0))
    elsewhere = dispute(world, actor=world.bob, area=world.dwelling_b, summary=LEAK,
                        parties=outsiders("冯九", "陈十"), now=at(2025, 7, 4, 9, 0))
    this = dispute(world, summary=LEAK, parties=parties, now=at(2025, 8, 1, 9, 0))
    later = dispute(world, summary=LEAK, parties=outsiders("王大伟", "李小红"),
                    now=at(2025, 8, 5, 9, 0))
    return {"same_parties": same_parties, "same_place": same_place, "words": words,
            "unlike": unlike, "elsewhere": elsewhere, "this": this, "later": later}


def test_ranking_parties_then_type_and_place_then_words(world, past):
    found = similar_to(actor=world.alice, dispute=past["this"])
    assert [s.dispute.pk for s in found] == [
        past["same_parties"].pk, past["same_place"].pk, past["words"].pk]
    assert [s.why for s in found] == [(SAME_PARTIES,), (SAME_TYPE_PLACE,), (SIMILAR_WORDS,)]
    first = found[0]
    assert first.has_agreement and first.resolved is True and first.state == "达成协议"
    assert first.days == Decimal("2.0")  # Monday 09:00 to Wednesday 09:00
    assert found[1].days is None and not found[1].has_agreement  # still open


def test_only_earlier_disputes_in_scope(world, past):
    pks = {s.dispute.pk for s in similar_to(actor=world.alice, dispute=past["this"],
                                            limit=20)}
    assert past["elsewhere"].pk not in pks       # community B
    assert past["later"].pk not in pks           # registered after
    assert past["unlike"].pk not in pks          # alike in nothing
    assert past["this"].pk not in pks
    # Bob sees community B's only: nothing there came before his dispute.
    assert similar_to(actor=world.bob, dispute=past["elsewhere"]) == []


def test_limit_and_reasons_in_words(world, past):
    found = similar_to(actor=world.alice, dispute=past["later"], limit=2)
    assert len(found) == 2
    # The later one has the same parties as `this` and as the first, and this one also
    # shares type, place and every word.
    assert found[0].dispute.pk == past["this"].pk
    assert found[0].why == (SAME_PARTIES, SAME_TYPE_PLACE, SIMILAR_WORDS)
    assert found[0].reasons == ["同一当事人", "同类型同地点", "描述相似"]


def test_bigram_overlap():
    assert overlap(bigrams(LEAK), bigrams(LEAK)) == 1.0
    assert overlap(bigrams("楼上漏水"), bigrams("")) == 0.0
    assert bigrams("a b，c") == {"ab", "bc"}


def test_partial_renders_compactly_without_party_names(world, past):
    html = render_to_string("disputes/_similar.html", {
        "similar": similar_to(actor=world.alice, dispute=past["this"])})
    assert f'href="/disputes/{past["same_parties"].pk}/"' in html
    assert "同一当事人" in html and "有调解协议" in html
    for name in ("王大伟", "王*伟", "李小红"):
        assert name not in html
    assert "没有登记过类似的纠纷" in render_to_string("disputes/_similar.html", {"similar": []})


def test_same_parties_found_beyond_the_latest_candidates(world, past, monkeypatch):
    """The same-parties lookup has its own bound: a match older than the CANDIDATES
    latest earlier disputes is still found."""
    monkeypatch.setattr("linli.disputes.similar.CANDIDATES", 1)
    found = similar_to(actor=world.alice, dispute=past["this"], limit=20)
    assert past["same_parties"].pk in {s.dispute.pk for s in found}


def test_same_parties_lookup_starts_from_the_party_keys(world, past):
    """The parties' indexed keys drive the lookup, the disputes are then probed by primary
    key: it must not list every earlier dispute in scope first (bench/disputes.py found
    that linear in the history on SQLite)."""
    this = past["this"]
    query = same_parties_query(_earlier(world.alice, this), party_keys(this.parties.all()))
    assert set(query) == {past["same_parties"].pk}
    if connection.vendor == "postgresql":
        # Tiny test tables are cheapest to scan whole; forbid that to see which indexes
        # the lookup can use at all.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
        assert "name_hash" in plan and "Seq Scan" not in plan, plan
        return
    plan = query.explain()
    assert "disputes_party_name_hash" in plan and "INTEGER PRIMARY KEY" in plan
    assert "SCAN" not in plan and "registered_at" not in plan
