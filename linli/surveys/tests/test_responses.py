"""Answering a survey: once per household, checked whole, needs made of the answers
(services/responses.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.community.tests.factories import household_member, resident_user
from linli.core.errors import Conflict, PermissionDenied, ValidationFailed
from linli.library.models import Need
from linli.surveys.models import Answer, Per, Response, Survey
from linli.surveys.services import response_submit
from linli.surveys.tests.factories import survey


@pytest.fixture
def rita_person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def _answers(of: Survey, need: str = "") -> dict:
    q = list(of.questions.order_by("position"))
    return {q[0].pk: 1, q[1].pk: [0, 3], q[2].pk: 4, q[3].pk: need}


def test_a_household_answers_once(world, rita_person):
    of = survey(world)
    made = response_submit(actor=world.rita, survey=of, household=rita_person.household,
                           answers=_answers(of, "楼道灯坏了三天，老人晚上摔倒过，急需维修"))
    assert made.answers.count() == 4
    need = Need.objects.get()
    assert need.source == "survey" and need.urgency_suggested == "urgent"
    assert Answer.objects.get(need=need).response == made
    with pytest.raises(Conflict, match="already answered"):
        response_submit(actor=world.gina, survey=of, household=rita_person.household,
                        answers=_answers(of), via="visit")
    assert Response.objects.count() == 1 and Need.objects.count() == 1


def test_a_grid_worker_enters_answers_during_a_visit(world, rita_person):
    of = survey(world)
    made = response_submit(actor=world.gina, survey=of, household=rita_person.household,
                           answers=_answers(of), via="visit")
    assert made.via == "visit" and made.entered_by == world.gina


def test_another_household_may_not_answer_for_rita(world, rita_person):
    other = resident_user(world.bob, world.dwelling_b, "other")
    with pytest.raises(PermissionDenied):
        response_submit(actor=other, survey=survey(world), household=rita_person.household,
                        answers={})


def test_bad_answers_write_nothing(world, rita_person):
    of = survey(world)
    q = list(of.questions.order_by("position"))
    for bad in ({q[0].pk: 9}, {q[1].pk: ["x"]}, {q[2].pk: 6}, {q[3].pk: "长" * 2001},
                {987654: 1}):
        with pytest.raises(ValidationFailed):
            response_submit(actor=world.rita, survey=of, household=rita_person.household,
                            answers=bad)
    assert not Response.objects.exists() and not Need.objects.exists()


def test_a_required_question_is_named(world, rita_person):
    of = survey(world)
    of.questions.filter(position=1).update(required=True)
    with pytest.raises(ValidationFailed, match="您家常住几口人"):
        response_submit(actor=world.rita, survey=of, household=rita_person.household,
                        answers={})


def test_closed_or_draft_surveys_take_no_answers(world, rita_person):
    draft = survey(world, state="draft")
    with pytest.raises(ValidationFailed):
        response_submit(actor=world.rita, survey=draft, household=rita_person.household,
                        answers={})
    ended = survey(world)
    Survey.objects.filter(pk=ended.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationFailed, match="closed"):
        response_submit(actor=world.rita, survey=Survey.objects.get(pk=ended.pk),
                        household=rita_person.household, answers={})


def test_outside_the_audience_is_refused(world, rita_person):
    of = survey(world, area=world.grid_a2)
    with pytest.raises(ValidationFailed, match="not in the survey"):
        response_submit(actor=world.rita, survey=of, household=rita_person.household,
                        answers={})


def test_per_person_each_member_answers_once(world, rita_person):
    of = survey(world, per=Per.PERSON)
    child = household_member(world.alice, rita_person, "李小明")
    response_submit(actor=world.rita, survey=of, household=rita_person.household,
                    resident=rita_person, answers={})
    response_submit(actor=world.rita, survey=of, household=rita_person.household,
                    resident=child, answers={})
    with pytest.raises(Conflict):
        response_submit(actor=world.rita, survey=of, household=rita_person.household,
                        resident=child, answers={})
    assert Response.objects.count() == 2
