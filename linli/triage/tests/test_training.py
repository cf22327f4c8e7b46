"""Training runs: too little history, the first model, the replacement rule, a model file
that cannot be used, and one run at a time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.core.errors import Conflict
from linli.triage import learn, selectors, services
from linli.triage.models import ModelVersion, Outcome, Source, Trigger
from linli.triage.tests.training_kit import (
    caches_clear,
    corpus,
    mislabelled,
    texts_add,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_too_little_history_trains_nothing_and_the_rules_suggest(triage_data):
    texts_add(corpus(per_category=4))
    run = services.train_now()
    assert run.outcome == Outcome.TOO_LITTLE and run.file_name == ""
    assert "at least 40" in run.note
    shown = selectors.category_suggestions("5号楼楼道灯不亮好几天了")
    assert shown.source == Source.RULES and shown.model_version is None
    assert shown.codes[0] == "L1002"


def test_enough_history_makes_the_model_in_use_with_its_checksummed_file(triage_data):
    texts_add(corpus())
    run = services.train_now()
    assert run.outcome == Outcome.ACTIVE, run.note
    assert run.samples + run.heldout == 80 and run.heldout > 0 and run.classes == 5
    assert run.top1 is not None and run.top3 is not None and run.top3 >= run.top1
    # Nothing was in use: it was compared with what people were shown, the rules alone.
    assert run.active_top1 is not None and run.top1 >= run.active_top1
    path = triage_data / "triage" / run.file_name
    assert learn.sha256(path.read_bytes()) == run.sha256
    shown = selectors.category_suggestions("菜场后面水管爆了，水流了一地")
    assert shown.source == Source.MODEL and shown.model_version == run.version
    assert shown.codes[0] == "L1003"


def test_a_less_accurate_model_is_kept_out_and_an_equal_one_replaces(triage_data):
    texts_add(corpus())
    first = services.train_now()
    assert first.outcome == Outcome.ACTIVE

    # The same history again: as accurate, so it takes over and the first one retires.
    second = services.train_now()
    assert second.outcome == Outcome.ACTIVE
    assert (second.top1, second.top3) == (second.active_top1, second.active_top3)
    first.refresh_from_db()
    assert first.outcome == Outcome.RETIRED

    # Mislabelled texts (none held out): the candidate is worse on the same held-out texts.
    texts_add(mislabelled(), source="bad export")
    third = services.train_now()
    assert third.outcome == Outcome.KEPT_OLD, (third.top1, third.active_top1)
    assert third.top1 is not None and third.active_top1 is not None
    assert third.top1 < third.active_top1
    assert third.file_name == ""  # a model not used is not written
    assert selectors.active_version() == second
    assert ModelVersion.objects.filter(outcome=Outcome.ACTIVE).count() == 1


def test_a_first_model_less_accurate_than_the_rules_is_not_used(triage_data):
    texts_add(corpus())
    texts_add(mislabelled(), source="bad export")
    run = services.train_now()
    assert run.outcome == Outcome.KEPT_OLD, (run.top1, run.active_top1)
    assert run.note.startswith("The keyword rules alone are more accurate.")
    assert selectors.active_version() is None
    assert selectors.category_suggestions("5号楼楼道灯不亮").source == Source.RULES


@pytest.mark.parametrize("damage", ["corrupt", "missing", "foreign"])
def test_an_unusable_model_file_falls_back_to_the_rules_and_says_why(triage_data, damage):
    texts_add(corpus())
    run = services.train_now()
    path = triage_data / "triage" / run.file_name
    if damage == "corrupt":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "missing":
        path.unlink()
    else:  # a file with the right checksum recorded, but not a model
        content = b"not a pickle"
        path.write_bytes(content)
        ModelVersion.objects.filter(pk=run.pk).update(sha256=learn.sha256(content))
    caches_clear()  # a fresh process
    state = selectors.model_state()
    assert state.model is None and state.version == run
    assert run.file_name in state.problem
    shown = selectors.category_suggestions("小区东门楼道灯不亮")
    assert shown.source == Source.RULES and shown.codes[0] == "L1002"
    # A new run is compared with what people are shown meanwhile, the rules, and replaces it.
    fresh = services.train_now()
    assert fresh.outcome == Outcome.ACTIVE and fresh.active_top1 is not None


def test_one_training_run_at_a_time(triage_data, world):
    running = services.train_request(actor=world.ada)
    assert running.outcome == Outcome.TRAINING and running.trigger == Trigger.ON_DEMAND
    with pytest.raises(Conflict):
        services.train_request(actor=world.ada)
    with pytest.raises(Conflict):
        services.train_now()


def test_a_stale_training_run_is_marked_failed_and_another_may_start(triage_data):
    texts_add(corpus())
    stale = ModelVersion.objects.create(version=1, trigger=Trigger.NIGHTLY)
    ModelVersion.objects.filter(pk=stale.pk).update(
        started_at=timezone.now() - services.STALE_RUN - timedelta(minutes=1))
    run = services.train_now()
    stale.refresh_from_db()
    assert stale.outcome == Outcome.FAILED and stale.finished_at is not None
    assert run.version == 2 and run.outcome == Outcome.ACTIVE


def test_a_run_delivered_twice_trains_once(triage_data):
    texts_add(corpus())
    run = services.train_now()
    again = services.train_run(run.pk)
    assert again.outcome == Outcome.ACTIVE and again.finished_at == run.finished_at
