"""Triage suggestions, read-only: the categories a description most likely belongs to, and
what the admin page shows (the model in use, the rules, accuracy on live use).

A suggestion never fails the person typing: no model, a missing or corrupt model file, an
empty, emoji-only or English description all give rule-based or empty suggestions.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from linli.cases.models import Category
from linli.triage import learn, rules
from linli.triage.models import ModelVersion, Outcome, Source

log = logging.getLogger(__name__)

# How much the keyword rules count beside a learned model (docs/triage.md, "How it decides").
RULE_WEIGHT = 0.25
LIMIT = 3


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "triage"


@dataclass(frozen=True)
class Suggested:
    category: Category
    confidence: float  # 0–1

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggested] = field(default_factory=list)
    source: str = Source.NONE
    model_version: int | None = None

    @property
    def codes(self) -> list[str]:
        return [s.category.code for s in self.items]


@dataclass(frozen=True)
class ModelState:
    version: ModelVersion | None
    model: object | None
    problem: str  # why the model in use cannot be used ("" when it can, or there is none)


_loaded: dict[tuple[int, str], object] = {}
_problems: dict[tuple[int, str], tuple[str, float]] = {}  # key -> (why, when)
RETRY = 60.0
_lock = threading.Lock()


def active_version() -> ModelVersion | None:
    return (ModelVersion.objects.filter(outcome=Outcome.ACTIVE)
            .only("version", "file_name", "sha256").first())


def model_state() -> ModelState:
    """The model in use, loaded once per process per version. A file that cannot be used
    is reported, and tried again a minute later (someone may have restored it)."""
    version = active_version()
    if version is None:
        return ModelState(None, None, "")
    key = (version.version, version.sha256)
    problem = _problems.get(key)
    if key not in _loaded and (problem is None or time.monotonic() - problem[1] > RETRY):
        with _lock:
            if key not in _loaded:
                _loaded.clear()  # a process keeps only the model in use
                try:
                    _loaded[key] = learn.load(models_dir() / version.file_name, version.sha256)
                    _problems.pop(key, None)
                except learn.ModelFileError as exc:
                    log.warning("triage model v%s unusable: %s", version.version, exc)
                    _problems[key] = (str(exc), time.monotonic())
    problem = _problems.get(key)
    return ModelState(version, _loaded.get(key), problem[0] if problem else "")


def _blend(by_model: dict[str, float] | None, by_rules: dict[str, float],
           ruleset: rules.RuleSet) -> dict[str, float]:
    """The model's probabilities blended with the rules' shares (the rules alone without a
    model); only the categories the rules know are active leaves, so only those are kept."""
    if by_model is None:
        return by_rules
    return {code: (1 - RULE_WEIGHT) * by_model.get(code, 0.0)
            + RULE_WEIGHT * by_rules.get(code, 0.0)
            for code in ruleset.keywords if code in by_model or code in by_rules}


def blended_many(descriptions: list[str], model: object | None, ruleset: rules.RuleSet
                 ) -> list[dict[str, float]]:
    """`_blend` for many descriptions, with one pass of the model over all of them."""
    if not descriptions:
        return []
    by_model = learn.probabilities(model, descriptions) if model is not None else None
    return [_blend(by_model[i] if by_model is not None else None,
                   rules.rule_scores(text, ruleset), ruleset)
            for i, text in enumerate(descriptions)]


def _telling(description: str) -> bool:
    return any(ch.isalnum() for ch in (description or "")[:2000])


def category_suggestions_many(descriptions: list[str], *, limit: int = LIMIT
                              ) -> list[Suggestions]:
    """`category_suggestions` for many descriptions at once (the sweep, evaluation)."""
    state = model_state()
    ruleset = rules.ruleset()
    telling = [i for i, text in enumerate(descriptions) if _telling(text)]
    scores = blended_many([descriptions[i] for i in telling], state.model, ruleset)
    best = {i: learn.ranked(s, limit) for i, s in zip(telling, scores, strict=True)}
    codes = {code for ranked in best.values() for code, _ in ranked}
    categories = Category.objects.filter(code__in=codes, is_active=True).exclude(
        triage="").in_bulk(field_name="code")
    source = Source.MODEL if state.model is not None else Source.RULES
    version = state.version.version if state.model is not None and state.version else None
    out = []
    for i in range(len(descriptions)):
        items = [Suggested(categories[code], score) for code, score in best.get(i, [])
                 if code in categories]
        out.append(Suggestions(items, source if items else Source.NONE, version)
                   if items else Suggestions())
    return out


def category_suggestions(description: str, *, limit: int = LIMIT) -> Suggestions:
    """The `limit` most likely active leaf categories for a description, best first."""
    if not _telling(description):
        return Suggestions()
    return category_suggestions_many([description], limit=limit)[0]


# Likely duplicates and units for the dispatcher (duplicates.py, units.py), reached from
# other apps through this module. Imported when asked: duplicates reads cases' selectors,
# and the case page asks from inside cases.
def duplicate_candidates(*, actor, case, limit: int = 5) -> list:
    from linli.triage import duplicates

    return duplicates.duplicate_candidates(actor=actor, case=case, limit=limit)


def unit_suggestions(*, category, area, limit: int = 3) -> list:
    from linli.triage import units

    return units.unit_suggestions(category=category, area=area, limit=limit)


def warm_up() -> None:
    """Load the segmenter's dictionary, the rules and the model in use (seconds), so that the
    first person typing in a new server process does not wait for them. Never raises: a
    database not migrated yet, or no model, just leaves the work to the first suggestion."""
    try:
        category_suggestions("楼道灯不亮")
    except Exception:  # the server must start whatever state the database is in
        log.info("triage warm-up skipped", exc_info=True)
