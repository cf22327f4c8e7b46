"""Shapes of the conventions and hall API (docs/openapi.json). Parsing and presentation
only: every rule lives in services, selectors and permissions. No resident is named here."""

from datetime import datetime

from ninja import Field, Schema

from linli.core.bounds import Id
from linli.deliberation.models import Convention
from linli.deliberation.services.conventions import MAX_NOTE, MAX_TEXT, MAX_TITLE

# --- in ----------------------------------------------------------------------------------


class ConventionIn(Schema):
    area_id: Id = Field(description="The place: a street, community, grid, estate or "
                        "building the caller organises (dispatcher or leader).")
    title: str = Field(max_length=MAX_TITLE)
    text: str = Field(max_length=MAX_TEXT, description="Version 1's full text.")
    note: str = Field("", max_length=MAX_NOTE)
    topic_id: Id | None = Field(None, description="The topic it comes from, one the caller "
                                "sees, of the same or a related place.")


class VersionIn(Schema):
    text: str = Field(max_length=MAX_TEXT, description="The new version's full text.")
    note: str = Field(max_length=MAX_NOTE, description="What changed (required).")


# --- out ---------------------------------------------------------------------------------

class VersionOut(Schema):
    id: int
    number: int
    note: str
    created_at: datetime
    adopted_at: datetime | None


class VersionDetailOut(VersionOut):
    convention_id: int
    text: str


class ConventionOut(Schema):
    id: int
    title: str
    area_id: int
    area_name: str
    topic_id: int | None
    in_force: VersionOut | None = Field(description="The version in force, if any.")
    created_at: datetime

    @staticmethod
    def resolve_area_name(obj: Convention) -> str:
        return obj.area.name

    @staticmethod
    def resolve_in_force(obj: Convention):
        return obj.adopted


class DiffLineOut(Schema):
    kind: str = Field(description="same, added or removed")
    text: str


class ConventionDetailOut(ConventionOut):
    in_force_text: str | None
    adopted_by_vote_id: int | None = Field(description="The vote whose pass brought the "
                                           "version in force.")
    versions: list[VersionOut] = Field(description="Every version to staff of the place; "
                                       "the adopted ones only to its residents.")
    diff_from: int | None = Field(description="The version number the diff compares the "
                                  "latest against (the one in force, else the one before).")
    diff: list[DiffLineOut]
    may_draft: bool

    @staticmethod
    def resolve_versions(obj) -> list:
        return obj.versions_seen


class TopicRef(Schema):
    id: int
    title: str
    state: str
    supporter_count: int
    supporters_needed: int


class VoteRef(Schema):
    id: int
    question: str
    state: str
    closes_at: datetime
    passed: bool | None


class VoteForMeOut(Schema):
    vote: VoteRef
    voted: bool


class RunningVoteOut(VoteRef):
    open_objections: int


class MeetingRef(Schema):
    id: int
    title: str
    starts_at: datetime
    place: str


class ConventionRef(Schema):
    id: int
    title: str


class HallOut(Schema):
    is_resident: bool
    is_staff: bool
    collecting: list[TopicRef] = Field(description="Resident: topics of my places "
                                       "collecting support.")
    my_votes: list[VoteForMeOut] = Field(description="Resident: open votes I am in the "
                                         "electorate of.")
    meetings: list[MeetingRef] = Field(description="Upcoming meetings of my places.")
    results: list[VoteRef] = Field(description="Resident: recent results.")
    in_force: list[ConventionRef] = Field(description="Resident: conventions in force.")
    to_screen: list[TopicRef] = Field(description="Staff: raised topics, those with "
                                      "enough supporters first.")
    votes_open: list[RunningVoteOut] = Field(description="Staff: votes open and in 公示.")
    drafts: list[ConventionRef] = Field(description="Staff: convention drafts.")
