"""Shapes of the topics API (docs/openapi.json). Parsing and presentation only: every rule
about what is allowed lives in services, selectors and permissions. People are never named
here but as the selectors show them (residents masked for everyone but staff)."""

from datetime import datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.deliberation import selectors_topics
from linli.deliberation.models import MAX_COMMENT, MAX_TEXT, Topic, TopicFile
from linli.deliberation.workflow import TOPICS

# --- in ----------------------------------------------------------------------------------


class TopicIn(Schema):
    area_id: Id = Field(description="The place: a building, estate, community or street "
                        "the caller lives in (at or above their dwelling) or serves.")
    title: str = Field(max_length=80)
    category: str = Field(description="parking, lift, renovation, environment, safety, "
                          "property, public_space, convention or other.", max_length=16)
    description: str = Field(max_length=MAX_TEXT)


class CommentIn(Schema):
    text: str = Field(max_length=MAX_COMMENT)


class HideIn(Schema):
    reason: str = Field(max_length=200, description="Shown with the hidden comment.")


class TopicActionIn(Schema):
    note: str = Field("", max_length=2000, description="decline and complete: required "
                      "(a decline's reason is published); otherwise optional.")
    expected_version: Int32 | None = Field(None, description="The topic version the client "
                                           "read; a newer topic answers 409 `stale`.")
    into_id: Id | None = Field(None, description="merge: the open topic to merge into.")
    category_id: Id | None = Field(None, description="refer: an active leaf category of "
                                   "cases.")


class ProgressIn(Schema):
    note: str = Field(max_length=MAX_TEXT)
    case_id: Id | None = Field(None, description="A case the caller sees.")
    task_id: Id | None = Field(None, description="A volunteering task the caller sees.")
    budget: Decimal | None = Field(None, ge=0, le=Decimal("9999999999.99"), decimal_places=2,
                                   description="An amount in yuan.")


# --- out ---------------------------------------------------------------------------------

class TopicOut(Schema):
    id: int
    title: str
    category: str
    state: str
    version: int
    area_id: int
    area_name: str
    supporters_needed: int
    supporter_count: int
    created_at: datetime
    agenda_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime | None
    done_at: datetime | None

    @staticmethod
    def resolve_area_name(obj: Topic) -> str:
        return obj.area.name


class TopicFileOut(Schema):
    index: int
    name: str
    content_type: str
    url: str
    thumbnail_url: str | None


class TopicEventOut(Schema):
    id: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    note: str
    data: dict


class TopicDetailOut(TopicOut):
    description: str
    outcome: str
    raised_by: str = Field(description="The raiser as the caller may see them (a "
                           "resident's name masked for everyone but staff).")
    raised_by_staff: bool
    merged_into_id: int | None
    case_id: int | None
    supported_by_me: bool
    files: list[TopicFileOut]
    events: list[TopicEventOut]
    allowed_actions: list[str] = Field(
        description="Moves the caller may take now, for POST "
                    "/api/deliberation/topics/{topic_id}/actions/{action}.")

    @staticmethod
    def resolve_raised_by(obj: Topic, context) -> str:
        return selectors_topics.raiser_name(context["request"].user, obj)

    @staticmethod
    def resolve_supported_by_me(obj: Topic, context) -> bool:
        return selectors_topics.supports(context["request"].user, obj)

    @staticmethod
    def resolve_files(obj: Topic) -> list[dict]:
        return [file_out(obj, i, f) for i, f in enumerate(obj.files.order_by("pk"))]

    @staticmethod
    def resolve_events(obj: Topic) -> list:
        return list(selectors_topics.public_events(obj))

    @staticmethod
    def resolve_allowed_actions(obj: Topic, context) -> list[str]:
        return TOPICS.actions_for(context["request"].user, obj)


def file_out(topic: Topic, index: int, f: TopicFile) -> dict:
    url = reverse("deliberation:topic_file", args=[topic.pk, index])
    return {"index": index, "name": f.name, "content_type": f.content_type, "url": url,
            "thumbnail_url": (reverse("deliberation:topic_thumb", args=[topic.pk, index])
                              if f.thumbnail else None)}


class CommentOut(Schema):
    id: int
    at: datetime
    author: str = Field(description="Masked for everyone but staff of the place.")
    mine: bool
    hidden: bool
    hidden_reason: str
    text: str | None = Field(description="null when hidden by a moderator (its author "
                             "still reads it).")


class TopicProgressOut(Schema):
    id: int
    at: datetime
    note: str
    case_id: int | None
    task_id: int | None
    budget: Decimal | None
