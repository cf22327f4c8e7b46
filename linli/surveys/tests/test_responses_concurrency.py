"""One household answering from two phones and a grid worker's tablet at once, on
PostgreSQL: one response, one need."""

import threading

import pytest

from linli.accounts.models import User
from linli.core.tests.threads import run_together
from linli.library.models import Need
from linli.people.models import Household
from linli.people.tests.factories import resident
from linli.surveys.models import Response, Survey
from linli.surveys.services import response_submit
from linli.surveys.tests.factories import survey

pytestmark = pytest.mark.postgres


def test_one_household_three_devices_one_response(transactional_db, world):
    person = resident(world.alice, world.dwelling_a, "李丽", user=world.rita)
    of = survey(world)
    need_question = of.questions.get(asks_need=True)

    def answer(user_id: int, via: str):
        def job(barrier: threading.Barrier):
            actor = User.objects.get(pk=user_id)
            household = Household.objects.get(pk=person.household_id)
            fresh = Survey.objects.get(pk=of.pk)
            barrier.wait()
            return response_submit(actor=actor, survey=fresh, household=household, via=via,
                                   answers={need_question.pk: "希望增设老年食堂"}).pk
        return job

    outcomes = run_together(answer(world.rita.pk, "online"), answer(world.rita.pk, "online"),
                            answer(world.gina.pk, "visit"))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused", "refused"], outcomes
    assert Response.objects.count() == 1 and Need.objects.count() == 1
