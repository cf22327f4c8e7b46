"""The demo's triage: a history across every category, a model in use from the first
start, suggestions recorded for the demo's reports, and, on complaints written apart from
the demo (tests/data/heldout.csv), the accuracy the issue asks for."""

import csv
from pathlib import Path

import pytest

from linli.cases.models import Category
from linli.triage import rules, selectors, services
from linli.triage.models import LabelledText, ModelVersion, Suggestion

HELDOUT = Path(__file__).parent / "data" / "heldout.csv"


@pytest.mark.django_db
def test_demo_history_covers_every_category(demo):
    leaves = set(Category.objects.exclude(triage="").filter(is_active=True)
                 .values_list("code", flat=True))
    learned = set(LabelledText.objects.values_list("category__code", flat=True))
    assert learned == leaves
    assert LabelledText.objects.count() >= 30 * len(leaves) * 0.9
    assert len(set(LabelledText.objects.values_list("text", flat=True))) > 900


@pytest.mark.django_db
def test_demo_model_in_use_and_suggestions_recorded(demo):
    model = ModelVersion.objects.get(outcome="active")
    assert model.top3 is not None and model.top3 >= 0.9 and model.samples > 700
    state = selectors.model_state()
    assert state.model is not None and not state.problem
    assert Suggestion.objects.filter(source="model").count() >= 100


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "code"), [
    ("楼道灯不亮三天了", "L1002"), ("电梯坏了，把人关在里面了", "01076"),
    ("消防通道被车堵死了", "09012"), ("楼上一直往下扔垃圾", "L1007"),
    ("闻到很重的煤气味", "L2001"), ("有人在楼道里给电瓶车充电", "L1009"),
])
def test_demo_suggests_typical_complaints(demo, text, code):
    suggestions = selectors.category_suggestions(text)
    assert suggestions.source == "model"
    assert suggestions.codes[0] == code


@pytest.mark.django_db
def test_demo_accuracy_on_unseen_complaints(demo):
    with HELDOUT.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    scores = services.score(selectors.model_state().model, [r["text"] for r in rows],
                            [r["code"] for r in rows], rules.ruleset())
    assert scores.total == 99
    assert scores.top3_rate >= 0.85 and scores.top1_rate >= 0.65
