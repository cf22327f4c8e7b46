"""Reads of votes for the votes pages and API, built on `selectors.visible_q`.

- A draft is seen by staff of its place only; an open or closed vote by everyone who sees
  its place (residents at or below it, staff).
- Who took part (label, channel, time) is shown to staff of the place while the vote is
  open, to everyone who sees the vote after the close; never a choice.
- `vote_rule_words`: the rule in words, with the numbers the frozen (or previewed)
  electorate gives.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.accounts import scope
from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, ValidationFailed
from linli.deliberation import permissions, selectors
from linli.deliberation.electorate import elector_for, electors_preview
from linli.deliberation.models import (
    Body,
    ConventionVersion,
    Elector,
    Electorate,
    Meeting,
    Participation,
    Threshold,
    Topic,
    Vote,
    VoteState,
)
from linli.deliberation.rules import MAJORITY, TWO_THIRDS, Share
from linli.deliberation.services.counting import community_rules
from linli.orgs.models import Area

CLOSED = frozenset({VoteState.PUBLICITY, VoteState.STANDS, VoteState.VOID})


def _staff_paths_q(actor) -> Q:
    if not getattr(actor, "is_authenticated", False):
        return Q(pk__in=[])
    return scope.scope_q(actor, roles=permissions.STAFF, path_field="area_path")


def votes_for(actor) -> QuerySet[Vote]:
    """Votes the actor sees: drafts only at or under their staff areas."""
    return selectors.votes_visible(actor).filter(
        ~Q(state=VoteState.DRAFT) | _staff_paths_q(actor))


def vote_list(*, actor, state: list[str] | None = None,
              topic_id: int | None = None) -> QuerySet[Vote]:
    qs = votes_for(actor).select_related("area", "topic")
    if state:
        qs = qs.filter(state__in=state)
    if topic_id is not None:
        qs = qs.filter(topic_id=topic_id)
    return qs.order_by("-created_at", "-pk")


def vote_get(*, actor, vote_id: int) -> Vote:
    """The vote, or 404 when the actor may not see it (exactly as a missing id)."""
    found = votes_for(actor).select_related(
        "area", "topic", "body", "meeting", "convention__convention").filter(pk=vote_id).first()
    if found is None:
        raise Http404
    return found


def elector_get(*, vote: Vote, elector_id: int) -> Elector:
    found = vote.electors.filter(pk=elector_id).first()
    if found is None:
        raise Http404
    return found


def is_staff(actor, vote: Vote) -> bool:
    return permissions.is_staff(actor, vote.area)


def is_organiser(actor, vote: Vote) -> bool:
    return permissions.is_organiser(actor, vote.area)


def may_see_participants(actor, vote: Vote) -> bool:
    if is_staff(actor, vote):
        return vote.state != VoteState.DRAFT
    return vote.state in CLOSED


def label_for(actor, vote: Vote, label: str) -> str:
    """A members' vote names people: masked to all but staff of the place."""
    if vote.electorate == Electorate.MEMBERS and not is_staff(actor, vote):
        return mask_name(label)
    return label


def participants(vote: Vote) -> QuerySet[Participation]:
    return vote.participations.select_related("elector").order_by("at", "pk")


def electors_search(*, vote: Vote, search: str = "") -> QuerySet[Elector]:
    qs = vote.electors.select_related("participation").order_by("label", "pk")
    words = (search or "").strip()[:60]
    if words:
        qs = qs.filter(label__icontains=words)
    return qs


@dataclass(frozen=True)
class Mine:
    """The actor's place in a vote: in the electorate, and whether their elector (they or
    their household) took part, how and when."""

    in_electorate: bool
    voted: bool
    channel: str = ""
    channel_label: str = ""
    at: datetime | None = None
    by_me: bool = False


def my_participation(actor, vote: Vote) -> Mine:
    if vote.state == VoteState.DRAFT:
        return Mine(False, False)
    elector = elector_for(vote, actor)
    if elector is None:
        return Mine(False, False)
    done = Participation.objects.filter(elector=elector).first()
    if done is None:
        return Mine(True, False)
    return Mine(True, True, done.channel, str(done.get_channel_display()), done.at,
                done.cast_by_id == actor.pk)


def receipt_message(vote: Vote) -> str:
    """What the receipt is for, shown with it (once)."""
    text = _("Keep this code. After the close it lets you check that your ballot is in the "
             "count, without showing who you are.")
    if vote.secret and vote.changeable:
        text += " " + _("You need it to change your ballot until the close.")
    return text


def turnout(vote: Vote) -> int:
    return vote.participations.count()


# --- the electorate before opening ------------------------------------------------------

@dataclass(frozen=True)
class Preview:
    count: int
    area: Decimal
    refusal: ApplicationError | None


def electorate_preview(vote: Vote) -> Preview:
    """The electorate as it would be frozen now, or why it cannot open."""
    if vote.state != VoteState.DRAFT:
        return Preview(vote.electorate_count, vote.electorate_area, None)
    try:
        electors = electors_preview(vote)
    except ApplicationError as error:
        return Preview(0, Decimal(0), error)
    area = sum((e.weight for e in electors), Decimal(0))
    if not electors:
        return Preview(0, area, ValidationFailed(
            _("Nobody is in this electorate: nobody could vote. Check the scope and the "
              "registry."), code="empty_electorate"))
    return Preview(len(electors), area, None)


# --- the rule in words ------------------------------------------------------------------

def share_words(share: Share) -> str:
    names = {(1, 2): _("half"), (2, 3): _("two thirds"), (3, 4): _("three quarters")}
    part = names.get((share.num, share.den)) or f"{share.num}/{share.den}"
    if share.strict:
        return _("more than %(part)s") % {"part": part}
    return _("%(part)s or more") % {"part": part}


def _who(vote: Vote) -> tuple[str, str]:
    """The electorate as a noun and its counting unit."""
    if vote.electorate == Electorate.MEMBERS:
        body = vote.body.name if vote.body else ""
        return (_("the members of %(body)s") % {"body": body},
                pgettext("counting unit", "people"))
    if vote.electorate == Electorate.HOUSEHOLDS:
        return _("the households"), pgettext("counting unit", "households")
    if vote.electorate == Electorate.OWNERS:
        return _("the owners"), pgettext("counting unit", "dwellings")
    return _("the adult residents"), pgettext("counting unit", "people")


def _of(share: Share, count: int | None, unit: str) -> str:
    if not count:
        return ""
    return _(" (at least %(needed)s of %(n)d %(unit)s)") % {
        "needed": share.needed(count), "n": count, "unit": unit}


def _parse(text: str) -> Share | None:
    try:
        return Share.parse(text) if text else None
    except ApplicationError:
        return None


def vote_rule_words(vote: Vote, count: int | None = None,
                    floor_area: Decimal | None = None) -> list[str]:
    """How the vote is decided, in sentences: the quorum, then what passes it. `count` and
    `floor_area` are the electorate's (the frozen ones once the vote opened)."""
    if vote.state != VoteState.DRAFT:
        count, floor_area = vote.electorate_count, vote.electorate_area
    who, unit = _who(vote)
    if vote.threshold == Threshold.OWNERS:
        rules = community_rules(vote)
        participation = _parse(rules.owners_participation) or TWO_THIRDS
        decide = _parse(rules.owners_major if vote.matter == "major"
                        else rules.owners_ordinary) or MAJORITY
        lines = [_("Owners holding %(share)s of the floor area and %(share)s of the owners "
                   "must take part.") % {"share": share_words(participation)}]
        if count:
            lines[0] += _(" (at least %(area)s m² and %(needed)s of %(n)d dwellings)") % {
                "area": participation.needed(Decimal(floor_area or 0)).quantize(
                    Decimal("0.01")),
                "needed": participation.needed(count), "n": count}
        lines.append(_("It passes with %(share)s of the participating floor area and of the "
                       "participating owners.") % {"share": share_words(decide)})
        return lines
    lines = []
    quorum = _parse(vote.quorum)
    if quorum is not None:
        lines.append(_("Quorum: %(share)s of %(who)s must take part.") % {
            "share": share_words(quorum), "who": who} + _of(quorum, count, unit))
    if vote.threshold == Threshold.CUSTOM:
        share, base = _parse(vote.custom_share) or MAJORITY, vote.custom_base
    elif vote.threshold == Threshold.TWO_THIRDS_CAST:
        share, base = TWO_THIRDS, "cast"
    elif vote.threshold == Threshold.TWO_THIRDS_ELECTORATE:
        share, base = TWO_THIRDS, "electorate"
    else:
        share, base = MAJORITY, "cast"
    if base == "electorate":
        if vote.multiple:
            line = _("A choice is carried when %(share)s of %(who)s choose it.")
        else:
            line = _("It passes when %(share)s of %(who)s vote for it.")
        lines.append(line % {"share": share_words(share), "who": who}
                     + _of(share, count, unit))
    elif vote.multiple:
        lines.append(_("A choice is carried when %(share)s of the ballots cast choose it.")
                     % {"share": share_words(share)})
    else:
        lines.append(_("It passes when %(share)s of the ballots cast are for it "
                       "(abstentions count as cast).") % {"share": share_words(share)})
    return lines


# --- what a form or a body names by id --------------------------------------------------

def area_choices(actor) -> QuerySet[Area]:
    """Places where the actor may set up a vote."""
    from linli.deliberation.services.votes import VOTE_AREA_KINDS

    return Area.objects.filter(scope.scope_q(actor, roles=permissions.ORGANISERS,
                                             area_field=""),
                               kind__in=VOTE_AREA_KINDS).order_by("path")


def _ref(qs, pk: int | None, message: str, code: str):
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(message, code=code)
    return found


def resolve_refs(actor, ids: dict) -> dict:
    """Turn the ids a form or body names (area_id, topic_id, meeting_id, body_id,
    convention_version_id) into rows the actor may see; an unknown one is a 400."""
    out: dict = {}
    if "area_id" in ids:
        out["area"] = _ref(Area.objects.all(), ids["area_id"],
                           _("Choose the place the vote is held in."), "bad_area")
    if "topic_id" in ids:
        out["topic"] = _ref(selectors.topics_visible(actor), ids["topic_id"],
                            _("Choose a topic you can see."), "bad_topic")
    if "meeting_id" in ids:
        out["meeting"] = _ref(selectors.meetings_visible(actor), ids["meeting_id"],
                              _("Choose a meeting you can see."), "bad_meeting")
    if "body_id" in ids:
        out["body"] = _ref(selectors.bodies_visible(actor), ids["body_id"],
                           _("Choose a body you can see."), "bad_body")
    if "convention_version_id" in ids:
        versions = ConventionVersion.objects.filter(
            convention__in=selectors.conventions_visible(actor)).select_related("convention")
        out["convention_version"] = _ref(versions, ids["convention_version_id"],
                                         _("Choose a convention you can see."),
                                         "bad_convention")
    return out


def topic_choices(actor) -> QuerySet[Topic]:
    return selectors.topics_visible(actor).filter(state="agenda").order_by("-created_at")[:100]


def body_choices(actor) -> QuerySet[Body]:
    return selectors.bodies_visible(actor).filter(is_active=True).order_by("name")[:100]


def meeting_choices(actor) -> QuerySet[Meeting]:
    return selectors.meetings_visible(actor).exclude(state="cancelled").order_by(
        "-starts_at")[:100]
