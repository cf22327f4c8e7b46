"""Shapes of the surveys API (docs/openapi.json). Parsing and presentation only: the rules
live in services and selectors."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from linli.core.bounds import Id, Int32
from linli.surveys.workflow import SURVEYS

# --- in ----------------------------------------------------------------------------------


class SurveyIn(Schema):
    area_id: Id = Field(description="A street, community, grid, estate or building the "
                        "caller manages.")
    title: str = Field(max_length=80)
    intro: str = Field("", max_length=2000)
    per: str = Field("household", max_length=10, description="household or person.")
    opens_at: datetime
    closes_at: datetime


class SurveyUpdateIn(Schema):
    title: str = Field(max_length=80)
    intro: str = Field("", max_length=2000)
    per: str = Field("household", max_length=10)
    opens_at: datetime
    closes_at: datetime
    expected_version: Int32 | None = Field(None, description="The version the client read; "
                                           "a newer survey answers 409 `stale`.")


class QuestionIn(Schema):
    kind: str = Field(max_length=8, description="single, multiple, scale, text or area.")
    text: str = Field(max_length=200)
    options: list[str] = Field(default_factory=list, max_length=20,
                               description="single, multiple: 2 to 20 options.")
    scale_max: Int32 = Field(5, description="scale: up to 2..10.")
    required: bool = True
    asks_need: bool = Field(False, description="text: each answer becomes a need.")


class SurveyActionIn(Schema):
    note: str = Field("", max_length=2000)
    expected_version: Int32 | None = None


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(description="By question id: an option index (single), "
                                    "a list of indexes (multiple), a number (scale), a text, "
                                    "an area id (area).")
    household_id: Id | None = Field(None, description="Staff during a visit: the household.")
    resident_id: Id | None = Field(None, description="A survey per person: who answers.")
    via: str = Field("online", max_length=8, description="online (a resident) or visit "
                     "(staff, with household_id).")


# --- out ---------------------------------------------------------------------------------


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    options: list[str]
    scale_max: int
    required: bool
    asks_need: bool


class SurveyOut(Schema):
    id: int
    title: str
    area_id: int
    area_name: str = Field(alias="area.name")
    per: str
    state: str
    opens_at: datetime
    closes_at: datetime
    version: int


class SurveyDetailOut(SurveyOut):
    intro: str
    questions: list[QuestionOut]
    allowed_actions: list[str]

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        request = context["request"] if context else None
        return SURVEYS.actions_for(request.user, obj) if request else []


class SurveyAnswerOut(Schema):
    question_id: int
    choices: list[int]
    number: int | None
    text: str
    area_id: int | None
    need_id: int | None


class ResponseOut(Schema):
    id: int
    survey_id: int
    household_id: int
    resident_id: int | None
    via: str
    created_at: datetime
    answers: list[SurveyAnswerOut]

    @staticmethod
    def resolve_answers(obj) -> list:
        return list(obj.answers.all())


class QuestionReportOut(Schema):
    question_id: int
    kind: str
    text: str
    answered: int
    labels: list[str]
    counts: list[int]
    average: float | None
    texts: list[str]


class NeedRowOut(Schema):
    need_id: int
    text: str
    urgency: str
    state: str
    outcome: str


class ReportOut(Schema):
    households: int
    responses: int
    online: int
    visits: int
    rate: float | None
    questions: list[QuestionReportOut]
    needs: list[NeedRowOut]
    by_urgency: dict[str, dict[str, int]] = Field(
        description="Needs counted by urgency ('' unclassified) and outcome ('' none yet).")
