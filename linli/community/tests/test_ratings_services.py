"""最美楼栋: the score sheet, one rating a month, the computed scores, manual scores and
publishing."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from linli.cases.tests.walking import report
from linli.community import services
from linli.community.models import Criterion, Rating, RatingState, Score, Source
from linli.community.selectors_ratings import ranking
from linli.community.services.ratings import month_span
from linli.community.tests import factories as life
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.people.models import Resident


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def last_month() -> date:
    return (this_month() - timedelta(days=1)).replace(day=1)


@pytest.fixture
def town(world):
    """Participation this month: 1栋 2 of 3, 2栋 2 of 2, 3栋 0 of 3.
    Cases this month: 1栋 3, 2栋 1, 3栋 none. Noise that must not count: a check-in last
    month, one at community B's activity, a case last month."""
    b = life.rating_buildings(world)
    now = timezone.now()
    start, _end = month_span(this_month())
    at = max(start + timedelta(minutes=1), now - timedelta(minutes=5))
    people = {name: list(Resident.objects.filter(area_path__startswith=b[name].path)
                         .order_by("pk")) for name in b}
    mine = life.activity(world, title="社区义诊")
    life.checked_in(mine, [people["1栋"][0], people["1栋"][1], *people["2栋"]],
                    by=world.alice, at=at)
    old = life.activity(world, title="上月讲座", starts_at=now - timedelta(days=40))
    life.checked_in(old, [people["3栋"][0]], by=world.alice, at=start - timedelta(hours=1))
    theirs = life.activity(world, area=world.community_b, actor=world.bob, title="水塔活动")
    life.checked_in(theirs, [people["3栋"][1]], by=world.bob, at=at)
    dwelling = {"1栋": world.dwelling_a,
                "2栋": people["2栋"][0].household.dwelling,
                "3栋": people["3栋"][0].household.dwelling}
    for name, n in (("1栋", 3), ("2栋", 1)):
        for _ in range(n):
            report(world, reporter=world.alice, area=dwelling[name])
    from linli.cases.models import Case
    stale = report(world, reporter=world.alice, area=dwelling["3栋"])
    Case.objects.filter(pk=stale.pk).update(reported_at=start - timedelta(days=3))
    return b


def _scores(rating: Rating) -> dict[tuple[str, str], tuple[Decimal, str]]:
    return {(s.building.name, s.criterion.name): (s.score, s.figure)
            for s in Score.objects.filter(rating=rating).select_related("building",
                                                                          "criterion")}


def test_a_first_rating_brings_the_default_sheet_and_computes_exact_scores(world, town):
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=this_month())
    sheet = list(Criterion.objects.filter(community=world.community_a)
                 .values_list("name", "max_score", "source"))
    assert sheet == [("环境卫生", 40, Source.MANUAL), ("活动参与", 30, Source.PARTICIPATION),
                     ("案件少", 30, Source.CASES)]
    assert _scores(rating) == {
        ("1栋", "环境卫生"): (Decimal("0.00"), ""), ("2栋", "环境卫生"): (Decimal("0.00"), ""),
        ("3栋", "环境卫生"): (Decimal("0.00"), ""),
        ("1栋", "活动参与"): (Decimal("20.00"), "2/3"),
        ("2栋", "活动参与"): (Decimal("30.00"), "2/2"),
        ("3栋", "活动参与"): (Decimal("0.00"), "0/3"),
        ("1栋", "案件少"): (Decimal("0.00"), "3"), ("2栋", "案件少"): (Decimal("20.00"), "1"),
        ("3栋", "案件少"): (Decimal("30.00"), "0")}
    assert AuditEntry.objects.filter(action="community.rating_created").count() == 1


def test_the_ranking_orders_by_total_then_name_with_figures(world, town):
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=this_month())
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    services.score_set(actor=world.alice, rating=rating, building=town["3栋"], criterion=clean,
                       score=Decimal("20"))
    services.score_set(actor=world.alice, rating=rating, building=town["1栋"], criterion=clean,
                       score="35.5")
    with translation.override("en"):
        rows = ranking(rating)
    assert [(r.building.name, r.total) for r in rows] == [
        ("1栋", Decimal("55.50")), ("2栋", Decimal("50.00")), ("3栋", Decimal("50.00"))]
    assert [r.rank for r in rows] == [1, 2, 2]
    cells = {s["criterion"].name: s["figure_text"] for s in rows[0].scores}
    assert cells == {"环境卫生": "", "活动参与": "2/3 took part", "案件少": "3 cases"}


def test_one_rating_a_month_and_not_a_month_to_come(world, town):
    services.rating_create(actor=world.alice, community=world.community_a, month=this_month())
    with pytest.raises(Conflict) as twice:
        services.rating_create(actor=world.leo, community=world.community_a,
                               month=this_month())
    assert twice.value.code == "rating_exists"
    following = (this_month() + timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationFailed) as future:
        services.rating_create(actor=world.alice, community=world.community_a, month=following)
    assert future.value.code == "future_month"
    with pytest.raises(ValidationFailed) as mid:
        services.rating_create(actor=world.alice, community=world.community_a,
                               month=this_month().replace(day=2))
    assert mid.value.code == "bad_month"
    last = services.rating_create(actor=world.alice, community=world.community_a,
                                  month=last_month())
    # Last month: nobody in the buildings took part but the old activity's one; one case.
    scores = _scores(last)
    assert scores[("3栋", "活动参与")] == (Decimal("30.00"), "1/3")
    assert scores[("1栋", "活动参与")] == (Decimal("0.00"), "0/3")
    assert scores[("3栋", "案件少")] == (Decimal("0.00"), "1")
    assert scores[("1栋", "案件少")] == (Decimal("30.00"), "0")


@pytest.mark.parametrize("who", ["gina", "rita", "bob", "uma", "nobody"])
def test_only_staff_managing_the_community_rate_it(world, who):
    with pytest.raises(PermissionDenied):
        services.rating_create(actor=getattr(world, who), community=world.community_a,
                               month=this_month())
    assert Rating.objects.count() == 0


def test_a_rating_is_for_a_community(world):
    with pytest.raises(ValidationFailed):
        services.rating_create(actor=world.alice, community=world.grid_a1, month=this_month())


@pytest.mark.parametrize(("score", "code"), [
    ("40.01", "bad_score"), ("-1", "bad_score"), ("1.234", "bad_score"), ("abc", "bad_score"),
    ("NaN", "bad_score")])
def test_manual_scores_are_bounded(world, town, score, code):
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=this_month())
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    with pytest.raises(ValidationFailed) as refusal:
        services.score_set(actor=world.alice, rating=rating, building=town["1栋"],
                           criterion=clean, score=score)
    assert refusal.value.code == code


def test_only_manual_criteria_of_the_communitys_buildings_are_scored(world, town):
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=this_month())
    computed = Criterion.objects.get(community=world.community_a, source=Source.CASES)
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    theirs = Criterion.objects.create(community=world.community_b, name="卫生", max_score=40)
    b_building = world.dwelling_b.parent
    cases = [(town["1栋"], computed, "computed_criterion"), (b_building, clean, "bad_building"),
             (world.dwelling_a, clean, "bad_building"), (town["1栋"], theirs, "bad_criterion")]
    for building, criterion, code in cases:
        with pytest.raises(ValidationFailed) as refusal:
            services.score_set(actor=world.alice, rating=rating, building=building,
                               criterion=criterion, score=1)
        assert refusal.value.code == code
    with pytest.raises(PermissionDenied):
        services.score_set(actor=world.gina, rating=rating, building=town["1栋"],
                           criterion=clean, score=1)


def test_publishing_freezes_the_scores(world, town):
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=this_month())
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    services.building_scores_set(actor=world.alice, rating=rating, building=town["2栋"],
                                 scores=[(clean, "38")])
    services.rating_publish(actor=world.leo, rating=rating)
    rating.refresh_from_db()
    assert rating.state == RatingState.PUBLISHED and rating.published_at is not None
    assert AuditEntry.objects.filter(action="community.rating_published").count() == 1
    before = _scores(rating)
    report(world, reporter=world.alice, area=world.dwelling_a)
    for attempt in (
        lambda: services.score_set(actor=world.alice, rating=rating, building=town["2栋"],
                                   criterion=clean, score=1),
        lambda: services.rating_recompute(actor=world.alice, rating=rating),
        lambda: services.rating_publish(actor=world.alice, rating=rating),
    ):
        with pytest.raises(Conflict) as refusal:
            attempt()
        assert refusal.value.code == "rating_published"
    assert _scores(rating) == before


def test_recompute_takes_new_data_and_keeps_manual_scores(world, town):
    rating = services.rating_create(actor=world.alice, community=world.community_a,
                                    month=this_month())
    clean = Criterion.objects.get(community=world.community_a, source=Source.MANUAL)
    services.score_set(actor=world.alice, rating=rating, building=town["1栋"], criterion=clean,
                       score=33)
    someone = Resident.objects.filter(area_path__startswith=town["3栋"].path).first()
    assert someone is not None
    report(world, reporter=world.alice, area=someone.household.dwelling)
    life.checked_in(life.activity(world, title="又一场"),
                    list(Resident.objects.filter(area_path__startswith=town["3栋"].path)),
                    by=world.alice, at=timezone.now())
    services.criterion_create(actor=world.alice, community=world.community_a,
                              name="绿化", max_score=10)
    services.rating_recompute(actor=world.alice, rating=rating)
    scores = _scores(rating)
    assert scores[("1栋", "环境卫生")] == (Decimal("33.00"), "")
    assert scores[("3栋", "活动参与")] == (Decimal("30.00"), "3/3")
    assert scores[("1栋", "绿化")] == (Decimal("0.00"), "")


def test_the_score_sheet_is_kept_by_the_communitys_staff(world):
    c = services.criterion_create(actor=world.alice, community=world.community_a,
                                  name=" 楼道整洁 ", max_score=50)
    assert (c.name, c.position, c.source, c.is_active) == ("楼道整洁", 1, "manual", True)
    cases: tuple[tuple[dict[str, Any], str], ...] = (({"name": "", "max_score": 5}, "empty_name"),
                         ({"name": "长" * 41, "max_score": 5}, "too_long"),
                         ({"name": "x", "max_score": 0}, "bad_max_score"),
                         ({"name": "x", "max_score": 101}, "bad_max_score"),
                         ({"name": "x", "max_score": 5, "source": "votes"}, "bad_source"))
    for kwargs, code in cases:
        with pytest.raises(ValidationFailed) as refusal:
            services.criterion_create(actor=world.alice, community=world.community_a, **kwargs)
        assert refusal.value.code == code
    with pytest.raises(PermissionDenied):
        services.criterion_create(actor=world.bob, community=world.community_a, name="x",
                                  max_score=5)
    services.criterion_update(actor=world.leo, criterion=c, name="楼道", max_score=30,
                              source="manual", position=4, is_active=False)
    c.refresh_from_db()
    assert (c.name, c.max_score, c.position, c.is_active) == ("楼道", 30, 4, False)
