"""The counting rules (docs/deliberation.md, "How a vote is decided"), in exact arithmetic.

A `Share` is a fraction with its comparison: ">1/2" is more than half (过半数), ">=2/3"
two thirds or more (三分之二以上: in Chinese law 以上 includes the number itself). A share
is met by `part` of `whole` with integers or Decimals, never floats: 25 of 37 members meets
">=2/3" (75 ≥ 74), 24 does not (72 < 74).

`outcome` applies a vote's rule to its count:

- quorum: the share of the electorate that must take part (none if blank);
- threshold: the "for" votes (or each choice) against the votes cast (abstentions are cast)
  or against the whole electorate, by the vote's share;
- owners (民法典 art. 278): owners holding the participation share of the floor area **and**
  of the headcount must take part; a matter passes with the major (items 6–8) or the
  ordinary share of the participating area **and** of the participating headcount.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed

_SHARE = re.compile(r"^\s*(>=|≥|>)?\s*(\d{1,4})\s*/\s*(\d{1,4})\s*$")


@dataclass(frozen=True)
class Share:
    num: int
    den: int
    strict: bool  # True: more than; False: at least

    @classmethod
    def parse(cls, text: str) -> "Share":
        """">1/2", ">=2/3" (or "≥2/3"; a bare "2/3" means at least). Refuses a share of
        nothing or above the whole."""
        match = _SHARE.match(text or "")
        if not match:
            raise ValidationFailed(
                _("Write a share as a fraction: “>1/2” for more than half, “>=2/3” for two "
                  "thirds or more."), code="bad_share")
        sign, num, den = match.group(1), int(match.group(2)), int(match.group(3))
        if den == 0 or num == 0 or num > den:
            raise ValidationFailed(
                _("A share must be more than nothing and at most the whole (100 %%): “%(s)s”.")
                % {"s": text.strip()}, code="bad_share")
        if sign == ">" and num == den:
            raise ValidationFailed(_("Nobody can have more than the whole (100 %)."),
                                   code="bad_share")
        return cls(num, den, sign == ">")

    def met(self, part, whole) -> bool:
        """Exactly: part/whole > num/den (strict) or ≥ (not strict). Nothing of nothing
        meets no share."""
        if whole <= 0:
            return False
        left, right = Fraction(Decimal(part)) * self.den, Fraction(Decimal(whole)) * self.num
        return left > right if self.strict else left >= right

    def needed(self, whole) -> Decimal:
        """The least amount of `whole` that meets the share (for whole numbers: a count)."""
        exact = Fraction(Decimal(whole)) * self.num / self.den
        if isinstance(whole, int):
            floor = exact.numerator // exact.denominator
            return Decimal(floor + 1 if self.strict or floor < exact else floor)
        return Decimal(exact.numerator) / Decimal(exact.denominator)

    def __str__(self) -> str:
        return f"{'>' if self.strict else '>='}{self.num}/{self.den}"

    def words(self) -> str:
        if self.strict:
            return _("more than %(n)d/%(d)d") % {"n": self.num, "d": self.den}
        return _("at least %(n)d/%(d)d") % {"n": self.num, "d": self.den}


MAJORITY = Share(1, 2, True)
TWO_THIRDS = Share(2, 3, False)


@dataclass(frozen=True)
class Tally:
    """What was counted at the close."""

    electorate: int
    electorate_area: Decimal
    participants: int
    participant_area: Decimal
    options: dict[int, tuple[int, Decimal]]  # option id → (ballots, floor area)


@dataclass(frozen=True)
class Rule:
    """A vote's rule in shares, resolved from its columns and the community's rules."""

    quorum: Share | None
    threshold: Share
    base: str  # "cast" or "electorate"
    owners: bool = False
    participation: Share | None = None  # owners only


def _pass(rule: Rule, tally: Tally, count: int, area: Decimal) -> bool:
    if rule.owners:
        return (rule.threshold.met(count, tally.participants)
                and rule.threshold.met(area, tally.participant_area))
    whole = tally.participants if rule.base == "cast" else tally.electorate
    return rule.threshold.met(count, whole)


def quorum_met(rule: Rule, tally: Tally) -> bool:
    if rule.owners:
        share = rule.participation or TWO_THIRDS
        return (share.met(tally.participants, tally.electorate)
                and share.met(tally.participant_area, tally.electorate_area))
    return rule.quorum is None or rule.quorum.met(tally.participants, tally.electorate)


def outcome(rule: Rule, tally: Tally, deciding: list[int]) -> dict:
    """The result: whether the quorum was met, which of the `deciding` options (the "for"
    option, or every choice of a multiple-choice vote) reached the threshold, and whether
    the vote passed (the quorum met and at least one deciding option through)."""
    met = quorum_met(rule, tally)
    carried = [oid for oid in deciding
               if _pass(rule, tally, *tally.options.get(oid, (0, Decimal(0))))]
    return {"quorum_met": met, "carried": carried if met else [],
            "passed": bool(met and carried)}
