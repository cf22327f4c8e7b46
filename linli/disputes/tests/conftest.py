"""Fixtures of the dispute tests."""

from importlib import import_module

import pytest


@pytest.fixture(autouse=True)
def shipped_rules(db):
    """The grading rules and mediation limits migration 0002 ships. A transactional test
    (the browser walks) empties every table when it ends, shipped rows included, so the
    tests that follow one put them back (as people's `standard_tags` does)."""
    from django.apps import apps

    from linli.disputes.models import GradeRule, KindLimit

    if not GradeRule.objects.exists() and not KindLimit.objects.exists():
        import_module("linli.disputes.migrations.0002_events_append_only_and_shipped_rules"
                      ).ship(apps, None)
