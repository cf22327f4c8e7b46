"""Fixtures of the inspection tests."""

import pytest


@pytest.fixture(autouse=True)
def shipped_checklists(db):
    """The checklists and deadlines Linli ships (`shipped.py`). A transactional test (the
    browser walks) empties every table when it ends, shipped rows included, so the tests
    that follow one put them back."""
    from linli.inspections.tests.factories import ship

    ship()
