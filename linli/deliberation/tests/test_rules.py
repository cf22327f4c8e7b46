"""The counting rules on exact fixtures (docs/deliberation.md, "How a vote is decided")."""

from decimal import Decimal

import pytest

from linli.core.errors import ValidationFailed
from linli.deliberation.rules import MAJORITY, TWO_THIRDS, Rule, Share, Tally, outcome

FOR, AGAINST = 1, 2


def tally(electorate, participants, yes, *, area=None, part_area=None, yes_area=None):
    return Tally(electorate=electorate, electorate_area=Decimal(area or 0),
                 participants=participants, participant_area=Decimal(part_area or 0),
                 options={FOR: (yes, Decimal(yes_area or 0)),
                          AGAINST: (participants - yes, Decimal(0))})


@pytest.mark.parametrize(("text", "share"), [
    (">1/2", Share(1, 2, True)), (">=2/3", Share(2, 3, False)), ("≥3/4", Share(3, 4, False)),
    ("2/3", Share(2, 3, False)), (" > 1 / 2 ", Share(1, 2, True)), (">=1/1", Share(1, 1, False)),
])
def test_shares_are_read_as_written(text, share):
    assert Share.parse(text) == share
    assert Share.parse(str(share)) == share


@pytest.mark.parametrize("text", ["", "half", "3/2", ">1/1", "0/3", "1/0", "-1/2", "0.5",
                                  "66%", ">=12345/99999"])
def test_a_share_above_the_whole_or_unreadable_is_refused(text):
    with pytest.raises(ValidationFailed) as caught:
        Share.parse(text)
    assert caught.value.code == "bad_share"


def test_two_thirds_of_37_council_members_needs_25():
    rule = Rule(quorum=None, threshold=TWO_THIRDS, base="electorate")
    assert outcome(rule, tally(37, 37, 25), [FOR])["passed"] is True
    assert outcome(rule, tally(37, 37, 24), [FOR])["passed"] is False
    assert TWO_THIRDS.needed(37) == 25


def test_two_thirds_of_the_electorate_counts_those_who_stayed_away():
    rule = Rule(quorum=None, threshold=TWO_THIRDS, base="electorate")
    # 25 of 30 cast say yes: 83 % of votes cast, but 25 of 37 members: still passes.
    assert outcome(rule, tally(37, 30, 25), [FOR])["passed"] is True
    assert outcome(rule, tally(37, 30, 24), [FOR])["passed"] is False


def test_two_thirds_of_votes_cast_at_the_boundary():
    rule = Rule(quorum=None, threshold=TWO_THIRDS, base="cast")
    assert outcome(rule, tally(100, 30, 20), [FOR])["passed"] is True   # exactly 2/3
    assert outcome(rule, tally(100, 30, 19), [FOR])["passed"] is False


def test_a_simple_majority_is_more_than_half_so_a_tie_fails():
    rule = Rule(quorum=None, threshold=MAJORITY, base="cast")
    assert outcome(rule, tally(10, 10, 5), [FOR])["passed"] is False
    assert outcome(rule, tally(10, 10, 6), [FOR])["passed"] is True
    assert MAJORITY.needed(10) == 6 and MAJORITY.needed(9) == 5


def test_quorum_failure_fails_the_vote_whatever_the_count():
    rule = Rule(quorum=Share.parse(">1/2"), threshold=MAJORITY, base="cast")
    failed = outcome(rule, tally(100, 50, 50), [FOR])
    assert failed == {"quorum_met": False, "carried": [], "passed": False}
    assert outcome(rule, tally(100, 51, 50), [FOR])["passed"] is True


def test_nothing_cast_passes_nothing():
    rule = Rule(quorum=None, threshold=MAJORITY, base="cast")
    assert outcome(rule, tally(10, 0, 0), [FOR])["passed"] is False


def owners(part: Share, threshold: Share) -> Rule:
    return Rule(quorum=None, threshold=threshold, base="cast", owners=True, participation=part)


def test_owners_take_part_with_two_thirds_of_area_and_headcount():
    rule = owners(Share.parse(">=2/3"), Share.parse(">1/2"))
    # 12 dwellings of 100 m² (1,200 m²): 8 take part (800 m², exactly 2/3), 5 say yes.
    assert outcome(rule, tally(12, 8, 5, area=1200, part_area=800, yes_area=500),
                   [FOR])["passed"] is True
    # 8 owners take part but with only 790 m²: participation fails on area alone.
    short = outcome(rule, tally(12, 8, 5, area=1200, part_area=790, yes_area=500), [FOR])
    assert short["quorum_met"] is False and short["passed"] is False


def test_owners_major_matters_need_three_quarters_of_area_and_headcount():
    rule = owners(Share.parse(">=2/3"), Share.parse(">=3/4"))
    # 8 take part (800 m²): 6 yes with 600 m² is exactly 3/4 of both: passes.
    assert outcome(rule, tally(12, 8, 6, area=1200, part_area=800, yes_area=600),
                   [FOR])["passed"] is True
    # 6 yes of 8 by headcount, but only 590 m² of 800: fails on area.
    assert outcome(rule, tally(12, 8, 6, area=1200, part_area=800, yes_area="590"),
                   [FOR])["passed"] is False
    # 5 yes holding 700 m² of 800: area enough, headcount (5 of 8) not.
    assert outcome(rule, tally(12, 8, 5, area=1200, part_area=800, yes_area=700),
                   [FOR])["passed"] is False


def test_decimals_are_exact():
    third = Share.parse(">=1/3")
    assert third.met(Decimal("33.34"), Decimal("100.00"))
    assert not third.met(Decimal("33.33"), Decimal("100.00"))
