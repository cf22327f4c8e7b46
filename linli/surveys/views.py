"""The survey pages. `urlpatterns` gathers this module's and the answer and report pages'.

- `home`: staff: the surveys they reach with state and answers; residents: the open ones
  for them, "to answer" or "answered".
- `survey_new`, `survey_edit`: a draft's title, audience, who answers, times.
- `survey`: the builder: the questions (add, change, remove, move while a draft), the
  quarterly 急难愁盼 template, open and close (buttons from SURVEYS.actions_for).

A refused form shows the page again with the reason and the status the API would answer,
what the person typed kept.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from linli.core.errors import ApplicationError
from linli.orgs.models import Area
from linli.surveys import permissions, selectors, services
from linli.surveys.forms import question_data, survey_data
from linli.surveys.models import Question, QuestionKind, SurveyState
from linli.surveys.selectors_report import report_paths
from linli.surveys.workflow import SURVEYS

DONE = {"open": _("The survey is open: its residents are told."),
        "close": _("The survey is closed.")}


@login_required
@require_GET
def home(request):
    user = request.user
    if selectors.is_staff(user):
        rows = selectors.staff_surveys(user).order_by("-opens_at", "-pk")[:100]
        return render(request, "surveys/home.html", {
            "is_staff": True, "surveys": rows, "can_create": bool(selectors.place_choices(user)),
        })
    surveys = list(selectors.resident_open(user))
    done = selectors.answered_ids(user, surveys)
    return render(request, "surveys/home.html", {
        "is_staff": False,
        "to_answer": [s for s in surveys if s.pk not in done],
        "answered": [s for s in surveys if s.pk in done],
    })


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _labelled(places) -> list[dict]:
    """The audiences offered, each named with its estate and kind ("花楼小区 1栋 · 楼栋")."""
    from linli.people.selectors import place_labels

    labels = place_labels(places)
    return [{"pk": a.pk, "label": f"{labels[a.pk]} · {a.get_kind_display()}"}
            for a in places]


def _render_form(request, *, survey, posted, error=None):
    return render(request, "surveys/form.html", {
        "survey": survey, "places": _labelled(selectors.place_choices(request.user)),
        "posted": posted,
        "error": error,
    }, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request):
    if not selectors.place_choices(request.user):
        raise PermissionDenied(str(_("Only staff write surveys.")))
    if request.method == "GET":
        now = timezone.now()
        return _render_form(request, survey=None, posted={
            "opens_at": _local(now), "closes_at": _local(now + timedelta(days=14)),
            "per": "household"})
    try:
        area = Area.objects.filter(pk=int(request.POST.get("area") or 0)
                                   if (request.POST.get("area") or "").isdigit() else 0).first()
        made = services.survey_create(actor=request.user, area=area,
                                      data=survey_data(request.POST))
    except ApplicationError as exc:
        return _render_form(request, survey=None, posted=request.POST, error=exc)
    messages.success(request, str(_("The draft is saved: add its questions, then open it.")))
    return redirect("surveys:survey", made.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, survey_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    if not permissions.survey_organiser(request.user, survey):
        raise PermissionDenied(str(_("You may not do this with this survey.")))
    if request.method == "GET":
        return _render_form(request, survey=survey, posted={
            "title": survey.title, "intro": survey.intro, "per": survey.per,
            "area": str(survey.area_id), "opens_at": _local(survey.opens_at),
            "closes_at": _local(survey.closes_at), "version": str(survey.version)})
    try:
        version = request.POST.get("version", "")
        services.survey_update(actor=request.user, survey=survey,
                               data=survey_data(request.POST),
                               expected_version=int(version) if version.isdigit() else None)
    except ApplicationError as exc:
        return _render_form(request, survey=survey, posted=request.POST, error=exc)
    messages.success(request, str(_("The survey is saved.")))
    return redirect("surveys:survey", survey.pk)


def _detail(request, survey, *, error=None, posted=None, form_id=""):
    user = request.user
    organiser = permissions.survey_organiser(user, survey)
    if not organiser and not selectors.is_staff(user):
        return redirect("surveys:answer", survey.pk)
    questions = list(survey.questions.all())
    for q in questions:
        q.fid = f"edit-{q.pk}"
    context: dict[str, Any] = {
        "survey": survey, "questions": questions,
        "blank": {"required": "on", "scale_max": "5"},
        "organiser": organiser, "reads_report": bool(report_paths(user, survey)),
        "editable": organiser and survey.state == SurveyState.DRAFT,
        "actions": SURVEYS.actions_for(user, survey), "kinds": QuestionKind.choices,
        "error": error, "posted": posted or {"required": "on", "scale_max": "5"},
        "form_id": form_id,
        "responses": survey.responses.count(),
        "may_visit": survey.state == SurveyState.OPEN and selectors.is_staff(user),
    }
    return render(request, "surveys/detail.html", context,
                  status=error.status if error else 200)


@login_required
@require_GET
def survey_detail(request, survey_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    return _detail(request, survey)


def _question(request, survey_id: int, question_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise Http404
    question.survey = survey
    return survey, question


@login_required
@require_POST
def question_add(request, survey_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    try:
        services.question_add(actor=request.user, survey=survey,
                              data=question_data(request.POST))
    except ApplicationError as exc:
        return _detail(request, survey, error=exc, posted=request.POST, form_id="add")
    messages.success(request, str(_("The question is added.")))
    return redirect("surveys:survey", survey.pk)


@login_required
@require_POST
def question_edit(request, survey_id: int, question_id: int):
    survey, question = _question(request, survey_id, question_id)
    try:
        services.question_update(actor=request.user, question=question,
                                 data=question_data(request.POST))
    except ApplicationError as exc:
        return _detail(request, survey, error=exc, posted=request.POST,
                       form_id=f"edit-{question.pk}")
    messages.success(request, str(_("The question is saved.")))
    return redirect("surveys:survey", survey.pk)


@login_required
@require_POST
def question_remove(request, survey_id: int, question_id: int):
    survey, question = _question(request, survey_id, question_id)
    try:
        services.question_remove(actor=request.user, question=question)
    except ApplicationError as exc:
        return _detail(request, survey, error=exc)
    messages.success(request, str(_("The question is removed.")))
    return redirect("surveys:survey", survey.pk)


@login_required
@require_POST
def question_move(request, survey_id: int, question_id: int, direction: str):
    survey, question = _question(request, survey_id, question_id)
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.question_move(actor=request.user, question=question, up=direction == "up")
    except ApplicationError as exc:
        return _detail(request, survey, error=exc)
    return redirect("surveys:survey", survey.pk)


@login_required
@require_POST
def survey_template(request, survey_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    try:
        services.add_quarterly_template(actor=request.user, survey=survey)
    except ApplicationError as exc:
        return _detail(request, survey, error=exc)
    messages.success(request, str(_("The quarterly questions are added: adjust them if "
                                    "needed.")))
    return redirect("surveys:survey", survey.pk)


@login_required
@require_POST
def survey_act(request, survey_id: int, action: str):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    if action not in SURVEYS.table:
        raise Http404
    version = request.POST.get("version", "")
    try:
        services.survey_transition(actor=request.user, survey=survey, action=action,
                                   expected_version=int(version) if version.isdigit()
                                   else None)
    except ApplicationError as exc:
        return _detail(request, survey, error=exc)
    messages.success(request, str(DONE[action]))
    return redirect("surveys:survey", survey.pk)


S = "<int:survey_id>/"
Q = S + "questions/<int:question_id>/"


def _urls():
    from linli.surveys import views_answer, views_report

    return [
        path("", home, name="home"),
        path("new/", survey_new, name="survey_new"),
        path(S, survey_detail, name="survey"),
        path(S + "edit/", survey_edit, name="survey_edit"),
        path(S + "questions/", question_add, name="question_add"),
        path(S + "template/", survey_template, name="survey_template"),
        path(S + "actions/<str:action>/", survey_act, name="survey_act"),
        path(Q + "edit/", question_edit, name="question_edit"),
        path(Q + "remove/", question_remove, name="question_remove"),
        path(Q + "up/", question_move, {"direction": "up"}, name="question_up"),
        path(Q + "down/", question_move, {"direction": "down"}, name="question_down"),
        *views_answer.urlpatterns,
        *views_report.urlpatterns,
    ]


urlpatterns = _urls()
