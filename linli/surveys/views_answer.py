"""Answering: a resident on their phone (`answer`), a grid worker at the door (`visit`).

- `answer`: one page with the questions' inputs (radio, checkboxes, scale buttons, a text,
  a place); required ones marked; a refusal shows the page again with the reason, what was
  typed kept. Once answered: the household's answers, read only. Per person: the member
  who answers is chosen.
- `visit`: staff find a household of the audience they serve by building or dwelling
  (the head's name masked), see whether it answered, and enter its answers (via=visit).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from linli.core.crypto import mask_name
from linli.core.errors import ApplicationError, ValidationFailed
from linli.orgs.models import AreaKind
from linli.people.models import Household, Resident
from linli.people.selectors import own_record, place_labels
from linli.surveys import selectors
from linli.surveys.forms import answers_from, posted_answers
from linli.surveys.models import Per, Survey, Via
from linli.surveys.services import response_submit
from linli.surveys.services.responses import is_open


def _members(household_id: int) -> list[Resident]:
    return list(Resident.objects.filter(household_id=household_id, moved_out__isnull=True,
                                        anonymised_at__isnull=True).order_by("pk"))


def _answered_rows(survey: Survey, household_id: int):
    return list(survey.responses.filter(household_id=household_id)
                .select_related("resident")
                .prefetch_related("answers__question", "answers__area"))


def _questions_context(survey: Survey, posted: dict[str, Any],
                       home: Household | None = None) -> dict[str, Any]:
    """The questions, what was typed, and for a place question the places offered, the
    household's own building chosen until something else is."""
    questions = list(survey.questions.all())
    building = home.dwelling.ancestor_of_kind(AreaKind.BUILDING) if home else None
    return {"questions": questions, "places": selectors.answer_places(survey)
            if any(q.kind == "area" for q in questions) else [], "posted": posted,
            "home_building": building.pk if building is not None else None}


def _answer_page(request, survey: Survey, *, posted=None, error=None, chosen=""):
    record = own_record(request.user)
    done = _answered_rows(survey, record.household_id) if record else []
    members: list[Resident] = []
    left: list[Resident] = []
    if record is not None and survey.per == Per.PERSON:
        members = _members(record.household_id)
        answered = {r.resident_id for r in done}
        left = [m for m in members if m.pk not in answered]
    per_household_done = survey.per == Per.HOUSEHOLD and bool(done)
    context = {
        "survey": survey, "record": record, "done": done, "left": left, "chosen": chosen,
        "open": is_open(survey, timezone.now()) and record is not None
        and not per_household_done and (survey.per == Per.HOUSEHOLD or bool(left)),
        "error": error,
        **_questions_context(survey, posted or {}, record.household if record else None),
    }
    return render(request, "surveys/answer.html", context,
                  status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, survey_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    if request.method == "GET":
        return _answer_page(request, survey)
    record = own_record(request.user)
    chosen = request.POST.get("resident", "")
    try:
        if record is None:
            raise ValidationFailed(str(_("Only residents with a registered household answer "
                                         "online; a grid worker can enter your answers.")),
                                   code="not_household")
        resident = None
        if survey.per == Per.PERSON:
            resident = next((m for m in _members(record.household_id)
                             if str(m.pk) == chosen), None)
            if resident is None:
                raise ValidationFailed(str(_("Say who in the household answers.")),
                                       code="resident_required")
        response_submit(actor=request.user, survey=survey, household=record.household,
                        resident=resident, answers=answers_from(survey, request.POST),
                        via=Via.ONLINE)
    except ApplicationError as exc:
        return _answer_page(request, survey, posted=posted_answers(survey, request.POST),
                            error=exc, chosen=chosen)
    messages.success(request, str(_("Thank you: your answers are saved.")))
    return redirect("surveys:answer", survey.pk)


# --- the visit ---------------------------------------------------------------------------------

def _head_names(households: list[Household]) -> dict[int, str]:
    heads = Resident.objects.filter(household__in=households, relation="head",
                                    moved_out__isnull=True)
    return {r.household_id: mask_name(r.name) for r in heads}


def _visit_page(request, survey: Survey, *, household=None, posted=None, error=None,
                chosen=""):
    search = request.GET.get("q", "")[:32] if request.method == "GET" else ""
    found = selectors.visit_households(request.user, survey, search) if search or \
        household is None else []
    answered = set(survey.responses.filter(household__in=found)
                   .values_list("household_id", flat=True))
    labels = place_labels([h.dwelling for h in found])
    heads = _head_names(found)
    rows = [{"household": h, "label": labels.get(h.dwelling_id, h.dwelling.name),
             "head": heads.get(h.pk, ""), "answered": h.pk in answered} for h in found]
    context: dict[str, Any] = {"survey": survey, "search": search, "rows": rows,
                               "household": household, "error": error, "chosen": chosen}
    if household is not None:
        context["household_label"] = place_labels([household.dwelling]).get(
            household.dwelling_id, household.dwelling.name)
        context["done"] = _answered_rows(survey, household.pk)
        context["members"] = _members(household.pk) if survey.per == Per.PERSON else []
        context.update(_questions_context(survey, posted or {}, household))
    return render(request, "surveys/visit.html", context,
                  status=error.status if error else 200)


def _household(request, survey: Survey, raw: str) -> Household:
    found = selectors.visit_reach(request.user, survey).filter(
        pk=int(raw[:12])).first() if raw.isdigit() else None
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def visit(request, survey_id: int):
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    if not selectors.is_staff(request.user):
        raise PermissionDenied(str(_("Only staff enter answers during a visit.")))
    if request.method == "GET":
        raw = request.GET.get("household", "")
        household = _household(request, survey, raw) if raw else None
        return _visit_page(request, survey, household=household)
    household = _household(request, survey, request.POST.get("household", ""))
    chosen = request.POST.get("resident", "")
    try:
        resident = None
        if survey.per == Per.PERSON:
            resident = next((m for m in _members(household.pk) if str(m.pk) == chosen), None)
            if resident is None:
                raise ValidationFailed(str(_("Say who in the household answers.")),
                                       code="resident_required")
        response_submit(actor=request.user, survey=survey, household=household,
                        resident=resident, answers=answers_from(survey, request.POST),
                        via=Via.VISIT)
    except ApplicationError as exc:
        return _visit_page(request, survey, household=household, error=exc, chosen=chosen,
                           posted=posted_answers(survey, request.POST))
    messages.success(request, str(_("The household's answers are saved.")))
    return redirect("surveys:visit", survey.pk)


urlpatterns = [
    path("<int:survey_id>/answer/", answer, name="answer"),
    path("<int:survey_id>/visit/", visit, name="visit"),
]
