"""The demo's triage: the history it learns from (`corpus.py`), a first model trained on it
and on the demo's closed cases, and the suggestions recorded for the demo's reports, so
suggestions are useful on first start and the admin page has figures."""

from linli.core.demo import DemoContext
from linli.triage import services
from linli.triage.demo.corpus import demo_corpus
from linli.triage.models import Trigger


def demo_step_triage(demo: DemoContext) -> None:
    services.texts_import(demo_corpus(), source="demo")
    services.train_now(trigger=Trigger.DEMO)
    services.suggestions_record(batch=5000)


# After the cases (40) and everything else that reports cases.
DEMO_STEPS = [(97, demo_step_triage)]
