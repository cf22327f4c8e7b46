"""Every write of triage: training runs and the replacement rule, keyword rules, imported
labelled texts, and the record of suggestions against the categories people chose."""

import json
import logging
import os
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.cases.models import Case, Category, Channel, State
from linli.core.access import access
from linli.core.audit import audit_record
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.core.tasks import enqueue
from linli.triage import learn, rules, selectors, text
from linli.triage.models import (
    MAX_KEYWORD,
    MAX_KEYWORDS,
    KeywordRule,
    LabelledText,
    ModelVersion,
    Outcome,
    Suggestion,
    Trigger,
)

log = logging.getLogger(__name__)

TRAIN_TASK = "triage.train"
# Fewer texts than this, or texts of fewer categories, and the rules alone suggest.
MIN_TEXTS = 40
MIN_CLASSES = 2
# The newest closed cases learned from: enough for years of a district, bounded in time.
MAX_CASES = 100_000
# A run that has not finished in this time died with its process; another may start.
STALE_RUN = timedelta(hours=1)
# The channels where a person picks the category (IoT rules pick their own).
FIRST_SWEEP = timedelta(days=90)
PERSON_CHANNELS = (Channel.RESIDENT_WEB, Channel.GRID_PATROL, Channel.HOTLINE, Channel.API,
                   Channel.OPEN311)


def can_manage(actor) -> bool:
    """Administrators, as for the audit log and the admin site (core.access)."""
    return actor is not None and access().is_admin(actor)


def _require_manager(actor) -> None:
    if not can_manage(actor):
        raise PermissionDenied(_("Only an administrator manages triage."))


# --- training ---------------------------------------------------------------------------

def history() -> tuple[list[str], list[str], int]:
    """(texts, codes, how many came from closed cases): the newest closed cases of active
    leaf categories, then the imported labelled texts; a text seen twice counts once."""
    cases = (Case.objects.filter(state=State.CLOSED, category__is_active=True)
             .exclude(category__triage="").exclude(description="")
             .order_by("-closed_at").values_list("description", "category__code")[:MAX_CASES])
    imported = (LabelledText.objects.filter(category__is_active=True)
                .exclude(category__triage="").values_list("text", "category__code"))
    seen: dict[tuple[str, str], None] = {}
    from_cases = 0
    for description, code in cases:
        if (description, code) not in seen:
            seen[(description, code)] = None
            from_cases += 1
    for body, code in imported:
        seen.setdefault((body, code), None)
    return [t for t, _ in seen], [c for _, c in seen], from_cases


def score(model, texts: list[str], codes: list[str], ruleset: rules.RuleSet) -> learn.Scores:
    """Scores of what a person would be shown: the model blended with the rules."""
    result = learn.Scores()
    for code, scores in zip(codes, selectors.blended_many(texts, model, ruleset), strict=True):
        result.add(code, [c for c, _ in learn.ranked(scores, 3)])
    return result


def train_request(*, actor, trigger: str = Trigger.ON_DEMAND) -> ModelVersion:
    """Start a training run in the background (the admin page's button, the nightly job)."""
    if trigger == Trigger.ON_DEMAND:
        _require_manager(actor)
    run = _run_open(actor, trigger)
    enqueue(TRAIN_TASK, run.pk)
    if actor is not None:
        audit_record(actor=actor, action="triage.train_requested", obj=run)
    return run


def nightly_due() -> bool:
    """In the training hour (local time), when no run has started in the last 20 hours."""
    now = timezone.localtime()
    if now.hour != settings.TRIAGE_TRAIN_HOUR:
        return False
    return not ModelVersion.objects.filter(started_at__gte=now - timedelta(hours=20)).exists()


def train_now(*, trigger: str = Trigger.COMMAND, actor=None) -> ModelVersion:
    """Train in this process and wait (the command line, the demo)."""
    return train_run(_run_open(actor, trigger).pk)


def _run_open(actor, trigger: str) -> ModelVersion:
    ModelVersion.objects.filter(outcome=Outcome.TRAINING,
                                started_at__lt=timezone.now() - STALE_RUN).update(
        outcome=Outcome.FAILED, note="stopped without finishing", finished_at=timezone.now())
    try:
        with transaction.atomic():
            last = ModelVersion.objects.order_by("-version").values_list("version", flat=True)
            return ModelVersion.objects.create(
                version=(last.first() or 0) + 1, trigger=trigger,
                requested_by=actor if getattr(actor, "is_authenticated", False) else None)
    except IntegrityError:
        raise Conflict(_("A training run is already going; wait for it to finish."),
                       code="training_running") from None


def train_run(run_id: int) -> ModelVersion:
    """Fit a model on the history, score it and the model in use on the same held-out
    texts, and put it in use only if it is at least as accurate (top-1, then top-3)."""
    run = ModelVersion.objects.get(pk=run_id)
    if run.outcome != Outcome.TRAINING:
        return run  # a task delivered twice
    started = time.monotonic()
    try:
        _train(run)
    except Exception as exc:
        log.exception("triage training v%s failed", run.version)
        run.outcome, run.note = Outcome.FAILED, f"{type(exc).__name__}: {exc}"[:300]
    run.finished_at = timezone.now()
    run.note = (run.note + f" ({time.monotonic() - started:.1f} s)").strip()[:300]
    if run.outcome == Outcome.TRAINING:
        run.outcome = Outcome.FAILED
    if run.outcome == Outcome.ACTIVE:
        with transaction.atomic():
            ModelVersion.objects.filter(outcome=Outcome.ACTIVE).exclude(pk=run.pk).update(
                outcome=Outcome.RETIRED)
            run.save()
    else:
        run.save()
    return run


def _train(run: ModelVersion) -> None:
    texts, codes, from_cases = history()
    run.cases = from_cases
    learn_at = [i for i, t in enumerate(texts) if not learn.is_heldout(t)]
    hold_at = [i for i, t in enumerate(texts) if learn.is_heldout(t)]
    classes = sorted({codes[i] for i in learn_at})
    run.samples, run.heldout, run.classes = len(learn_at), len(hold_at), len(classes)
    if len(learn_at) < MIN_TEXTS or len(classes) < MIN_CLASSES:
        run.outcome = Outcome.TOO_LITTLE
        run.note = _("%(n)d texts of %(c)d categories; at least %(min)d texts of two are "
                     "needed.") % {"n": len(learn_at), "c": len(classes), "min": MIN_TEXTS}
        return
    ruleset = rules.ruleset()
    candidate = learn.fit([texts[i] for i in learn_at], [codes[i] for i in learn_at])
    hold_texts, hold_codes = [texts[i] for i in hold_at], [codes[i] for i in hold_at]
    mine = score(candidate, hold_texts, hold_codes, ruleset)
    run.top1, run.top3, run.confusions = mine.top1_rate, mine.top3_rate, mine.worst()
    # What people are shown now: the model in use, or the rules alone when there is none
    # (or its file cannot be used), which a first model must also match.
    current = selectors.model_state().model
    if hold_texts:
        theirs = score(current, hold_texts, hold_codes, ruleset)
        run.active_top1, run.active_top3 = theirs.top1_rate, theirs.top3_rate
        if (mine.top1_rate, mine.top3_rate) < (theirs.top1_rate, theirs.top3_rate):
            run.outcome = Outcome.KEPT_OLD
            if current is None:
                run.note = _("The keyword rules alone are more accurate.")
            return
    content = learn.dumps(candidate)
    run.sha256 = learn.sha256(content)
    # Named by content too: several test databases (or installs) may share a data folder,
    # and each version row must find its own file.
    run.file_name = f"model-v{run.version}-{run.sha256[:12]}.joblib"
    _write(run.file_name, content)
    # Its figures beside it, so a model file copied elsewhere still says what it is worth.
    _write(run.file_name.replace(".joblib", ".json"), json.dumps({
        "version": run.version, "sha256": run.sha256, "texts": run.samples,
        "closed_cases": run.cases, "heldout": run.heldout, "categories": run.classes,
        "top1": run.top1, "top3": run.top3, "replaced_top1": run.active_top1,
        "replaced_top3": run.active_top3, "confusions": run.confusions,
        "trained_at": timezone.now().isoformat()}, ensure_ascii=False, indent=1).encode())
    run.outcome = Outcome.ACTIVE


def _write(name: str, content: bytes) -> None:
    folder = selectors.models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    partial.write_bytes(content)
    os.replace(partial, folder / name)  # readers see the whole file or none


# --- keyword rules ----------------------------------------------------------------------

def rule_save(*, actor, category: Category, keywords: str) -> KeywordRule:
    _require_manager(actor)
    if category.is_group:
        raise ValidationFailed(_("Keywords belong to a specific category, not a group."))
    items = rules.keywords_split(keywords)
    if len(items) > MAX_KEYWORDS:
        raise ValidationFailed(_("At most %(n)d keywords per category.") % {"n": MAX_KEYWORDS},
                               code="too_many_keywords")
    if any(len(word) > MAX_KEYWORD for word in items):
        raise ValidationFailed(_("A keyword is at most %(n)d characters.") % {"n": MAX_KEYWORD},
                               code="keyword_too_long")
    words = list(dict.fromkeys(items))
    rule, _created = KeywordRule.objects.update_or_create(
        category=category, defaults={"keywords": "\n".join(words), "updated_by": actor})
    audit_record(actor=actor, action="triage.rule_saved", obj=rule,
                 object_label=category.name_zh, changes={"keywords": len(words)})
    return rule


# --- imported history -------------------------------------------------------------------

def texts_import(rows: list[tuple[str, str]], *, source: str) -> int:
    """Add labelled texts (already checked); a text already known is skipped. Returns how
    many were added."""
    categories = Category.objects.filter(code__in={c for c, _ in rows}).in_bulk(
        field_name="code")
    # Only the first MAX_READ characters are ever read (text.normalise), and the unique
    # (category, text) index refuses longer rows on PostgreSQL (a btree entry is at most
    # ~2,700 bytes; 4,000 Chinese characters are 12,000): store what is learned from.
    fresh = [LabelledText(category=categories[code], text=body[:text.MAX_READ],
                          source=source[:100])
             for code, body in rows if code in categories]
    before = LabelledText.objects.count()
    LabelledText.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=1000)
    return LabelledText.objects.count() - before


# --- suggestions against choices --------------------------------------------------------

def suggestions_record(*, batch: int = 500) -> int:
    """Record, for cases reported by a person since the last sweep, the suggestion their
    description gives and the category they chose (run every few minutes). The same
    description gives the same suggestion while the model is unchanged, so this is what
    the form showed for the text that was sent, without costing the report a thing."""
    last = Suggestion.objects.order_by("-case_id").values_list("case_id", flat=True).first()
    since = Case.objects.filter(channel__in=PERSON_CHANNELS)
    if last is None:  # the first sweep reaches back a while, not through years of history
        since = since.filter(reported_at__gte=timezone.now() - FIRST_SWEEP)
    else:
        since = since.filter(pk__gt=last)
    cases = (since
             .order_by("pk").values_list("pk", "community_id", "channel", "reported_at",
                                         "description", "category__code")[:batch])
    rows = []
    found = list(cases)
    suggestions = selectors.category_suggestions_many([row[4] for row in found])
    for row, shown in zip(found, suggestions, strict=True):
        rows.append(Suggestion(case_id=row[0], community_id=row[1], channel=row[2],
                               reported_at=row[3], suggested=shown.codes, chosen=row[5],
                               source=shown.source, model_version=shown.model_version))
    Suggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
