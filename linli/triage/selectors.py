"""Triage suggestions, read-only: the categories a description most likely belongs to, and
what the admin page shows (the model in use, the rules, accuracy on live use).

A suggestion never fails the person typing: no model, a missing or corrupt model file, an
empty, emoji-only or English description all give rule-based or empty suggestions.
"""

import logging
import threading
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
_problems: dict[tuple[int, str], str] = {}
_lock = threading.Lock()


def active_version() -> ModelVersion | None:
    return ModelVersion.objects.filter(outcome=Outcome.ACTIVE).first()


def model_state() -> ModelState:
    """The model in use, loaded once per process per version; a file that cannot be used
    is reported (and retried only when another model takes over)."""
    version = active_version()
    if version is None:
        return ModelState(None, None, "")
    key = (version.version, version.sha256)
    if key not in _loaded and key not in _problems:
        with _lock:
            if key not in _loaded and key not in _problems:
                try:
                    _loaded[key] = learn.load(models_dir() / version.file_name, version.sha256)
                except learn.ModelFileError as exc:
                    log.warning("triage model v%s unusable: %s", version.version, exc)
                    _problems[key] = str(exc)
    return ModelState(version, _loaded.get(key), _problems.get(key, ""))


def blended(description: str, model: object | None, ruleset: rules.RuleSet
            ) -> dict[str, float]:
    """The model's probabilities blended with the rules' shares (rules alone without a
    model); only categories the rules know are active leaves, so only those are kept."""
    by_rules = rules.rule_scores(description, ruleset)
    if model is None:
        return by_rules
    by_model = learn.probabilities(model, [description])[0]
    allowed = ruleset.keywords.keys()
    return {code: (1 - RULE_WEIGHT) * by_model.get(code, 0.0)
            + RULE_WEIGHT * by_rules.get(code, 0.0)
            for code in allowed if code in by_model or code in by_rules}


def category_suggestions(description: str, *, limit: int = LIMIT) -> Suggestions:
    """The `limit` most likely active leaf categories for a description, best first."""
    if not any(ch.isalnum() for ch in (description or "")[:2000]):
        return Suggestions()
    state = model_state()
    ruleset = rules.ruleset()
    scores = blended(description, state.model, ruleset)
    best = learn.ranked(scores, limit)
    if not best:
        return Suggestions()
    categories = Category.objects.filter(code__in=[code for code, _ in best], is_active=True
                                         ).exclude(triage="").in_bulk(field_name="code")
    items = [Suggested(categories[code], score) for code, score in best if code in categories]
    if state.model is None:
        return Suggestions(items, Source.RULES if items else Source.NONE, None)
    return Suggestions(items, Source.MODEL, state.version.version if state.version else None)


# Likely duplicates and units for the dispatcher (duplicates.py, units.py), reached from
# other apps through this module. Imported when asked: duplicates reads cases' selectors,
# and the case page asks from inside cases.
def duplicate_candidates(*, actor, case, limit: int = 5) -> list:
    from linli.triage import duplicates

    return duplicates.duplicate_candidates(actor=actor, case=case, limit=limit)


def unit_suggestions(*, category, area, limit: int = 3) -> list:
    from linli.triage import units

    return units.unit_suggestions(category=category, area=area, limit=limit)
