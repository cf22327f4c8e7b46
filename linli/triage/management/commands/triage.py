"""`linli triage`: train, score and feed the category suggestions from the command line.

  linli triage train                 train now and wait; prints the run's figures
  linli triage evaluate FILE.csv     score what a person is shown on a labelled file
  linli triage import FILE.csv [--source NAME]   add labelled texts to learn from
  linli triage status                the model in use, the last runs, the rules

A labelled file has the columns `code,text` (UTF-8, a header row). `evaluate` lists bad
rows on stderr and skips them; `import` imports nothing when any row is bad. A file that
cannot be used at all (not UTF-8 CSV, no such columns, no usable row) exits with 2.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from linli.cases.models import Category
from linli.core.errors import Conflict
from linli.triage import labelled, rules, selectors, services
from linli.triage.learn import Scores
from linli.triage.models import KeywordRule, LabelledText, ModelVersion, Trigger

UNUSABLE = 2
CONFUSIONS_SHOWN = 10
WEAKEST_SHOWN = 5


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _leaf_codes() -> set[str]:
    return set(Category.objects.filter(is_active=True).exclude(triage="")
               .values_list("code", flat=True))


def _names() -> dict[str, str]:
    return dict(Category.objects.values_list("code", "name_zh"))


class Command(BaseCommand):
    help = "Smart triage: train, evaluate a labelled file, import labelled texts, status."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("train", help="train a model now and wait for it")
        evaluate = sub.add_parser("evaluate", help="score suggestions on a labelled CSV "
                                                   "(code,text)")
        evaluate.add_argument("file", type=Path)
        load = sub.add_parser("import", help="add a labelled CSV (code,text) to what "
                                             "training learns from; all rows or none")
        load.add_argument("file", type=Path)
        load.add_argument("--source", default="", help="a name for where the texts came "
                                                       "from (default: the file's name)")
        sub.add_parser("status", help="the model in use, recent runs and the rules")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    # --- train ------------------------------------------------------------------------

    def _train(self, **_options) -> None:
        try:
            run = services.train_now(trigger=Trigger.COMMAND)
        except Conflict as exc:
            raise CommandError(exc.message) from None
        self._run_print(run)

    def _run_print(self, run: ModelVersion) -> None:
        out = self.stdout.write
        out(f"version v{run.version}")
        out(f"outcome {run.outcome} ({run.get_outcome_display()})")
        out(f"texts {run.samples} learned from, {run.heldout} held out "
            f"({run.cases} from closed cases)")
        out(f"top1 {_rate(run.top1)}  top3 {_rate(run.top3)}")
        if run.active_top1 is not None:
            out(f"model in use before, same texts: top1 {_rate(run.active_top1)}  "
                f"top3 {_rate(run.active_top3)}")
        if run.note:
            out(f"note {run.note}")

    # --- evaluate ---------------------------------------------------------------------

    def _evaluate(self, *, file: Path, **_options) -> None:
        read = self._read(file)
        if read.errors:
            self.stderr.write(self.style.WARNING(
                f"{len(read.errors)} bad rows skipped; scored the other {len(read.rows)}."))
        state = selectors.model_state()
        if state.problem:
            self.stderr.write(self.style.WARNING(
                f"The model file cannot be used ({state.problem}): scoring the rules."))
        codes = [code for code, _text in read.rows]
        texts = [body for _code, body in read.rows]
        scores = services.score(state.model, texts, codes, rules.ruleset())
        source = f"model v{state.version.version}" if state.model and state.version \
            else "rules"
        out = self.stdout.write
        out(f"texts {scores.total}")
        out(f"top1 {scores.top1_rate:.3f}")
        out(f"top3 {scores.top3_rate:.3f}")
        out(f"source {source}")
        self._confusions_print(scores)

    def _read(self, file: Path) -> labelled.LabelledFile:
        """The file's rows; every bad row on stderr. No usable row at all: exit 2."""
        read = labelled.labelled_read(file, _leaf_codes())
        for error in read.errors:
            self.stderr.write(str(error))
        if not read.rows:
            raise CommandError(f"{file}: no usable row; nothing done.", returncode=UNUSABLE)
        return read

    def _confusions_print(self, scores: Scores) -> None:
        names = _names()

        def label(code: str) -> str:
            return f"{code} {names.get(code, '?')}"

        out = self.stdout.write
        worst = scores.worst(CONFUSIONS_SHOWN)
        out("")
        out(f"most frequent confusions (right → suggested first), {len(worst)} shown:")
        for right, guessed, count in worst:
            out(f"  {count:5d}  {label(right)} → {label(guessed)}")
        recall = sorted(scores.recall().items(), key=lambda item: (item[1], item[0]))
        out("")
        out(f"weakest categories (top-1 recall), {min(WEAKEST_SHOWN, len(recall))} shown:")
        for code, value in recall[:WEAKEST_SHOWN]:
            out(f"  {value:.3f}  {label(code)}  ({scores.per_code[code]} texts)")

    # --- import -----------------------------------------------------------------------

    def _import(self, *, file: Path, source: str, **_options) -> None:
        read = self._read(file)
        if read.errors:
            raise CommandError(f"{len(read.errors)} bad rows: nothing imported. Correct "
                               "them and import the file again.", returncode=UNUSABLE)
        with transaction.atomic():
            added = services.texts_import(read.rows, source=source.strip() or file.name)
        self.stdout.write(f"added {added} of {len(read.rows)} texts "
                          f"({len(read.rows) - added} known already); "
                          f"{LabelledText.objects.count()} imported texts in all.")
        self.stdout.write("They are learned from at the next training run "
                          "(linli triage train, or nightly).")

    # --- status -----------------------------------------------------------------------

    def _status(self, **_options) -> None:
        out = self.stdout.write
        state = selectors.model_state()
        if state.version is None:
            out("model in use: none (the keyword rules suggest)")
        else:
            v = state.version
            out(f"model in use: v{v.version}, trained {v.finished_at:%Y-%m-%d %H:%M}, "
                f"{v.samples} texts learned from ({v.cases} closed cases counted), "
                f"held-out top1 {_rate(v.top1)} top3 {_rate(v.top3)}")
        if state.problem:
            out(f"problem: {state.problem}; the keyword rules suggest meanwhile")
        out(f"imported texts: {LabelledText.objects.count()}")
        out(f"keyword rules edited: {KeywordRule.objects.count()} of "
            f"{len(_leaf_codes())} categories (the others use the defaults)")
        out("recent runs:")
        for run in ModelVersion.objects.all()[:5]:
            out(f"  v{run.version}  {run.started_at:%Y-%m-%d %H:%M}  {run.trigger:<9}  "
                f"{run.outcome:<10}  top1 {_rate(run.top1)} top3 {_rate(run.top3)}  "
                f"{run.note}")
