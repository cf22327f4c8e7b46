"""Reads of deliberation, limited to what the actor may see. Another app reads deliberation
only through here (and `services`).

- Staff (grid workers, dispatchers, leaders) see what is placed at, under or above their
  areas: a grid worker sees the community's topics and the topics of their grid's buildings.
- Residents see what is placed at or above their dwelling: their building's, estate's,
  community's and street's topics, meetings, votes and conventions.

Each part's own reads live in `selectors_<part>.py` and build on `visible_q`.
"""

from django.db.models import Q
from django.http import Http404

from linli.accounts import scope
from linli.accounts.models import Role
from linli.deliberation.models import Body, Convention, Meeting, Topic, Vote
from linli.deliberation.permissions import STAFF


def staff_q(actor, path_field: str = "area_path") -> Q:
    """Rows at, under or above one of the actor's staff areas."""
    return scope.reach_q(actor, STAFF, path_field=path_field)


def resident_q(actor, path_field: str = "area_path") -> Q:
    """Rows at or above one of the actor's dwellings."""
    return scope.reach_q(actor, [Role.RESIDENT], path_field=path_field, below=False)


def visible_q(actor, path_field: str = "area_path") -> Q:
    return staff_q(actor, path_field) | resident_q(actor, path_field)


def topics_visible(actor):
    return Topic.objects.filter(visible_q(actor))


def bodies_visible(actor):
    return Body.objects.filter(visible_q(actor))


def meetings_visible(actor):
    return Meeting.objects.filter(visible_q(actor))


def votes_visible(actor):
    return Vote.objects.filter(visible_q(actor))


def conventions_visible(actor):
    return Convention.objects.filter(visible_q(actor))


def _one(qs, pk: int):
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def topic_get(*, actor, topic_id: int) -> Topic:
    return _one(topics_visible(actor).select_related("area"), topic_id)


def body_get(*, actor, body_id: int) -> Body:
    return _one(bodies_visible(actor).select_related("area"), body_id)


def meeting_get(*, actor, meeting_id: int) -> Meeting:
    return _one(meetings_visible(actor).select_related("area", "body"), meeting_id)


def vote_get(*, actor, vote_id: int) -> Vote:
    return _one(votes_visible(actor).select_related("area", "topic", "body"), vote_id)


def convention_get(*, actor, convention_id: int) -> Convention:
    return _one(conventions_visible(actor).select_related("area"), convention_id)


def open_topics(*, area_path: str, limit: int = 50):
    """Topics of a place still being discussed, voted on or carried out: what a joint
    meeting (party app) may put on its agenda."""
    from linli.deliberation.models import TopicState

    live = (TopicState.RAISED, TopicState.AGENDA, TopicState.VOTING, TopicState.ADOPTED)
    return list(Topic.objects.filter(area_path__startswith=area_path, state__in=live)
                .order_by("-pk")[:limit])
