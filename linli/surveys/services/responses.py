"""Answering a survey: once per household (or person), checked whole before anything is
written.

- Who: a resident for their own household (for a survey per person: themselves or a
  member of their household); staff serving the household's place, during a visit.
- When: the survey is open and its time has come and not passed.
- What: every answer is checked against its question (an option that exists, a scale
  value in range, a text not too long, a place within the survey's audience); a required
  question left empty is named. Any error: nothing is written.
- Once: the second response of a household (or person) is refused, by a readable check
  and, under concurrency, by the unique constraint on (survey, once_key).
- Needs: each non-empty answer to a question that asks for needs becomes a need in the
  service library (library.services.need_post), linked from the answer.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.models import Area
from linli.people.models import Household, Resident
from linli.people.selectors import own_record
from linli.surveys import permissions
from linli.surveys.models import (
    MAX_TEXT,
    Answer,
    Per,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyState,
    Via,
)


@dataclass
class Checked:
    """One answer, checked, ready to write."""

    question: Question
    choices: list[int]
    number: int | None = None
    text: str = ""
    area: Area | None = None

    @property
    def empty(self) -> bool:
        return not self.choices and self.number is None and not self.text and not self.area


def is_open(survey: Survey, now: datetime) -> bool:
    return survey.state == SurveyState.OPEN and survey.opens_at <= now < survey.closes_at


def _check_open(survey: Survey, now: datetime) -> None:
    if survey.state != SurveyState.OPEN:
        raise ValidationFailed(_("This survey is not taking answers (%(state)s).")
                               % {"state": survey.get_state_display()}, code="not_open")
    local = timezone.localtime
    if now < survey.opens_at:
        raise ValidationFailed(_("This survey opens at %(at)s.") % {
            "at": local(survey.opens_at).strftime("%Y-%m-%d %H:%M")}, code="not_open")
    if now >= survey.closes_at:
        raise ValidationFailed(_("This survey closed at %(at)s.") % {
            "at": local(survey.closes_at).strftime("%Y-%m-%d %H:%M")}, code="closed")


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _refuse(question: Question, message: str) -> ValidationFailed:
    return ValidationFailed(_("%(question)s: %(problem)s") % {
        "question": question.text, "problem": message}, code="bad_answer")


def _choice(question: Question, value) -> list[int]:
    index = _int(value)
    if index is None or not 0 <= index < len(question.options):
        raise _refuse(question, _("choose one of the options."))
    return [index]


def _choices(question: Question, value) -> list[int]:
    values = value if isinstance(value, list | tuple) else [value]
    picked = [_int(v) for v in values]
    if any(i is None or not 0 <= i < len(question.options) for i in picked):
        raise _refuse(question, _("choose among the options."))
    return sorted({i for i in picked if i is not None})


def _scale(question: Question, value) -> int:
    number = _int(value)
    if number is None or not 1 <= number <= question.scale_max:
        raise _refuse(question, _("give a value from 1 to %(n)d.") % {"n": question.scale_max})
    return number


def _area(survey: Survey, question: Question, value) -> Area:
    pk = _int(value)
    area = Area.objects.filter(pk=pk).first() if pk is not None else None
    if area is None or not area.path.startswith(survey.area_path):
        raise _refuse(question, _("choose a place within the survey's area."))
    return area


def _blank(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def check_answer(survey: Survey, question: Question, value) -> Checked:
    """The answer to `question`, checked; empty when not given."""
    if _blank(value):
        return Checked(question, [])
    kind = question.kind
    if kind == QuestionKind.SINGLE:
        return Checked(question, _choice(question, value))
    if kind == QuestionKind.MULTIPLE:
        return Checked(question, _choices(question, value))
    if kind == QuestionKind.SCALE:
        return Checked(question, [], number=_scale(question, value))
    if kind == QuestionKind.AREA:
        return Checked(question, [], area=_area(survey, question, value))
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise _refuse(question, _("at most 2000 characters."))
    return Checked(question, [], text=text)


def check_answers(survey: Survey, answers: dict[Any, Any]) -> list[Checked]:
    """All answers, checked against the survey's questions: unknown questions and empty
    required ones refused."""
    questions = {q.pk: q for q in survey.questions.all()}
    given: dict[int, Any] = {}
    for key, value in (answers or {}).items():
        pk = _int(key)
        if pk is None or pk not in questions:
            raise ValidationFailed(_("An answer is to a question this survey does not have."),
                                   code="unknown_question")
        given[pk] = value
    checked = [check_answer(survey, q, given.get(pk)) for pk, q in questions.items()]
    missing = [c.question.text for c in checked if c.empty and c.question.required]
    if missing:
        raise ValidationFailed(_("Please answer: %(questions)s") % {
            "questions": "；".join(missing)}, code="answer_required")
    return checked


def _respondent(actor, survey: Survey, household: Household,
                resident: Resident | None, via: str) -> None:
    """Who may answer for whom, and how."""
    if via == Via.VISIT:
        if not permissions.serves(actor, household.dwelling):
            raise PermissionDenied(_("Only staff serving this household enter its answers."),
                                   code="not_staff")
        return
    if via != Via.ONLINE:
        raise ValidationFailed(_("Unknown way of answering."), code="bad_via")
    record = own_record(actor)
    if record is None or record.household_id != household.pk:
        raise PermissionDenied(_("You may answer only for your own household."),
                               code="not_household")


def _check_audience(survey: Survey, household: Household,
                    resident: Resident | None) -> None:
    if not household.area_path.startswith(survey.area_path):
        raise ValidationFailed(_("This household is not in the survey's area."),
                               code="not_audience")
    if survey.per == Per.PERSON:
        if resident is None or resident.household_id != household.pk:
            raise ValidationFailed(_("Say who in the household answers."),
                                   code="resident_required")
        if resident.moved_out is not None or resident.anonymised_at is not None:
            raise ValidationFailed(_("%(name)s no longer lives here.")
                                   % {"name": resident.name}, code="moved_out")


def once_key(survey: Survey, household: Household, resident: Resident | None) -> str:
    if survey.per == Per.PERSON and resident is not None:
        return f"p{resident.pk}"
    return f"h{household.pk}"


def _already() -> Conflict:
    return Conflict(_("This household has already answered this survey."),
                    code="already_answered")


def _needs(actor, response: Response, checked: list[Checked], now: datetime) -> None:
    from linli.library.models import NeedSource
    from linli.library.services import need_post

    for answer in checked:
        if answer.question.asks_need and answer.text:
            need = need_post(actor=actor, text=answer.text, resident=response.resident,
                             household=response.household, source=NeedSource.SURVEY,
                             checked=True, now=now)
            Answer.objects.filter(response=response, question=answer.question).update(
                need=need)


@transaction.atomic
def response_submit(*, actor, survey: Survey, household: Household,
                    answers: dict[Any, Any], resident: Resident | None = None,
                    via: str = Via.ONLINE, now: datetime | None = None) -> Response:
    """One household's (or person's) answers, written whole or not at all."""
    now = now or timezone.now()
    _respondent(actor, survey, household, resident, via)
    _check_open(survey, now)
    _check_audience(survey, household, resident)
    if survey.per == Per.HOUSEHOLD and resident is None and via == Via.ONLINE:
        resident = own_record(actor)
    key = once_key(survey, household, resident)
    if Response.objects.filter(survey=survey, once_key=key).exists():
        raise _already()
    checked = check_answers(survey, answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey, once_key=key, household=household, resident=resident,
                area_path=household.area_path, entered_by=actor, via=via, created_at=now)
    except IntegrityError:
        raise _already() from None
    Answer.objects.bulk_create([
        Answer(response=response, question=c.question, choices=c.choices, number=c.number,
               text=c.text, area=c.area) for c in checked if not c.empty])
    _needs(actor, response, checked, now)
    audit_record(actor=actor, action="survey.answer", obj=response,
                 changes={"survey": survey.pk, "via": via, "answers": len(checked)},
                 area_path=response.area_path)
    return response
