"""A survey's report for its organisers: the response rate, per question the counts behind
its chart, and the needs its answers became with what became of them.

Staff who organise the survey read all of it; staff working inside a wider survey's
audience (a community's dispatcher, a grid worker, for a street's survey) read the part
they serve (`report_paths`): its households, responses, answers and needs only.

Every number is counted from the rows listed beside it: the rate's households are the
households registered under the audience (people.models), the responses the survey's; a
question's counts are over the answers given to it; the needs table lists each need linked
from an answer, and the urgency × outcome counts are over exactly those rows.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from linli.accounts import scope
from linli.surveys import permissions
from linli.surveys.models import Answer, Question, QuestionKind, Response, Survey

URGENCY_RANK = {"urgent": 0, "hard": 1, "worrying": 2, "hoped": 3, "": 4}
OUTCOMES = ("case", "task", "topic", "booking", "")
URGENCIES = ("urgent", "hard", "worrying", "hoped", "")
TEXT_LIMIT = 200  # text answers listed per question


@dataclass
class QuestionReport:
    question: Question
    answered: int
    labels: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, int]]:
        return list(zip(self.labels, self.counts, strict=True))

    def chart(self) -> dict:
        return {"id": self.question.pk, "kind": self.question.kind,
                "labels": self.labels, "counts": self.counts, "average": self.average}


@dataclass
class NeedRow:
    need_id: int
    text: str
    urgency: str
    urgency_label: str
    state: str
    state_label: str
    outcome: str
    outcome_label: str
    place: str


@dataclass
class Report:
    survey: Survey
    households: int
    responses: int
    online: int
    visits: int
    questions: list[QuestionReport]
    needs: list[NeedRow]
    matrix: list[dict]  # one row per urgency: label, counts per outcome, total
    outcome_labels: list[str]

    @property
    def rate(self) -> float | None:
        return round(100 * self.responses / self.households, 1) if self.households else None


def report_paths(actor, survey: Survey) -> list[str]:
    """The parts of the survey's audience the actor reads the report of: all of it for its
    organisers, else the staff areas of theirs that lie inside it; none for anyone else."""
    if permissions.survey_organiser(actor, survey):
        return [survey.area_path]
    return [p for p in scope.area_paths(actor, permissions.STAFF)
            if p.startswith(survey.area_path)]


def within_q(paths: list[str], field: str = "area_path") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def audience_households(survey: Survey, paths: list[str] | None = None) -> int:
    from linli.people.models import Household

    return Household.objects.filter(within_q(paths or [survey.area_path])).count()


def _question(question: Question, answers: list[Answer]) -> QuestionReport:
    report = QuestionReport(question, answered=len(answers))
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counted = Counter(i for a in answers for i in a.choices)
        report.labels = list(question.options)
        report.counts = [counted.get(i, 0) for i in range(len(question.options))]
    elif question.kind == QuestionKind.SCALE:
        counted = Counter(a.number for a in answers if a.number is not None)
        report.labels = [str(n) for n in range(1, question.scale_max + 1)]
        report.counts = [counted.get(n, 0) for n in range(1, question.scale_max + 1)]
        total = sum(counted.values())
        if total:
            report.average = round(sum(n * c for n, c in counted.items()) / total, 2)
    elif question.kind == QuestionKind.AREA:
        from linli.people.selectors import place_labels

        labels = place_labels({a.area for a in answers if a.area is not None})
        counted = Counter(labels[a.area_id] for a in answers if a.area_id is not None)
        pairs = counted.most_common()
        report.labels = [name for name, _n in pairs]
        report.counts = [n for _name, n in pairs]
    else:
        report.texts = [a.text for a in answers if a.text][:TEXT_LIMIT]
    return report


def _outcome_label(outcome: str) -> str:
    from linli.library.models import Outcome

    return str(dict(Outcome.choices).get(outcome, pgettext("need outcome", "none yet")))


def _urgency_label(urgency: str) -> str:
    from linli.library.models import Urgency

    return str(dict(Urgency.choices).get(urgency, _("unclassified")))


def need_rows(survey: Survey, paths: list[str] | None = None) -> list[NeedRow]:
    """The needs from this survey's answers (in `paths`), urgent and hard first, then the
    oldest."""
    from linli.library.models import Need

    need_ids = Answer.objects.filter(
        within_q(paths or [survey.area_path], "response__area_path"),
        response__survey=survey, need__isnull=False).values("need_id")
    from linli.people.selectors import place_labels

    needs = list(Need.objects.filter(pk__in=need_ids).select_related("area"))
    places = place_labels({n.area for n in needs})
    rows = [NeedRow(need_id=n.pk, text=n.text, urgency=n.urgency,
                    urgency_label=_urgency_label(n.urgency), state=n.state,
                    state_label=str(n.get_state_display()), outcome=n.outcome,
                    outcome_label=_outcome_label(n.outcome), place=places[n.area_id])
            for n in needs]
    rows.sort(key=lambda r: (URGENCY_RANK.get(r.urgency, 4), r.need_id))
    return rows


def _matrix(rows: list[NeedRow]) -> list[dict]:
    counted = Counter((r.urgency, r.outcome) for r in rows)
    return [{"urgency": u, "label": _urgency_label(u),
             "counts": [counted.get((u, o), 0) for o in OUTCOMES],
             "total": sum(counted.get((u, o), 0) for o in OUTCOMES)} for u in URGENCIES]


def survey_report(survey: Survey, paths: list[str] | None = None) -> Report:
    """The report of the survey, or of the part of its audience under `paths`."""
    paths = paths or [survey.area_path]
    responses = Response.objects.filter(within_q(paths), survey=survey)
    via = Counter(responses.values_list("via", flat=True))
    answers = list(Answer.objects.filter(within_q(paths, "response__area_path"),
                                         response__survey=survey).select_related("area"))
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    questions = [_question(q, by_question.get(q.pk, [])) for q in survey.questions.all()]
    rows = need_rows(survey, paths)
    return Report(survey=survey, households=audience_households(survey, paths),
                  responses=sum(via.values()), online=via.get("online", 0),
                  visits=via.get("visit", 0), questions=questions, needs=rows,
                  matrix=_matrix(rows),
                  outcome_labels=[_outcome_label(o) for o in OUTCOMES])
