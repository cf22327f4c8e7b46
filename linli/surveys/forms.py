"""Reading the survey pages' forms into the services' inputs (the services check them)."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.core.errors import ValidationFailed
from linli.surveys.models import QuestionKind, Survey
from linli.surveys.services import QuestionData, SurveyData


def _when(value: str, label: str) -> datetime:
    parsed = parse_datetime((value or "").strip())
    if parsed is None:
        raise ValidationFailed(_("%(field)s: give a date and time.") % {"field": label},
                               code="invalid")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def survey_data(post) -> SurveyData:
    return SurveyData(title=post.get("title", ""), intro=post.get("intro", ""),
                      per=post.get("per", "household"),
                      opens_at=_when(post.get("opens_at", ""), pgettext("survey", "Opens")),
                      closes_at=_when(post.get("closes_at", ""), _("Closes")))


def question_data(post) -> QuestionData:
    scale = (post.get("scale_max") or "5").strip()
    if not scale.isdigit():
        raise ValidationFailed(_("A scale goes up to a number from 2 to 10."),
                               code="bad_scale")
    kind = post.get("kind", "")
    return QuestionData(kind=kind, text=post.get("text", ""),
                        options=(post.get("options") or "").splitlines(),
                        scale_max=int(scale[:3]), required=post.get("required") == "on",
                        asks_need=kind == QuestionKind.TEXT and post.get("asks_need") == "on")


def answers_from(survey: Survey, post) -> dict[int, object]:
    """The posted answers by question id ("q<id>" fields; several for a multiple choice)."""
    answers: dict[int, object] = {}
    for question in survey.questions.all():
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            answers[question.pk] = post.getlist(name)
        else:
            answers[question.pk] = post.get(name, "")
    return answers


def posted_answers(survey: Survey, post) -> dict[str, object]:
    """What was typed, for showing the form again (keys "q<id>"; lists as strings)."""
    kept: dict[str, object] = {}
    for question in survey.questions.all():
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            kept[name] = post.getlist(name)
        else:
            kept[name] = post.get(name, "")
    return kept
