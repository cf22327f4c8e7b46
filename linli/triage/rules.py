"""Keyword rules: which categories a description's words point to, before (and beside) any
learned model. A category's rule is its admin-edited `KeywordRule`, or the starting list in
`keywords.py` while nobody has edited it; its Chinese name always counts too.

A matched keyword scores its length squared: 楼道灯 (3 characters) says more than 灯 would,
and the longest match usually names the category.
"""

import re
import threading
from dataclasses import dataclass

from django.db import connection

from linli.cases.models import Category
from linli.triage import text
from linli.triage.keywords import DEFAULT_KEYWORDS
from linli.triage.models import KeywordRule

_SPLIT = re.compile(r"[\n\r,，、;；]+")
# English words of the category names that say nothing about the kind of problem.
_EN_STOP = {"or", "and", "the", "of", "in", "out", "from", "for", "damaged", "missing",
            "faulty", "fault", "problem", "broken", "blocked", "matters", "an", "a"}


@dataclass(frozen=True)
class RuleSet:
    stamp: tuple
    keywords: dict[str, tuple[str, ...]]  # leaf category code -> normalised keywords


_cache: RuleSet | None = None
_lock = threading.Lock()


def keywords_split(raw: str) -> list[str]:
    """An admin's keywords: one per line or separated by commas, trimmed, empty ones out."""
    return [w for w in (part.strip() for part in _SPLIT.split(raw or "")) if w]


def _english(name_en: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", name_en.lower()) if len(w) > 2 and w not in _EN_STOP]


def _stamp() -> tuple:
    """What changes when a rule or the category tree changes, in one round trip: a
    suggestion is asked for at every pause in typing."""
    rule, category = KeywordRule._meta.db_table, Category._meta.db_table
    # The table names are our models', never input.
    sql = (f"SELECT (SELECT COUNT(*) FROM {rule}), (SELECT MAX(updated_at) FROM {rule}), "  # noqa: S608
           f"(SELECT COUNT(*) FROM {category} WHERE is_active), (SELECT MAX(id) FROM "
           f"{category}), (SELECT COUNT(*) FROM {category})")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone() or ())


def _build(stamp: tuple) -> RuleSet:
    edited = {r.category_id: r.keyword_list() for r in KeywordRule.objects.all()}
    keywords: dict[str, tuple[str, ...]] = {}
    for category in Category.objects.exclude(triage="").filter(is_active=True):
        words = edited.get(category.pk, list(DEFAULT_KEYWORDS.get(category.code, ())))
        chinese = [text.normalise(w).replace(" ", "") for w in [category.name_zh, *words]]
        english = [w for w in words if w.isascii()] + _english(category.name_en)
        keywords[category.code] = tuple(dict.fromkeys(w for w in chinese + english if w))
    text.domain_words_add(w for words in keywords.values() for w in words)
    return RuleSet(stamp, keywords)


def ruleset() -> RuleSet:
    """The rules in force, rebuilt in this process when any rule or category changed."""
    global _cache
    stamp = _stamp()
    if _cache is None or _cache.stamp != stamp:
        with _lock:
            if _cache is None or _cache.stamp != stamp:
                _cache = _build(stamp)
    return _cache


def rule_scores(description: str, rules: RuleSet) -> dict[str, float]:
    """Each category's share of the matched keywords' weight (summing to 1), or {}."""
    normal = text.normalise(description)
    compact = normal.replace(" ", "")
    english = set(normal.split())
    raw: dict[str, float] = {}
    for code, keywords in rules.keywords.items():
        score = sum(len(w) ** 2 for w in keywords
                    if (w in english if w.isascii() else w in compact))
        if score:
            raw[code] = float(score)
    total = sum(raw.values())
    return {code: score / total for code, score in raw.items()} if total else {}
