"""Reads of a vote's result, its published count, receipts and objections, and who hears
about a vote (its electors with accounts, its organisers).

Nothing of the count is shown before the close, to anyone: `result_published` is the one
question every page and API operation asks. A secret ballot is published with its receipt,
choices and weight only; an open ballot also with its elector's published label.
"""

from dataclasses import dataclass
from decimal import ROUND_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import Role
from linli.deliberation.electorate import adult_born_by
from linli.deliberation.models import (
    Ballot,
    Electorate,
    Objection,
    ObjectionState,
    Participation,
    Stance,
    Vote,
    VoteState,
)
from linli.deliberation.rules import Share
from linli.deliberation.selectors import vote_get
from linli.people.models import Resident, Tenure

User = get_user_model()

PUBLISHED = frozenset({VoteState.PUBLICITY, VoteState.STANDS, VoteState.VOID})
RECEIPT_MAX = 16


def result_published(vote: Vote) -> bool:
    """The count exists and may be shown: the vote has closed (and was not cancelled)."""
    return vote.state in PUBLISHED and bool(vote.result)


def objection_get(*, actor, vote_id: int, objection_id: int) -> Objection:
    """An objection of a vote the actor sees; any other is a 404."""
    from django.http import Http404

    vote = vote_get(actor=actor, vote_id=vote_id)
    found = Objection.objects.filter(vote=vote, pk=objection_id).select_related("vote").first()
    if found is None:
        raise Http404
    return found


def objections_of(vote: Vote):
    return Objection.objects.filter(vote=vote).order_by("at", "pk")


def open_objections(vote: Vote) -> int:
    return Objection.objects.filter(vote=vote, state=ObjectionState.OPEN).count()


# --- the published count -----------------------------------------------------------------

def option_labels(vote: Vote) -> dict[int, str]:
    return {o["id"]: o["label"] for o in vote.result.get("options", [])} or dict(
        vote.options.values_list("pk", "label"))


def ballots_published(vote: Vote):
    """Every ballot by receipt (a receipt names nobody); empty before the close."""
    if not result_published(vote):
        return Ballot.objects.none()
    return (Ballot.objects.filter(vote=vote).select_related("elector")
            .order_by("receipt"))


@dataclass(frozen=True)
class Participant:
    label: str
    channel: str
    choices: list[str]  # empty for a secret ballot


def participants(vote: Vote) -> list[Participant]:
    """Who took part (published for every vote); with their choices for an open one."""
    if not result_published(vote):
        return []
    labels = option_labels(vote)
    chosen: dict[int, list[str]] = {}
    if not vote.secret:
        for elector_id, choices in Ballot.objects.filter(
                vote=vote, elector__isnull=False).values_list("elector_id", "choices"):
            chosen[elector_id] = [labels.get(c, "?") for c in choices]
    rows = Participation.objects.filter(vote=vote).select_related("elector").order_by(
        "elector__label", "pk")
    return [Participant(p.elector.label, p.get_channel_display(),
                        chosen.get(p.elector_id, [])) for p in rows]


# --- receipts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReceiptCheck:
    status: str  # "recorded" (before the close), "counted", "unknown"
    choices: list[str]
    weight: Decimal | None


def clean_receipt(code: str | None) -> str:
    return "".join((code or "").split()).upper()


def receipt_check(vote: Vote, code: str) -> ReceiptCheck:
    """What a receipt says: recorded (no choice shown) until the close, then counted with
    its choices. A code of no ballot of this vote says only that it is unknown."""
    code = clean_receipt(code)
    ballot = Ballot.objects.filter(vote=vote, receipt=code).first() if code else None
    if ballot is None or vote.state == VoteState.CANCELLED:
        return ReceiptCheck("unknown", [], None)
    if not result_published(vote):
        return ReceiptCheck("recorded", [], None)
    labels = option_labels(vote)
    return ReceiptCheck("counted", [labels.get(c, "?") for c in ballot.choices],
                        ballot.weight)


# --- the rule in words ------------------------------------------------------------------------

def _needed(share: Share, whole) -> str:
    if isinstance(whole, int):
        return str(share.needed(whole))
    return str(share.needed(whole).quantize(Decimal("0.01"), rounding=ROUND_UP))


def _verdict(ok: bool) -> str:
    return _("met") if ok else _("not met")


@dataclass(frozen=True)
class Line:
    text: str
    ok: bool


def result_lines(vote: Vote) -> list[Line]:
    """Each measure of the rule with what it needed and what it got, from `vote.result`:
    e.g. "同意 25 票 ≥ 需 25 票（37 的至少 2/3）：达到"."""
    r = vote.result
    if not r:
        return []
    rule = r.get("rule", {})
    electorate, cast = int(r["electorate"]), int(r["participants"])
    area_all, area_cast = Decimal(r["electorate_area"]), Decimal(r["participant_area"])
    lines: list[Line] = []
    threshold = Share.parse(rule["threshold"])
    if rule.get("owners"):
        share = Share.parse(rule.get("participation") or ">=2/3")
        ok = share.met(cast, electorate)
        lines.append(Line(_("Owners taking part: %(got)d, needed %(need)s (%(share)s of "
                            "%(whole)d): %(verdict)s") % {
            "got": cast, "need": _needed(share, electorate), "share": share.words(),
            "whole": electorate, "verdict": _verdict(ok)}, ok))
        ok = share.met(area_cast, area_all)
        lines.append(Line(_("Floor area taking part: %(got)s m², needed %(need)s m² "
                            "(%(share)s of %(whole)s m²): %(verdict)s") % {
            "got": area_cast, "need": _needed(share, area_all), "share": share.words(),
            "whole": area_all, "verdict": _verdict(ok)}, ok))
    elif rule.get("quorum"):
        share = Share.parse(rule["quorum"])
        ok = share.met(cast, electorate)
        lines.append(Line(_("Taking part: %(got)d, needed %(need)s (%(share)s of %(whole)d "
                            "electors): %(verdict)s") % {
            "got": cast, "need": _needed(share, electorate), "share": share.words(),
            "whole": electorate, "verdict": _verdict(ok)}, ok))
    deciding = Stance.CHOICE if vote.multiple else Stance.FOR
    for option in r.get("options", []):
        if option["stance"] != deciding:
            continue
        count, area = int(option["count"]), Decimal(option["area"])
        if rule.get("owners"):
            ok = threshold.met(count, cast)
            lines.append(Line(_("%(label)s: %(got)d owners, needed %(need)s (%(share)s of "
                                "the %(whole)d taking part): %(verdict)s") % {
                "label": option["label"], "got": count, "need": _needed(threshold, cast),
                "share": threshold.words(), "whole": cast, "verdict": _verdict(ok)}, ok))
            ok = threshold.met(area, area_cast)
            lines.append(Line(_("%(label)s: %(got)s m², needed %(need)s m² (%(share)s of "
                                "the %(whole)s m² taking part): %(verdict)s") % {
                "label": option["label"], "got": area, "need": _needed(threshold, area_cast),
                "share": threshold.words(), "whole": area_cast, "verdict": _verdict(ok)}, ok))
            continue
        whole = cast if rule.get("base") == "cast" else electorate
        ok = threshold.met(count, whole)
        words = (_("%(share)s of the %(whole)d votes cast") if rule.get("base") == "cast"
                 else _("%(share)s of the %(whole)d electors"))
        lines.append(Line(_("%(label)s: %(got)d votes, needed %(need)s (%(of)s): "
                            "%(verdict)s") % {
            "label": option["label"], "got": count, "need": _needed(threshold, whole),
            "of": words % {"share": threshold.words(), "whole": whole},
            "verdict": _verdict(ok)}, ok))
    return lines


# --- who hears ------------------------------------------------------------------------------

def elector_users(vote: Vote, *, not_voted: bool = False) -> list:
    """The active accounts that may cast the vote's electors: the resident; a household's
    adult members; a body member's account; a dwelling's owners. With `not_voted`, only
    of the electors who have not taken part."""
    electors = vote.electors.all()
    if not_voted:
        electors = electors.filter(participation__isnull=True)
    current = Resident.objects.filter(moved_out__isnull=True, anonymised_at__isnull=True,
                                      user__isnull=False)
    if vote.electorate == Electorate.ADULTS:
        residents = current.filter(pk__in=electors.values("resident_id"))
    elif vote.electorate == Electorate.HOUSEHOLDS:
        residents = current.filter(household_id__in=electors.values("household_id"),
                                   birth_date__lte=adult_born_by(timezone.localdate()))
    elif vote.electorate == Electorate.OWNERS:
        residents = current.filter(tenure=Tenure.OWNER,
                                   household__dwelling_id__in=electors.values("dwelling_id"))
    else:
        members = current.filter(pk__in=electors.values("member__resident_id"))
        return list(User.objects.filter(
            Q(pk__in=electors.values("member__user_id")) | Q(pk__in=members.values("user_id")),
            is_active=True).order_by("pk"))
    return list(User.objects.filter(pk__in=residents.values("user_id"), is_active=True)
                .order_by("pk"))


def organisers(vote: Vote) -> list:
    """Who answers for the vote: its creator and the dispatchers and leaders assigned at
    its community."""
    community = vote.area.ancestor_of_kind("community") or vote.area
    found = list(User.objects.filter(assignments__role__in=[Role.DISPATCHER, Role.LEADER],
                                     assignments__area_id=community.pk, is_active=True)
                 .distinct().order_by("pk"))
    return [vote.created_by, *found]
