"""Who hears about a vote's events, and what they read (rules per action, as
`inspections/notify.py`). Runs in a task after the event commits; `source_key` makes a
second run notify nobody twice. An electorate can be thousands: one `notify` call per
message, with the whole list.

- open → the electors with accounts: the vote is open, and when it closes.
- close → the electors and the organisers: the result is published, objections until …
- stand → the electors: the result stands.
- void → the electors and the organisers: an objection was upheld.
- cancel → the electors.
- the sweep's reminder, 24 h before the close → the electors who have not voted.
- an objection raised → the organisers, to answer it.

Texts carry the vote's question and times only: never a choice, never a name.
"""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from linli.deliberation.models import Vote, VoteEvent
from linli.deliberation.selectors_results import elector_users, organisers
from linli.notifications.rules import Made, Rule, message, messages_for, messages_send, moment

KIND = "deliberation.vote"


def _params(vote: Vote) -> dict[str, Any]:
    return {"question": vote.question, "closes": moment(vote.closes_at),
            "until": moment(vote.publicity_ends_at)}


def _vote_url(vote: Vote) -> str:
    return reverse("deliberation:vote", args=[vote.pk])


def _result_url(vote: Vote) -> str:
    return reverse("deliberation:vote_result", args=[vote.pk])


def _opened(e: VoteEvent, v: Vote) -> Made:
    return message(KIND, elector_users(v), gettext_noop("A vote is open: %(question)s"),
                   gettext_noop("You may vote until %(closes)s."), _params(v),
                   link=_vote_url(v))


def _closed(e: VoteEvent, v: Vote) -> Made:
    return message(KIND, [*elector_users(v), *organisers(v)],
                   gettext_noop("Result published: %(question)s"),
                   gettext_noop("The vote has closed and its result is published. "
                                "Objections are taken until %(until)s."), _params(v),
                   link=_result_url(v))


def _stood(e: VoteEvent, v: Vote) -> Made:
    return message(KIND, elector_users(v), gettext_noop("The result stands: %(question)s"),
                   gettext_noop("The 公示 period has ended and the result stands."),
                   _params(v), link=_result_url(v))


def _voided(e: VoteEvent, v: Vote) -> Made:
    return message(KIND, [*elector_users(v), *organisers(v)],
                   gettext_noop("Result void: %(question)s"),
                   gettext_noop("An objection was upheld: the result of this vote is void "
                                "and the matter goes back on the agenda."), _params(v),
                   link=_result_url(v))


def _cancelled(e: VoteEvent, v: Vote) -> Made:
    return message(KIND, elector_users(v), gettext_noop("Vote cancelled: %(question)s"),
                   gettext_noop("The organisers cancelled this vote; no result will be "
                                "counted."), _params(v), link=_vote_url(v))


RULES: dict[str, Rule] = {"open": _opened, "close": _closed, "stand": _stood,
                          "void": _voided, "cancel": _cancelled}


def vote_event_notify(event_id: int) -> list[int]:
    event = (VoteEvent.objects.select_related("vote", "vote__area", "vote__created_by")
             .filter(pk=event_id).first())
    if event is None:
        return []
    messages = messages_for(RULES, event, event.vote)
    return messages_send(messages, subject=event.vote, link=_vote_url(event.vote),
                         source_key=f"deliberation_vote_event:{event.pk}")


def vote_reminder_notify(vote: Vote) -> list[int]:
    """'Closing soon' to the electors with accounts who have not voted (the sweep, once)."""
    made = message(KIND, elector_users(vote, not_voted=True),
                   gettext_noop("Vote closes soon: %(question)s"),
                   gettext_noop("This vote closes at %(closes)s and you have not voted "
                                "yet."), _params(vote), link=_vote_url(vote))
    if not made.recipients:
        return []
    return messages_send([made], subject=vote, link=_vote_url(vote),
                         source_key=f"deliberation_vote_reminder:{vote.pk}")


def objection_raised_notify(vote: Vote, objection_id: int) -> list[int]:
    """An objection to answer → the vote's organisers (the text and its author stay on the
    result page)."""
    made = message("deliberation.objection", organisers(vote),
                   gettext_noop("Objection to answer: %(question)s"),
                   gettext_noop("A resident objected to this vote's result. Answer it before "
                                "the 公示 period ends at %(until)s."), _params(vote),
                   link=_result_url(vote) + "#objections")
    return messages_send([made], subject=vote, link=_result_url(vote),
                         source_key=f"deliberation_objection:{objection_id}")
