"""What the triage admin page reads: the model in use and its training runs, accuracy on
live use per month, and the keyword rules per category. Only managers see it (the views
check `services.can_manage`); the model and rules serve the whole installation, so the
figures are not split by area."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.cases.models import Category
from linli.triage import selectors
from linli.triage.keywords import DEFAULT_KEYWORDS
from linli.triage.models import KeywordRule, LabelledText, ModelVersion, Outcome, Source, Suggestion

RUNS_SHOWN = 20
MONTHS = 12


# --- the model and its runs ---------------------------------------------------------------

@dataclass(frozen=True)
class ModelInUse:
    version: ModelVersion | None
    problem: str  # why its file cannot be used: suggestions come from the rules meanwhile
    imported: int  # labelled texts available to learn from (LabelledText rows)

    @property
    def texts(self) -> int:
        return self.version.samples + self.version.heldout if self.version else 0

    @property
    def from_imported(self) -> int:
        """Of the texts the model in use saw, those that were not closed cases."""
        return max(self.texts - self.version.cases, 0) if self.version else 0


def model_in_use() -> ModelInUse:
    state = selectors.model_state()
    return ModelInUse(state.version, state.problem, LabelledText.objects.count())


def runs(limit: int = RUNS_SHOWN) -> list[ModelVersion]:
    return list(ModelVersion.objects.select_related("requested_by")[:limit])


def run_training() -> ModelVersion | None:
    return ModelVersion.objects.filter(outcome=Outcome.TRAINING).first()


@dataclass(frozen=True)
class Confusion:
    right: Category | None
    right_code: str
    guessed: Category | None
    guessed_code: str
    count: int


def latest_confusions() -> tuple[ModelVersion | None, list[Confusion]]:
    """The newest run scored on held-out texts, and the pairs it mixed up most."""
    run = ModelVersion.objects.filter(top1__isnull=False).first()
    if run is None:
        return None, []
    pairs = [(str(p[0]), str(p[1]), int(p[2])) for p in run.confusions if len(p) == 3]
    codes = {c for right, guessed, _n in pairs for c in (right, guessed)}
    named = Category.objects.filter(code__in=codes).in_bulk(field_name="code")
    return run, [Confusion(named.get(r), r, named.get(g), g, n) for r, g, n in pairs]


# --- accuracy on live use -------------------------------------------------------------------

@dataclass
class Figures:
    n: int = 0
    top1: int = 0
    top3: int = 0

    @property
    def top1_rate(self) -> float | None:
        return self.top1 / self.n if self.n else None

    @property
    def top3_rate(self) -> float | None:
        return self.top3 / self.n if self.n else None


@dataclass
class MonthAccuracy:
    month: date
    model: Figures = field(default_factory=Figures)
    rules: Figures = field(default_factory=Figures)
    none: int = 0  # reports whose description gave no suggestion at all

    @property
    def total(self) -> Figures:
        return Figures(self.model.n + self.rules.n, self.model.top1 + self.rules.top1,
                       self.model.top3 + self.rules.top3)


def _month_start(months_back: int) -> datetime:
    now = timezone.localtime()
    year, month = now.year, now.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return now.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                       microsecond=0)


def live_accuracy(months: int = MONTHS) -> list[MonthAccuracy]:
    """Per month (newest first, the current one included), what triage suggested against
    what people chose: top-1 is the first suggestion chosen, top-3 any of the three; split
    by where the suggestion came from. Counted in the database (one grouped query)."""
    since = _month_start(months - 1)
    hit1 = Q(first=F("chosen"))
    hit3 = hit1 | Q(second=F("chosen")) | Q(third=F("chosen"))
    grouped = (Suggestion.objects.filter(reported_at__gte=since)
               .annotate(month=TruncMonth("reported_at"), first=KT("suggested__0"),
                         second=KT("suggested__1"), third=KT("suggested__2"))
               .values("month", "source")
               .annotate(n=Count("pk"), top1=Count("pk", filter=hit1),
                         top3=Count("pk", filter=hit3))
               .order_by("-month"))
    by_month: dict[date, MonthAccuracy] = {}
    for row in grouped:
        month = row["month"]
        key = month.date() if isinstance(month, datetime) else month
        entry = by_month.setdefault(key, MonthAccuracy(key))
        if row["source"] == Source.MODEL:
            entry.model = Figures(row["n"], row["top1"], row["top3"])
        elif row["source"] == Source.RULES:
            entry.rules = Figures(row["n"], row["top1"], row["top3"])
        else:
            entry.none += row["n"]
    return sorted(by_month.values(), key=lambda m: m.month, reverse=True)


# --- keyword rules --------------------------------------------------------------------------

@dataclass(frozen=True)
class RuleRow:
    category: Category
    keywords: list[str]
    is_default: bool  # nobody has edited this category's keywords: keywords.py's list

    @property
    def lines(self) -> str:
        return "\n".join(self.keywords)


@dataclass(frozen=True)
class RuleGroup:
    parent: Category | None
    rows: list[RuleRow]


def rule_groups() -> list[RuleGroup]:
    """Every active leaf category under its parent, with the keywords in force."""
    edited = {r.category_id: r.keyword_list() for r in KeywordRule.objects.all()}
    leaves = (Category.objects.filter(is_active=True).exclude(triage="")
              .select_related("parent").order_by("parent__code", "code"))
    groups: dict[int | None, RuleGroup] = {}
    for leaf in leaves:
        if leaf.pk in edited:
            row = RuleRow(leaf, edited[leaf.pk], False)
        else:
            row = RuleRow(leaf, list(DEFAULT_KEYWORDS.get(leaf.code, ())), True)
        groups.setdefault(leaf.parent_id, RuleGroup(leaf.parent, [])).rows.append(row)
    return list(groups.values())


def leaf_get(category_id: int) -> Category | None:
    return Category.objects.filter(pk=category_id, is_active=True).exclude(triage="").first()
