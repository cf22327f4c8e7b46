"""Builders for needs-survey tests: rows as the services would write them."""

from datetime import timedelta

from django.utils import timezone

from linli.orgs.models import Area
from linli.people.models import Household
from linli.surveys.models import Per, Question, QuestionKind, Response, Survey, SurveyState

STANDARD = [
    (QuestionKind.SINGLE, "您家常住几口人？", ["1人", "2人", "3人", "4人及以上"], False),
    (QuestionKind.MULTIPLE, "您最需要哪些服务？", ["助老助餐", "托育看护", "家政维修", "健康义诊",
                                                "法律咨询"], False),
    (QuestionKind.SCALE, "您对社区服务的满意程度", [], False),
    (QuestionKind.TEXT, "您家目前最急需解决的困难或期盼是什么？", [], True),
]


def survey(world, *, area: Area | None = None, actor=None,
           title: str = "2026年第四季度居民需求调研", state: str = SurveyState.OPEN,
           per: str = Per.HOUSEHOLD, questions=STANDARD, days: int = 30) -> Survey:
    """A survey open from an hour ago for `days` days with the standard questions (the
    last one asks for needs; none is required)."""
    area = area or world.community_a
    now = timezone.now()
    made = Survey.objects.create(
        area=area, area_path=area.path, title=title, per=per, state=state,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=days),
        opened_at=now if state != SurveyState.DRAFT else None,
        created_by=actor or world.alice)
    for position, (kind, text, options, asks_need) in enumerate(questions, start=1):
        Question.objects.create(survey=made, position=position, kind=kind, text=text,
                                options=options, asks_need=asks_need, required=False)
    return made


def response(of: Survey, household: Household, *, by, via: str = "online") -> Response:
    return Response.objects.create(survey=of, once_key=f"h{household.pk}", household=household,
                                   area_path=household.area_path, entered_by=by, via=via,
                                   created_at=timezone.now())
