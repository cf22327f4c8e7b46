"""A street's survey read by the staff of one of its communities: the part they serve
only — its households, responses and needs (selectors_report.report_paths)."""

from django.urls import reverse

from linli.community.tests.factories import resident_user
from linli.people.models import Resident
from linli.surveys.selectors_report import report_paths, survey_report
from linli.surveys.services import response_submit
from linli.surveys.tests.factories import survey


def _answer(of, user, text: str) -> None:
    person = Resident.objects.get(user=user)
    need = of.questions.get(asks_need=True)
    response_submit(actor=user, survey=of, household=person.household,
                    answers={need.pk: text})


def test_a_community_dispatcher_reads_their_part_of_a_street_survey(client, world):
    of = survey(world, area=world.street, actor=world.leo)
    _answer(of, resident_user(world.alice, world.dwelling_a, "a1"), "楼道灯坏了")
    _answer(of, resident_user(world.bob, world.dwelling_b, "b1"), "希望增设老年食堂")
    assert report_paths(world.leo, of) == [world.street.path]
    assert report_paths(world.alice, of) == [world.community_a.path]
    assert report_paths(world.rita, of) == []
    whole = survey_report(of, report_paths(world.leo, of))
    part = survey_report(of, report_paths(world.alice, of))
    assert (whole.responses, len(whole.needs)) == (2, 2)
    assert (part.responses, part.households) == (1, 1)
    assert [n.text for n in part.needs] == ["楼道灯坏了"]

    client.force_login(world.alice)
    page = client.get(reverse("surveys:report", args=[of.pk]))
    assert page.status_code == 200
    assert "花楼社区" in page.content.decode() and "希望增设老年食堂" not in page.content.decode()
    api = client.get(f"/api/surveys/{of.pk}/report").json()
    assert api["responses"] == 1 and [n["text"] for n in api["needs"]] == ["楼道灯坏了"]
