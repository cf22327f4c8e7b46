""""Me too" twice at the same instant (a double tap, two tabs): one supporter row, one audit
entry, and the other attempt is told it is already counted. PostgreSQL, real threads."""

import threading

import pytest

from linli.accounts.models import User
from linli.cases.models import Case, Supporter
from linli.cases.services import case_support
from linli.cases.tests.publictools import public_world
from linli.core.errors import Conflict
from linli.core.models import AuditEntry
from linli.core.tests.threads import run_together


def supporter(user_id: int, case_id: int):
    def job(barrier: threading.Barrier):
        actor = User.objects.get(pk=user_id)
        case = Case.objects.select_related("category", "community").get(pk=case_id)
        barrier.wait()
        return case_support(actor=actor, case=case)
    return job


@pytest.mark.postgres
def test_two_taps_at_once_count_once(transactional_db, world):
    w = public_world(world)
    outcomes = run_together(supporter(w.ruth.pk, w.public.pk),
                            supporter(w.ruth.pk, w.public.pk))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    refusal = next(value for kind, value in outcomes if kind == "refused")
    assert isinstance(refusal, Conflict) and refusal.code == "already_supported"
    assert Supporter.objects.filter(case=w.public).count() == 1
    assert AuditEntry.objects.filter(action="case.supported").count() == 1
