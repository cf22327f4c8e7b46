"""A survey's report for its organisers (`report`) and its export (`report_export`).

- `report`: the response rate, a chart per question (ECharts from static/surveys/report.js;
  the data in json_script), the needs table (urgent and hard first) with what each became,
  and the urgency × outcome counts over the same rows.
- `report_export`: the responses (one column per question) and the needs, as .xlsx;
  every download is audited (`survey.exported`).
"""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from linli.core.audit import audit_record
from linli.surveys import selectors
from linli.surveys.models import Answer, QuestionKind, Survey
from linli.surveys.selectors_report import report_paths, survey_report, within_q


def _readable(request, survey_id: int) -> tuple[Survey, list[str]]:
    """The survey and the parts of it the actor reads (report_paths), or 403."""
    survey = selectors.survey_get(actor=request.user, survey_id=survey_id)
    paths = report_paths(request.user, survey)
    if not paths:
        raise PermissionDenied(_("Only the survey's organisers and the staff of its places "
                                 "read its report."))
    return survey, paths


def _part(survey: Survey, paths: list[str]) -> list[str]:
    """The names of the places a partial report covers (none for the whole survey)."""
    from linli.orgs.models import Area

    if paths == [survey.area_path]:
        return []
    return list(Area.objects.filter(path__in=paths).order_by("path")
                .values_list("name", flat=True))


@login_required
@require_GET
def report(request, survey_id: int):
    survey, paths = _readable(request, survey_id)
    data = survey_report(survey, paths)
    charts = [q.chart() for q in data.questions
              if q.question.kind != QuestionKind.TEXT]
    return render(request, "surveys/report.html", {
        "survey": survey, "report": data, "charts": charts, "part": _part(survey, paths),
        "chart_words": {"answers": _("answers"), "average": _("average")},
    })


def _answer_text(answer: Answer) -> str:
    question = answer.question
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "、".join(question.options[i] for i in answer.choices
                        if 0 <= i < len(question.options))
    if question.kind == QuestionKind.SCALE:
        return str(answer.number or "")
    if question.kind == QuestionKind.AREA:
        from linli.people.selectors import place_labels

        return place_labels([answer.area])[answer.area.pk] if answer.area else ""
    return answer.text


def _safe(value) -> object:
    """Text never becomes a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def workbook(survey: Survey, paths: list[str] | None = None) -> tuple[bytes, int, int]:
    """The .xlsx bytes, the number of responses and of needs written."""
    from openpyxl import Workbook

    from linli.people.selectors import place_labels

    questions = list(survey.questions.all())
    paths = paths or [survey.area_path]
    responses = list(survey.responses.filter(within_q(paths)).select_related("household__dwelling")
                     .prefetch_related("answers__question", "answers__area")
                     .order_by("created_at", "pk"))
    labels = place_labels([r.household.dwelling for r in responses])
    book = Workbook()
    sheet = book.active
    sheet.title = _("Responses")[:31]
    sheet.append([_("Response"), pgettext("survey", "Household"), _("Answered at"), _("How"),
                  *[q.text for q in questions]])
    for r in responses:
        by_q = {a.question_id: _answer_text(a) for a in r.answers.all()}
        sheet.append([r.pk, _safe(labels.get(r.household.dwelling_id, "")),
                      timezone.localtime(r.created_at).replace(tzinfo=None),
                      str(r.get_via_display()),
                      *[_safe(by_q.get(q.pk, "")) for q in questions]])
    from linli.surveys.selectors_report import need_rows

    needs = need_rows(survey, paths)
    sheet = book.create_sheet(_("Needs")[:31])
    sheet.append([_("Need"), _("Urgency"), _("State"), _("Became"), _("Place")])
    for n in needs:
        sheet.append([_safe(n.text), n.urgency_label, n.state_label, n.outcome_label,
                      _safe(n.place)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(responses), len(needs)


@login_required
@require_GET
def report_export(request, survey_id: int):
    survey, paths = _readable(request, survey_id)
    data, responses, needs = workbook(survey, paths)
    audit_record(actor=request.user, action="survey.exported", obj=survey,
                 changes={"responses": responses, "needs": needs},
                 area_path=survey.area_path)
    answer = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument."
                                             "spreadsheetml.sheet")
    answer["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}.xlsx"'
    answer["Cache-Control"] = "private, no-store"
    return answer


urlpatterns = [
    path("<int:survey_id>/report/", report, name="report"),
    path("<int:survey_id>/report/export/", report_export, name="report_export"),
]
