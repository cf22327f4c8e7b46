"""Fixtures of the dispute tests."""

import pytest


@pytest.fixture(autouse=True)
def shipped_rules(db):
    """The grading rules and mediation limits Linli ships (`shipped.py`). A transactional
    test (the browser walks) empties every table when it ends, shipped rows included, so
    the tests that follow one put them back, as people's `standard_tags` does."""
    from linli.disputes.models import GradeRule, KindLimit
    from linli.disputes.shipped import ship_defaults

    ship_defaults(GradeRule, KindLimit)
