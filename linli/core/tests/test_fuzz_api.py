"""Schemathesis over every operation of the JSON API, as the demo's dispatcher (staff of
community A) and as a resident: no 5xx, every status documented, every body as the schema
says (issue 12 item 7). The checks and how to reproduce a failure: fuzzing.py,
docs/testing.md.
"""

import pytest
from hypothesis import HealthCheck, settings

from linli.core.tests.fuzzing import SENT, api_schema, fuzz_call

pytestmark = pytest.mark.fuzz
schema = api_schema()


# The role's parametrization also gives each operation its own test id: without one,
# schemathesis 4.32 on pytest 9 names every item alike and xdist runs only the first.
@pytest.mark.parametrize("role", ["staff", "resident"])
@schema.parametrize()
# One savepoint per operation and role, shared by its examples: a write by one example is
# seen by the next, as a real client's would be; the next test starts from the demo again.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_answers_as_documented(case, role, fuzz_world, db):
    SENT[f"{__name__} {case.operation.label} as {role}"] += 1
    fuzz_call(case, getattr(fuzz_world, role))
