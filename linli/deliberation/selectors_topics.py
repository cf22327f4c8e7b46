"""Reads of topics, limited to what the actor may see (built on `selectors.topics_visible`).

- `topic_list`: the list page's and the API's filters (state, category, place, search),
  open topics first, newest first within each.
- `place_choices`: where the actor may raise a topic: a resident the buildings, estates,
  communities and streets at or above their dwelling; staff such places in their scope.
- `comments_shown`: each comment as the actor may read it (a hidden one's text only to its
  author, everyone else reads the moderator's reason; names masked for everyone but staff
  of the place).
- `topic_file`: a topic's photo or attachment by position, for who sees the topic.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from linli.accounts import scope
from linli.core.crypto import mask_name
from linli.deliberation.models import Comment, Topic, TopicEvent, TopicFile, VoteState
from linli.deliberation.permissions import STAFF, is_staff, resident_paths
from linli.deliberation.selectors import meetings_visible, topics_visible, votes_visible
from linli.deliberation.transitions import CLOSED
from linli.orgs.models import Area
from linli.orgs.paths import ancestor_paths
from linli.people.models import Resident

PLACE_KINDS = ("building", "estate", "community", "street")
OPEN_FIRST = Case(When(state__in=sorted(CLOSED), then=Value(1)), default=Value(0),
                  output_field=IntegerField())


@dataclass(frozen=True)
class TopicFilters:
    state: list[str] | None = None
    category: str = ""
    area_id: int | None = None  # this place and everything under it
    search: str = ""


def topic_list(*, actor, filters: TopicFilters | None = None) -> QuerySet[Topic]:
    f = filters or TopicFilters()
    qs = topics_visible(actor).select_related("area")
    if f.state:
        qs = qs.filter(state__in=f.state)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.area_id is not None:
        area = Area.objects.filter(pk=f.area_id).first()
        qs = qs.filter(area_path__startswith=area.path) if area else qs.none()
    if f.search:
        qs = qs.filter(title__icontains=f.search)
    return qs.annotate(closed_last=OPEN_FIRST).order_by("closed_last", "-created_at", "-pk")


def place_choices(actor) -> QuerySet[Area]:
    """The places the actor may raise a topic in, widest first."""
    if not getattr(actor, "is_authenticated", False):
        return Area.objects.none()
    q = Q(pk__in=[])
    homes = resident_paths(actor)
    above = sorted({a for p in homes for a in ancestor_paths(p)})
    if above:
        q |= Q(path__in=above)
    for path in scope.area_paths(actor, STAFF):
        q |= Q(path__startswith=path)
    return Area.objects.filter(q, kind__in=PLACE_KINDS).order_by("depth", "path")


def topic_file(*, actor, topic_id: int, index: int) -> TopicFile:
    topic = topic_get_scoped(actor=actor, topic_id=topic_id)
    files = list(topic.files.order_by("pk"))
    if not 0 <= index < len(files):
        raise Http404
    return files[index]


def topic_get_scoped(*, actor, topic_id: int) -> Topic:
    found = topics_visible(actor).select_related("area", "raised_by").filter(
        pk=topic_id).first()
    if found is None:
        raise Http404
    return found


def comment_get(*, actor, topic: Topic, comment_id: int) -> Comment:
    found = topic.comments.filter(pk=comment_id).first()
    if found is None:
        raise Http404
    return found


def _names(user_ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for user_id, name in Resident.objects.filter(user_id__in=user_ids).order_by(
            "pk").values_list("user_id", "name"):
        if user_id is not None:
            names.setdefault(user_id, name)
    return names


def display_name(user, names: dict[int, str], staff_view: bool, area=None) -> str:
    """Staff of the place speak in office: their name in full, marked as staff. A
    resident by their registry name, masked for everyone but staff."""
    if area is not None and is_staff(user, area):
        return _("%(name)s (staff)") % {"name": user.display_name or user.username}
    name = names.get(user.pk)
    if name is None:
        return str(user) if staff_view else mask_name(str(user))
    return name if staff_view else mask_name(name)


def topic_links(actor, topic: Topic) -> dict[str, list]:
    """The votes on the topic (drafts to staff only) and the meetings it was on the
    agenda of, as `actor` sees them."""
    votes = votes_visible(actor).filter(topic=topic).order_by("-opens_at")
    if not is_staff(actor, topic.area):
        votes = votes.exclude(state=VoteState.DRAFT)
    meetings = meetings_visible(actor).filter(agenda__topic=topic).order_by("-starts_at")
    return {"votes": list(votes), "meetings": list(meetings.distinct())}


def comments_shown(actor, topic: Topic) -> list[dict[str, Any]]:
    """Every comment as `actor` may read it: `text` is None when hidden from them."""
    comments = list(topic.comments.select_related("author"))
    staff_view = is_staff(actor, topic.area)
    names = _names({c.author_id for c in comments})
    shown = []
    for c in comments:
        own = c.author_id == getattr(actor, "pk", None)
        hidden = c.hidden_at is not None
        shown.append({
            "id": c.pk, "at": c.at,
            "author": display_name(c.author, names, staff_view, topic.area),
            "mine": own, "hidden": hidden,
            "hidden_reason": c.hidden_reason if hidden else "",
            "text": c.text if (not hidden or own) else None,
        })
    return shown


def raiser_name(actor, topic: Topic) -> str:
    return display_name(topic.raised_by, _names({topic.raised_by_id}),
                        is_staff(actor, topic.area), topic.area)


def public_events(topic: Topic) -> QuerySet[TopicEvent]:
    return topic.events.filter(is_public=True)


def supports(actor, topic: Topic) -> bool:
    pk = getattr(actor, "pk", None)
    return pk is not None and topic.supporters.filter(user_id=pk).exists()
