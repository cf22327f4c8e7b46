"""The suggested providers of a need: kind, nearness, rating and delivery record
(services/matching.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from linli.library.models import BookingState, Match, MatchOutcome, ServiceKind
from linli.library.services.matching import suggest_providers
from linli.library.tests.factories import booking, need, provider, service, slot


def _names(found):
    return [s.provider.name for s in found]


def _record(world, of, *, delivered=0, failed=0):
    now = timezone.now()
    for i in range(delivered + failed):
        past = need(world, text=f"旧需求{i}")
        Match.objects.create(need=past, provider=of, assigned_by=world.alice, assigned_at=now,
                             outcome=MatchOutcome.DELIVERED if i < delivered
                             else MatchOutcome.FAILED, decided_at=now)


def test_the_same_kind_ranks_first(world):
    provider(world, name="修理铺", service_kinds=[ServiceKind.REPAIR])
    provider(world, name="助老社", service_kinds=[ServiceKind.ELDERLY_CARE])
    found = suggest_providers(need(world, kind=ServiceKind.ELDERLY_CARE))
    assert _names(found) == ["助老社"]  # only those that fit, when one does
    assert "same kind of service" in found[0].reasons
    other = suggest_providers(need(world, kind=ServiceKind.LEGAL))
    assert sorted(_names(other)) == ["修理铺", "助老社"]  # none fits: every one


def test_at_most_five(world):
    for i in range(7):
        provider(world, name=f"助老社{i}")
    assert len(suggest_providers(need(world, kind=ServiceKind.ELDERLY_CARE))) == 5


def test_skills_in_the_words_count(world):
    provider(world, name="张师傅", service_kinds=[], skills="水管 电路")
    provider(world, name="别人", service_kinds=[])
    found = suggest_providers(need(world, text="厨房水管漏水"))
    assert found[0].provider.name == "张师傅"
    assert any("水管" in r for r in found[0].reasons)


def test_nearer_ranks_higher(world):
    provider(world, name="社区的", area=world.community_a)
    provider(world, name="网格的", area=world.grid_a1)
    provider(world, name="小区的", area=world.estate_a)
    provider(world, name="楼栋的", area=world.building_a)
    provider(world, name="隔壁网格的", area=world.grid_a2)
    found = suggest_providers(need(world, kind=ServiceKind.ELDERLY_CARE))
    assert _names(found)[:4] == ["楼栋的", "小区的", "网格的", "社区的"]
    assert found[0].reasons[-1] == "same building"
    by_name = {s.provider.name: s for s in found}
    assert "same community" in by_name["隔壁网格的"].reasons


def test_a_provider_who_keeps_failing_sinks(world):
    good = provider(world, name="甲")
    bad = provider(world, name="乙")
    _record(world, good, delivered=5, failed=1)
    _record(world, bad, delivered=1, failed=4)
    found = suggest_providers(need(world, kind=ServiceKind.ELDERLY_CARE))
    assert _names(found)[:2] == ["甲", "乙"]
    assert "delivered 5 times, did not deliver 1" in found[0].reasons
    assert found[0].score > found[1].score


def test_ratings_count_and_are_read_in_few_queries(world):
    from linli.people.tests.factories import resident

    person = resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    rated = provider(world, name="好评的")
    plain = provider(world, name="无评的")
    for stars in (5, 4):
        booking(slot(service(world, of=rated), starts_at=timezone.now()), person,
                by=world.rita, state=BookingState.COMPLETED, rating=stars)
    for i in range(5):
        _record(world, provider(world, name=f"其他{i}"), delivered=1)
    asked = need(world, kind=ServiceKind.ELDERLY_CARE)
    with CaptureQueriesContext(connection) as queries:
        found = suggest_providers(asked, limit=10)
    assert len(queries) <= 4
    assert found[0].provider == rated and found[0].rating == 4.5 and found[0].ratings == 2
    assert "rated 4.5 (2 times)" in found[0].reasons
    assert plain in [s.provider for s in found]


def test_only_listed_providers_of_the_community(world):
    provider(world, name="下架的", is_active=False)
    provider(world, name="水塔的", area=world.community_b)
    assert suggest_providers(need(world)) == []
