"""Setting up votes: drafts written and changed by organisers, then opened or cancelled
through the workflow (`VOTES`). Casting is `services.ballots`.

A draft is checked whole on every write (`_clean`): the place (an area the organiser
serves), the question, the topic (visible, on the agenda), the meeting (same place), the
electorate with its body (members) and its rule (owners ↔ owners' rule), the options
(yes/no made here, or 2–20 unique choices), the quorum and threshold shares, the closing
time (future, at most 90 days ahead), the 公示 days (0–30) and a convention version (of a
convention in scope, not adopted, its latest version).
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.deliberation import permissions
from linli.deliberation.electorate import check_rule
from linli.deliberation.models import (
    MAX_TEXT,
    Base,
    Body,
    ConventionVersion,
    Electorate,
    Matter,
    Meeting,
    MeetingState,
    Option,
    Stance,
    Threshold,
    Topic,
    TopicState,
    Vote,
    VoteState,
)
from linli.deliberation.rules import Share
from linli.deliberation.services.counting import community_rules
from linli.deliberation.workflow import VOTES
from linli.orgs.models import Area

YES_NO = "yes_no"
CHOICES = "choices"
KINDS = (YES_NO, CHOICES)
VOTE_AREA_KINDS = ("street", "community", "grid", "estate", "building")
MAX_QUESTION = 200
MAX_OPTIONS = 20
MAX_LABEL = 100
MAX_DAYS_AHEAD = 90
MAX_PUBLICITY = 30
PAGE_ACTIONS = ("open", "cancel")
# The fields of a draft, as vote_create takes them and vote_update changes them.
FIELDS = ("area", "question", "description", "topic", "meeting", "electorate", "body",
          "matter", "kind", "choices", "max_choices", "quorum", "threshold", "custom_share",
          "custom_base", "secret", "changeable", "closes_at", "publicity_days",
          "convention_version")


def yes_no_options() -> list[tuple[str, str]]:
    return [("同意", Stance.FOR), ("反对", Stance.AGAINST), ("弃权", Stance.ABSTAIN)]


def _bad(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code)


def _clean_labels(choices) -> list[str]:
    labels = [str(c).strip() for c in choices or () if str(c).strip()]
    if not 2 <= len(labels) <= MAX_OPTIONS:
        raise _bad(_("Offer between 2 and %(n)d choices.") % {"n": MAX_OPTIONS},
                   "bad_choices")
    if any(len(label) > MAX_LABEL for label in labels):
        raise _bad(_("A choice is at most %(n)d characters.") % {"n": MAX_LABEL},
                   "bad_choices")
    if len(set(labels)) != len(labels):
        raise _bad(_("Each choice is offered once: two choices have the same words."),
                   "bad_choices")
    return labels


def _clean_share(text: str) -> str:
    text = (text or "").strip()
    return str(Share.parse(text)) if text else ""


def _check_topic(actor, topic: Topic | None, area: Area, current: Topic | None) -> None:
    if topic is None or (current is not None and topic.pk == current.pk):
        return
    from linli.deliberation.selectors import topics_visible

    if not topics_visible(actor).filter(pk=topic.pk).exists():
        raise _bad(_("Choose a topic you can see."), "bad_topic")
    if topic.state != TopicState.AGENDA:
        raise _bad(_("Only a topic on the agenda is put to a vote (this one is %(state)s).")
                   % {"state": topic.get_state_display()}, "bad_topic")


def _check_meeting(meeting: Meeting | None, area: Area) -> None:
    if meeting is None:
        return
    if meeting.area_id != area.pk:
        raise _bad(_("The meeting is of another place: choose one of the vote's place."),
                   "bad_meeting")
    if meeting.state == MeetingState.CANCELLED:
        raise _bad(_("That meeting was cancelled."), "bad_meeting")


def _check_body(actor, body: Body | None, area: Area) -> None:
    from linli.deliberation.selectors import bodies_visible

    if body is None:
        raise _bad(_("A vote of a body's members names the body."), "body_required")
    if not bodies_visible(actor).filter(pk=body.pk).exists():
        raise _bad(_("Choose a body you can see."), "bad_body")
    if not body.is_active:
        raise _bad(_("That body is no longer active."), "bad_body")


def _check_version(actor, version: ConventionVersion | None,
                   current: ConventionVersion | None) -> None:
    if version is None or (current is not None and version.pk == current.pk):
        return
    from linli.deliberation.selectors import conventions_visible

    convention = version.convention
    if not conventions_visible(actor).filter(pk=convention.pk).exists():
        raise _bad(_("Choose a convention you can see."), "bad_convention")
    if version.adopted_at is not None or convention.adopted_id == version.pk:
        raise _bad(_("This version of the convention is already adopted."),
                   "bad_convention")
    latest = convention.versions.order_by("-number").values_list("pk", flat=True).first()
    if latest != version.pk:
        raise _bad(_("A newer version of this convention exists: put the latest to the "
                     "vote."), "bad_convention")


def _clean(actor, data: dict[str, Any], now: datetime, vote: Vote | None) -> dict[str, Any]:
    """The draft's columns and options, every field checked; refuses the first bad one."""
    area = data["area"]
    if not isinstance(area, Area) or area.kind not in VOTE_AREA_KINDS:
        raise _bad(_("Choose the place the vote is held in: a street, community, grid, "
                     "estate or building."), "bad_area")
    if not permissions.is_organiser(actor, area):
        raise PermissionDenied(_("Only a dispatcher or leader of this place sets up its "
                                 "votes."))
    question = (data["question"] or "").strip()
    if not question or len(question) > MAX_QUESTION:
        raise _bad(_("Ask the question in 1 to %(n)d characters.") % {"n": MAX_QUESTION},
                   "bad_question")
    description = (data["description"] or "").strip()
    if len(description) > MAX_TEXT:
        raise _bad(_("The explanation is at most %(n)d characters.") % {"n": MAX_TEXT},
                   "bad_description")
    _check_topic(actor, data["topic"], area, vote.topic if vote else None)
    _check_meeting(data["meeting"], area)
    electorate = data["electorate"]
    if electorate not in Electorate.values:
        raise _bad(_("Choose who votes."), "bad_electorate")
    body = data["body"] if electorate == Electorate.MEMBERS else None
    if electorate == Electorate.MEMBERS:
        _check_body(actor, body, area)
    if data["matter"] not in Matter.values:
        raise _bad(_("Choose the kind of matter."), "bad_matter")
    kind = data["kind"]
    if kind not in KINDS:
        raise _bad(_("Choose yes/no or several choices."), "bad_kind")
    if kind == YES_NO:
        options = yes_no_options()
        max_choices = 1
    else:
        options = [(label, Stance.CHOICE) for label in _clean_labels(data["choices"])]
        max_choices = data["max_choices"]
        if not isinstance(max_choices, int) or not 1 <= max_choices <= len(options):
            raise _bad(_("Each voter chooses between 1 and %(n)d of the choices.")
                       % {"n": len(options)}, "bad_max_choices")
    threshold = data["threshold"]
    if threshold not in Threshold.values:
        raise _bad(_("Choose how the vote is decided."), "bad_threshold")
    custom_share, custom_base = "", Base.CAST
    if threshold == Threshold.CUSTOM:
        custom_share = _clean_share(data["custom_share"])
        if not custom_share:
            raise _bad(_("Give the share a custom rule needs, e.g. “>=3/5”."), "bad_share")
        custom_base = data["custom_base"]
        if custom_base not in Base.values:
            raise _bad(_("Choose what the share is of: the votes cast or the electorate."),
                       "bad_base")
    quorum = _clean_share(data["quorum"])
    closes_at = data["closes_at"]
    if not isinstance(closes_at, datetime) or closes_at <= now:
        raise _bad(_("The closing time must be in the future."), "bad_closes_at")
    if closes_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise _bad(_("A vote closes at most %(n)d days ahead.") % {"n": MAX_DAYS_AHEAD},
                   "bad_closes_at")
    publicity = data["publicity_days"]
    if publicity is None:
        publicity = community_rules(area).publicity_days
    if not isinstance(publicity, int) or not 0 <= publicity <= MAX_PUBLICITY:
        raise _bad(_("The 公示 period is 0 to %(n)d working days.") % {"n": MAX_PUBLICITY},
                   "bad_publicity_days")
    version = data["convention_version"]
    _check_version(actor, version, vote.convention if vote else None)
    columns = {
        "area": area, "area_path": area.path, "question": question,
        "description": description, "topic": data["topic"], "meeting": data["meeting"],
        "electorate": electorate, "body": body, "matter": data["matter"],
        "multiple": kind == CHOICES, "max_choices": max_choices, "quorum": quorum,
        "threshold": threshold, "custom_share": custom_share, "custom_base": custom_base,
        "secret": bool(data["secret"]), "changeable": bool(data["changeable"]),
        "closes_at": closes_at, "publicity_days": publicity, "convention": version,
    }
    check_rule(Vote(**columns))
    return {"columns": columns, "options": options}


def _write_options(vote: Vote, options: list[tuple[str, str]]) -> None:
    vote.options.all().delete()
    Option.objects.bulk_create([Option(vote=vote, label=label, stance=stance, position=n)
                                for n, (label, stance) in enumerate(options)])


def _defaults() -> dict[str, Any]:
    return {"description": "", "topic": None, "meeting": None, "body": None,
            "matter": Matter.ORDINARY, "kind": YES_NO, "choices": (), "max_choices": 1,
            "quorum": "", "threshold": Threshold.MAJORITY_CAST, "custom_share": "",
            "custom_base": Base.CAST, "secret": True, "changeable": False,
            "publicity_days": None, "convention_version": None}


@transaction.atomic
def vote_create(*, actor, area: Area, question: str, electorate: str, closes_at: datetime,
                now: datetime | None = None, **fields) -> Vote:
    """A draft vote by an organiser (dispatcher or leader) of `area`. The other fields
    (see FIELDS) default to a secret yes/no vote decided by more than half of the votes
    cast, with the community's 公示 days."""
    now = now or timezone.now()
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown vote fields: {sorted(unknown)}")
    data = _defaults() | fields | {"area": area, "question": question,
                                   "electorate": electorate, "closes_at": closes_at}
    clean = _clean(actor, data, now, None)
    vote = Vote.objects.create(**clean["columns"], opens_at=now, created_by=actor)
    _write_options(vote, clean["options"])
    audit_record(actor=actor, action="vote.create", obj=vote,
                 changes={"question": vote.question, "electorate": vote.electorate},
                 area_path=vote.area_path)
    return vote


def vote_fields(vote: Vote) -> dict[str, Any]:
    """A draft's current fields as vote_create takes them (forms start from these)."""
    options = list(vote.options.all())
    return {"area": vote.area, "question": vote.question, "description": vote.description,
            "topic": vote.topic, "meeting": vote.meeting, "electorate": vote.electorate,
            "body": vote.body, "matter": vote.matter,
            "kind": CHOICES if vote.multiple else YES_NO,
            "choices": [o.label for o in options] if vote.multiple else [],
            "max_choices": vote.max_choices, "quorum": vote.quorum,
            "threshold": vote.threshold, "custom_share": vote.custom_share,
            "custom_base": vote.custom_base, "secret": vote.secret,
            "changeable": vote.changeable, "closes_at": vote.closes_at,
            "publicity_days": vote.publicity_days, "convention_version": vote.convention}


@transaction.atomic
def vote_update(*, actor, vote: Vote, expected_version: int | None = None,
                now: datetime | None = None, **changes) -> Vote:
    """Change a draft: only the fields given (see FIELDS), the whole draft checked again.
    Only a draft changes; a newer version than `expected_version` is a conflict."""
    from linli.core.errors import Conflict

    now = now or timezone.now()
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown vote fields: {sorted(unknown)}")
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if not permissions.is_organiser(actor, vote.area):
        raise PermissionDenied(_("Only a dispatcher or leader of this place sets up its "
                                 "votes."))
    if vote.state != VoteState.DRAFT:
        raise _bad(_("Only a draft is changed: this vote is %(state)s.")
                   % {"state": vote.get_state_display()}, "not_draft")
    if expected_version is not None and expected_version != vote.version:
        raise Conflict(_("This vote changed since you opened it. Reload the page and check "
                         "before you act."), code="stale")
    before = vote_fields(vote)
    data = before | changes
    if ("kind" in changes or "choices" in changes) and data["kind"] == YES_NO:
        data["choices"] = []
    clean = _clean(actor, data, now, vote)
    for name, value in clean["columns"].items():
        setattr(vote, name, value)
    vote.version += 1
    vote.save()
    options_changed = ("kind" in changes or "choices" in changes) and (
        data["kind"] != before["kind"] or list(data["choices"] or []) != before["choices"])
    if options_changed:
        _write_options(vote, clean["options"])
    audit_record(actor=actor, action="vote.update", obj=vote,
                 changes={"fields": sorted(changes)}, area_path=vote.area_path)
    return vote


def vote_transition(*, actor, vote: Vote, action: str, note: str = "",
                    expected_version: int | None = None, now: datetime | None = None):
    """Open a draft (its electorate frozen now) or cancel a draft or open vote (a reason
    is required). Other moves (close, stand, void) are the system's."""
    if action not in PAGE_ACTIONS:
        raise _bad(_("Unknown action."), "unknown_action")
    with transaction.atomic():
        return VOTES.transition(actor=actor, obj=vote, action=action, note=note,
                                expected_version=expected_version, now=now)
