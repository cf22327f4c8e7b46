"""What each topic or vote move writes, or why it is refused (the kit's `effects`), and what
follows it (`after`): declared in `workflow.py`.

- merge: into another open topic of the same or a wider scope, never itself.
- refer: the case the service reported for it, linked.
- open (a vote): the electorate frozen now (`electorate.freeze`); a vote on a topic moves
  the topic to "being voted on".
- cancel: a topic being voted on goes back on the agenda.
"""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from linli.core.errors import ValidationFailed
from linli.core.workflow import system_move
from linli.deliberation.models import Topic, TopicState, Vote
from linli.deliberation.transitions import CLOSED

Effects = dict[str, Any]


def _merge(topic: Topic, actor, now: datetime, data: dict) -> Effects:
    into: Topic | None = data.get("into")
    if into is None or into.pk == topic.pk:
        raise ValidationFailed(_("Choose another topic to merge this one into."),
                               code="merge_target")
    if into.state in CLOSED or into.state == TopicState.MERGED:
        raise ValidationFailed(_("That topic is closed: merge into an open one."),
                               code="merge_target")
    if not topic.area_path.startswith(into.area_path):
        raise ValidationFailed(_("Merge into a topic of the same or a wider place."),
                               code="merge_target")
    return {"merged_into": into}


def _refer(topic: Topic, actor, now: datetime, data: dict) -> Effects:
    return {"case": data["case"]}


TOPIC_EFFECTS = {"merge": _merge, "refer": _refer}


def topic_event_data(action: str, updates: Effects, data: dict) -> dict:
    if action == "merge":
        return {"into": updates["merged_into"].pk}
    if action == "refer":
        return {"case": updates["case"].pk}
    if action in ("vote_opened", "adopt", "reject") and data.get("vote"):
        return {"vote": data["vote"]}
    return {}


def _open(vote: Vote, actor, now: datetime, data: dict) -> Effects:
    from linli.deliberation.electorate import freeze  # the electorate reads the registry

    return freeze(vote, now)


def _after_open(vote: Vote, actor, now: datetime, data: dict) -> None:
    topic = vote.topic
    if topic is not None and topic.state == TopicState.AGENDA:
        system_move(topic, "vote_opened", now, data={"vote": vote.pk})


def _after_cancel(vote: Vote, actor, now: datetime, data: dict) -> None:
    topic = vote.topic
    if topic is not None and topic.state == TopicState.VOTING:
        system_move(topic, "vote_ended", now, note=data.get("note", ""),
                    data={"vote": vote.pk})


VOTE_EFFECTS = {"open": _open}
VOTE_AFTER = {"open": _after_open, "cancel": _after_cancel}
