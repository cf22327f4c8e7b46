"""Writing surveys: a draft made and edited by staff at or above its audience, its
questions added, changed, removed and moved while it is a draft, then opened and closed
through the workflow kit (`workflow.SURVEYS`).

- Who: `permissions.manages` the audience (grid workers, dispatchers, leaders at or above).
- The audience: a street, community, grid, estate or building the actor manages.
- Times: closes after it opens. Questions: choices need 2 to 20 options (one per line in
  the pages), a scale goes up to 2..10, only a text question's answers may be needs.
- Any refusal changes nothing (one transaction each).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.orgs.models import Area, AreaKind
from linli.surveys import permissions
from linli.surveys.models import MAX_OPTIONS, Per, Question, QuestionKind, Survey, SurveyState
from linli.surveys.workflow import SURVEYS

AUDIENCE_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.ESTATE,
                  AreaKind.BUILDING)
MAX_QUESTIONS = 50
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


@dataclass
class SurveyData:
    title: str
    opens_at: datetime
    closes_at: datetime
    intro: str = ""
    per: str = Per.HOUSEHOLD


@dataclass
class QuestionData:
    kind: str
    text: str
    options: list[str] = field(default_factory=list)
    scale_max: int = 5
    required: bool = True
    asks_need: bool = False


def _may_manage(actor, area: Area | None) -> Area:
    if area is None or area.kind not in AUDIENCE_KINDS:
        raise ValidationFailed(_("Choose a street, community, grid, estate or building as "
                                 "the audience."), code="bad_area")
    if not permissions.manages(actor, area):
        raise PermissionDenied(_("You may write surveys only to places you manage."),
                               code="place_not_yours")
    return area


def _check(data: SurveyData) -> SurveyData:
    title = (data.title or "").strip()
    if not title or len(title) > 80:
        raise ValidationFailed(_("Give a title of at most 80 characters."), code="bad_title")
    if len(data.intro or "") > 2000:
        raise ValidationFailed(_("The introduction is at most 2000 characters."),
                               code="bad_intro")
    if data.per not in Per.values:
        raise ValidationFailed(_("Say who answers: each household or each person."),
                               code="bad_per")
    if data.closes_at <= data.opens_at:
        raise ValidationFailed(_("The survey must close after it opens."), code="bad_times")
    return SurveyData(title=title, intro=(data.intro or "").strip(), per=data.per,
                      opens_at=data.opens_at, closes_at=data.closes_at)


def _organiser(actor, survey: Survey) -> None:
    if not permissions.survey_organiser(actor, survey):
        raise PermissionDenied(_("You may not do this with this survey."))


def _draft(actor, survey: Survey) -> Survey:
    """The survey, locked and read afresh, if it is a draft the actor organises."""
    _organiser(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.state != SurveyState.DRAFT:
        raise ValidationFailed(_("Only a draft survey may be changed: its questions are "
                                 "being answered."), code="not_draft")
    return survey


@transaction.atomic
def survey_create(*, actor, area: Area | None, data: SurveyData) -> Survey:
    area = _may_manage(actor, area)
    data = _check(data)
    survey = Survey.objects.create(area=area, area_path=area.path, title=data.title,
                                   intro=data.intro, per=data.per, opens_at=data.opens_at,
                                   closes_at=data.closes_at, created_by=actor)
    audit_record(actor=actor, action="survey.create", obj=survey,
                 changes={"title": survey.title, "area": area.pk}, area_path=area.path)
    return survey


@transaction.atomic
def survey_update(*, actor, survey: Survey, data: SurveyData,
                  expected_version: int | None = None) -> Survey:
    """A draft's title, introduction, who answers and times; an open survey's closing time
    and introduction only."""
    _organiser(actor, survey)
    if survey.state == SurveyState.CLOSED:
        raise ValidationFailed(_("A closed survey is not changed."), code="not_draft")
    data = _check(data)
    if expected_version is not None and expected_version != survey.version:
        raise Conflict(_("This changed since you opened it. Reload the page and check before "
                         "you act."), code="stale")
    changes: dict = {"intro": data.intro, "closes_at": data.closes_at}
    if survey.state == SurveyState.DRAFT:
        changes.update(title=data.title, per=data.per, opens_at=data.opens_at)
    elif data.closes_at <= timezone.now():
        raise ValidationFailed(_("An open survey's new closing time must lie ahead."),
                               code="bad_times")
    if not Survey.objects.filter(pk=survey.pk, version=survey.version).update(
            version=F("version") + 1, **changes):
        raise Conflict(_("Someone else changed this survey at the same moment. Reload."),
                       code="stale")
    survey.refresh_from_db()
    audit_record(actor=actor, action="survey.update", obj=survey,
                 changes={k: str(v) for k, v in changes.items()}, area_path=survey.area_path)
    return survey


def _clean_question(data: QuestionData) -> QuestionData:
    text = (data.text or "").strip()
    if not text or len(text) > 200:
        raise ValidationFailed(_("Write the question in at most 200 characters."),
                               code="bad_question")
    if data.kind not in QuestionKind.values:
        raise ValidationFailed(_("Unknown type of question."), code="bad_kind")
    options: list[str] = []
    if data.kind in CHOICE_KINDS:
        options = [o.strip()[:100] for o in data.options or [] if o and o.strip()]
        if len(options) < 2 or len(options) > MAX_OPTIONS:
            raise ValidationFailed(_("A choice question needs 2 to 20 options, one per "
                                     "line."), code="bad_options")
        if len(set(options)) != len(options):
            raise ValidationFailed(_("Each option is given once."), code="bad_options")
    scale_max = 5
    if data.kind == QuestionKind.SCALE:
        if not isinstance(data.scale_max, int) or not 2 <= data.scale_max <= 10:
            raise ValidationFailed(_("A scale goes up to a number from 2 to 10."),
                                   code="bad_scale")
        scale_max = data.scale_max
    if data.asks_need and data.kind != QuestionKind.TEXT:
        raise ValidationFailed(_("Only a text question's answers may be needs."),
                               code="need_is_text")
    return QuestionData(kind=data.kind, text=text, options=options, scale_max=scale_max,
                        required=bool(data.required), asks_need=bool(data.asks_need))


@transaction.atomic
def question_add(*, actor, survey: Survey, data: QuestionData) -> Question:
    data = _clean_question(data)
    survey = _draft(actor, survey)
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationFailed(_("A survey has at most 50 questions."), code="too_many")
    last = survey.questions.aggregate(m=Max("position"))["m"] or 0
    question = Question.objects.create(survey=survey, position=last + 1, kind=data.kind,
                                       text=data.text, options=data.options,
                                       scale_max=data.scale_max, required=data.required,
                                       asks_need=data.asks_need)
    audit_record(actor=actor, action="survey.question_add", obj=survey,
                 changes={"question": question.pk, "kind": data.kind},
                 area_path=survey.area_path)
    return question


@transaction.atomic
def question_update(*, actor, question: Question, data: QuestionData) -> Question:
    data = _clean_question(data)
    survey = _draft(actor, question.survey)
    Question.objects.filter(pk=question.pk).update(
        kind=data.kind, text=data.text, options=data.options, scale_max=data.scale_max,
        required=data.required, asks_need=data.asks_need)
    question.refresh_from_db()
    audit_record(actor=actor, action="survey.question_update", obj=survey,
                 changes={"question": question.pk}, area_path=survey.area_path)
    return question


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    survey = _draft(actor, question.survey)
    pk = question.pk
    question.delete()
    audit_record(actor=actor, action="survey.question_remove", obj=survey,
                 changes={"question": pk}, area_path=survey.area_path)


@transaction.atomic
def question_move(*, actor, question: Question, up: bool) -> None:
    """Swap with the neighbour above (or below); at the end nothing moves."""
    survey = _draft(actor, question.survey)
    rows = list(survey.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(rows) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(rows):
        return
    a, b = rows[index], rows[other]
    pa, pb = a.position, b.position
    # Through a free position: (survey, position) is unique at every step.
    top = max(q.position for q in rows) + 1
    Question.objects.filter(pk=a.pk).update(position=top)
    Question.objects.filter(pk=b.pk).update(position=pa)
    Question.objects.filter(pk=a.pk).update(position=pb)


def quarterly_questions() -> list[QuestionData]:
    """The standard 急难愁盼 questions (English msgids, in the staff's language)."""
    return [
        QuestionData(QuestionKind.SINGLE, _("How many people live in your household?"),
                     [_("1 person"), _("2 people"), _("3 people"), _("4 or more")]),
        QuestionData(QuestionKind.MULTIPLE, _("Which services does your household need "
                                              "most?"),
                     [_("Meals and care for the elderly"), _("Childcare after school"),
                      _("Housekeeping and repairs"), _("Health checks"),
                      _("Legal advice"), _("Classes and activities")], required=False),
        QuestionData(QuestionKind.SCALE, _("How satisfied are you with the community's "
                                           "services?"), scale_max=5),
        QuestionData(QuestionKind.TEXT, _("What is your household's most urgent difficulty "
                                          "or wish?"), required=False, asks_need=True),
        QuestionData(QuestionKind.AREA, _("Where is it (your building or estate)?"),
                     required=False),
    ]


@transaction.atomic
def add_quarterly_template(*, actor, survey: Survey) -> list[Question]:
    return [question_add(actor=actor, survey=survey, data=q) for q in quarterly_questions()]


@transaction.atomic
def survey_transition(*, actor, survey: Survey, action: str, note: str = "",
                      expected_version: int | None = None, now: datetime | None = None):
    """open (a question, closing ahead) or close, by the organisers."""
    return SURVEYS.transition(actor=actor, obj=survey, action=action, note=note,
                              expected_version=expected_version, now=now)
