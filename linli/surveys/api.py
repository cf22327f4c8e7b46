"""The surveys API (mounted under /api/surveys): list, one survey with its questions,
create and update (staff), questions added and removed while a draft, open and close,
answers (a resident online; staff during a visit), the caller's household's response and
the report's numbers.

Parse, call a selector or a service, serialize. A survey named in the path is loaded
through `selectors.survey_get`, so one out of sight is a 404 before any service runs; the
service then decides whether the caller may act (403). Error answers ({code, message})
are documented on every operation by core.openapi.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from linli.core.bounds import Id, Pages
from linli.core.errors import PermissionDenied, ValidationFailed
from linli.orgs.models import Area
from linli.surveys import selectors, services
from linli.surveys.models import Per, Question, SurveyState
from linli.surveys.schemas import (
    AnswersIn,
    QuestionIn,
    QuestionOut,
    ReportOut,
    ResponseOut,
    SurveyActionIn,
    SurveyDetailOut,
    SurveyIn,
    SurveyOut,
    SurveyUpdateIn,
)
from linli.surveys.selectors_report import OUTCOMES, URGENCIES, report_paths, survey_report

router = Router(tags=["surveys"])


def _survey(request, survey_id: int):
    return selectors.survey_get(actor=request.user, survey_id=survey_id)


def _data(payload) -> services.SurveyData:
    return services.SurveyData(title=payload.title, intro=payload.intro, per=payload.per,
                               opens_at=payload.opens_at, closes_at=payload.closes_at)


@router.get("", response=list[SurveyOut])
@paginate(Pages, page_size=20)
def survey_list(request, state: str = ""):
    """Surveys the caller may see (staff: those they reach; residents: those out at or
    above their dwelling). `state`: draft, open or closed; another value: 400."""
    if state and state not in SurveyState.values:
        from linli.core.listing import unknown_value

        raise unknown_value("state")
    qs = selectors.surveys_visible(request.user).select_related("area")
    return qs.filter(state=state) if state else qs


@router.post("", response={201: SurveyDetailOut})
def survey_create(request, payload: SurveyIn):
    """A draft survey to a place the caller manages (403 `place_not_yours`); it must close
    after it opens (400 `bad_times`). Add questions, then open it."""
    area = Area.objects.filter(pk=payload.area_id).first()
    made = services.survey_create(actor=request.user, area=area, data=_data(payload))
    return Status(201, _survey(request, made.pk))


@router.get("/{survey_id}", response=SurveyDetailOut)
def survey_detail(request, survey_id: Id):
    """The survey, its questions and the moves the caller may take."""
    return _survey(request, survey_id)


@router.put("/{survey_id}", response=SurveyDetailOut)
def survey_update(request, survey_id: Id, payload: SurveyUpdateIn):
    """Change a draft (organisers); an open survey only its introduction and closing
    time. An older `expected_version`: 409 `stale`."""
    survey = _survey(request, survey_id)
    services.survey_update(actor=request.user, survey=survey, data=_data(payload),
                           expected_version=payload.expected_version)
    return _survey(request, survey_id)


@router.post("/{survey_id}/questions", response={201: QuestionOut})
def question_add(request, survey_id: Id, payload: QuestionIn):
    """Add a question to a draft (organisers; 400 `not_draft` once open). Choices need 2 to
    20 options (400 `bad_options`), a scale goes up to 2..10."""
    survey = _survey(request, survey_id)
    made = services.question_add(actor=request.user, survey=survey, data=services.QuestionData(
        kind=payload.kind, text=payload.text, options=payload.options,
        scale_max=payload.scale_max, required=payload.required, asks_need=payload.asks_need))
    return Status(201, made)


@router.post("/{survey_id}/questions/{question_id}/remove", response=SurveyDetailOut)
def question_remove(request, survey_id: Id, question_id: Id):
    """Remove a question from a draft (organisers)."""
    survey = _survey(request, survey_id)
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise Http404
    question.survey = survey
    services.question_remove(actor=request.user, question=question)
    return _survey(request, survey_id)


@router.post("/{survey_id}/actions/{action}", response=SurveyDetailOut)
def survey_act(request, survey_id: Id, action: str, payload: SurveyActionIn):
    """open (a draft with a question, closing ahead; its residents are told) or close.
    A state that does not allow it: 400; an older `expected_version`: 409 `stale`."""
    survey = _survey(request, survey_id)
    services.survey_transition(actor=request.user, survey=survey, action=action,
                               note=payload.note, expected_version=payload.expected_version)
    return _survey(request, survey_id)


@router.post("/{survey_id}/responses", response={201: ResponseOut})
def response_submit(request, survey_id: Id, payload: AnswersIn):
    """Answer the survey: a resident for their own household (via=online), staff serving a
    household during a visit (via=visit with `household_id`). Checked whole: a bad or
    missing required answer 400 and nothing written; a second answer 409
    `already_answered`."""
    from linli.people.models import Household, Resident
    from linli.people.selectors import own_record

    survey = _survey(request, survey_id)
    if payload.via == "visit":
        if payload.household_id is None:
            raise ValidationFailed(_("Say which household answers."), code="household_required")
        household = selectors.visit_reach(request.user, survey).filter(
            pk=payload.household_id).first()
        if household is None:
            raise Http404
    else:
        record = own_record(request.user)
        if record is None:
            raise PermissionDenied(_("You may answer only for your own household."),
                                   code="not_household")
        household = record.household
    resident = None
    if payload.resident_id is not None and survey.per == Per.PERSON:
        resident = Resident.objects.filter(pk=payload.resident_id,
                                           household=household).first()
        if resident is None:
            raise Http404
    made = services.response_submit(actor=request.user, survey=survey,
                                    household=Household.objects.get(pk=household.pk),
                                    resident=resident, answers=payload.answers,
                                    via=payload.via)
    return Status(201, made)


@router.get("/{survey_id}/responses/mine", response=list[ResponseOut])
def response_mine(request, survey_id: Id):
    """The caller's household's responses to the survey (empty if not answered)."""
    from linli.people.selectors import own_record

    survey = _survey(request, survey_id)
    record = own_record(request.user)
    if record is None:
        return []
    return list(survey.responses.filter(household_id=record.household_id)
                .prefetch_related("answers"))


@router.get("/{survey_id}/report", response=ReportOut)
def survey_report_api(request, survey_id: Id):
    """The report's numbers (organisers; others 403): households of the audience and
    responses, per question the counts per option or scale value (and the average), the
    texts, and the needs with their urgency and outcome."""
    survey = _survey(request, survey_id)
    paths = report_paths(request.user, survey)
    if not paths:
        raise PermissionDenied(_("Only the survey's organisers and the staff of its places "
                                 "read its report."))
    data = survey_report(survey, paths)
    by_urgency = {u: {o: 0 for o in OUTCOMES} for u in URGENCIES}
    for row in data.needs:
        by_urgency.setdefault(row.urgency, {o: 0 for o in OUTCOMES})
        by_urgency[row.urgency][row.outcome] = by_urgency[row.urgency].get(row.outcome, 0) + 1
    return {"households": data.households, "responses": data.responses,
            "online": data.online, "visits": data.visits, "rate": data.rate,
            "questions": [{"question_id": q.question.pk, "kind": q.question.kind,
                           "text": q.question.text, "answered": q.answered,
                           "labels": q.labels, "counts": q.counts, "average": q.average,
                           "texts": q.texts} for q in data.questions],
            "needs": [{"need_id": n.need_id, "text": n.text, "urgency": n.urgency,
                       "state": n.state, "outcome": n.outcome} for n in data.needs],
            "by_urgency": by_urgency}
