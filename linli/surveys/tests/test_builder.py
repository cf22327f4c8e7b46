"""Writing surveys: drafts, questions, the template, open and close (services/surveys.py)
and the residents told when one opens (notify.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.surveys import services
from linli.surveys.models import QuestionKind, Survey
from linli.surveys.services import QuestionData, SurveyData


def _data(opens_at=None, closes_at=None) -> SurveyData:
    now = timezone.now()
    return SurveyData(title="2026年第四季度居民需求调研", opens_at=opens_at or now,
                      closes_at=closes_at or now + timedelta(days=14))


def _draft(world, actor=None) -> Survey:
    return services.survey_create(actor=actor or world.alice, area=world.community_a,
                                  data=_data())


def test_staff_draft_a_survey_to_a_place_they_manage(world):
    made = _draft(world)
    assert made.state == "draft" and made.area_path == world.community_a.path
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=world.bob, area=world.community_a, data=_data())
    with pytest.raises(PermissionDenied):
        services.survey_create(actor=world.rita, area=world.community_a, data=_data())
    with pytest.raises(ValidationFailed):
        services.survey_create(actor=world.alice, area=world.dwelling_a, data=_data())
    now = timezone.now()
    with pytest.raises(ValidationFailed, match="close after"):
        services.survey_create(actor=world.alice, area=world.community_a,
                               data=_data(opens_at=now, closes_at=now))
    assert Survey.objects.count() == 1


def test_choice_questions_need_options_and_scales_a_range(world):
    survey = _draft(world)
    for bad in (QuestionData(QuestionKind.SINGLE, "几口人？", ["一人"]),
                QuestionData(QuestionKind.MULTIPLE, "需要？", []),
                QuestionData(QuestionKind.SCALE, "满意？", scale_max=11),
                QuestionData(QuestionKind.SCALE, "满意？", scale_max=1),
                QuestionData(QuestionKind.SINGLE, "x", ["a", "b"], asks_need=True),
                QuestionData("nonsense", "x"), QuestionData(QuestionKind.TEXT, "")):
        with pytest.raises(ValidationFailed):
            services.question_add(actor=world.alice, survey=survey, data=bad)
    assert not survey.questions.exists()
    q = services.question_add(actor=world.alice, survey=survey, data=QuestionData(
        QuestionKind.SINGLE, "几口人？", ["1人", " ", "2人"]))
    assert q.options == ["1人", "2人"] and q.position == 1


def test_template_move_and_remove(world):
    survey = _draft(world)
    made = services.add_quarterly_template(actor=world.alice, survey=survey)
    assert [q.kind for q in made] == ["single", "multiple", "scale", "text", "area"]
    assert made[3].asks_need
    services.question_move(actor=world.alice, question=made[1], up=True)
    order = list(survey.questions.order_by("position").values_list("pk", flat=True))
    assert order[:2] == [made[1].pk, made[0].pk]
    services.question_move(actor=world.alice, question=made[4], up=False)  # the last: stays
    services.question_remove(actor=world.alice, question=made[2])
    assert survey.questions.count() == 4


def test_open_needs_a_question_and_only_drafts_change(world):
    survey = _draft(world)
    with pytest.raises(ValidationFailed, match="Add a question"):
        services.survey_transition(actor=world.alice, survey=survey, action="open")
    q = services.question_add(actor=world.alice, survey=survey, data=QuestionData(
        QuestionKind.TEXT, "最急的困难？", asks_need=True, required=False))
    with pytest.raises(PermissionDenied):
        services.survey_transition(actor=world.bob, survey=survey, action="open")
    services.survey_transition(actor=world.alice, survey=survey, action="open")
    survey.refresh_from_db()
    assert survey.state == "open"
    with pytest.raises(ValidationFailed, match="draft"):
        services.question_add(actor=world.alice, survey=survey,
                              data=QuestionData(QuestionKind.TEXT, "再问？"))
    with pytest.raises(ValidationFailed, match="draft"):
        services.question_remove(actor=world.alice, question=q)
    services.survey_transition(actor=world.alice, survey=survey, action="close")
    survey.refresh_from_db()
    assert survey.state == "closed"


def test_opening_tells_the_audience_residents(world, django_capture_on_commit_callbacks):
    from linli.notifications.models import Notification

    survey = _draft(world)
    services.question_add(actor=world.alice, survey=survey, data=QuestionData(
        QuestionKind.TEXT, "最急的困难？", asks_need=True, required=False))
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_transition(actor=world.alice, survey=survey, action="open")
    told = set(Notification.objects.filter(kind="surveys.opened")
               .values_list("recipient__username", flat=True))
    assert "rita" in told and "alice" not in told
