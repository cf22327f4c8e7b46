"""The survey pages: the list, the builder, answering on a phone, the visit, the report
(its numbers equal the rows behind them) and the audited export."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.core.models import AuditEntry
from linli.surveys.models import Response, Survey
from linli.surveys.selectors_report import survey_report
from linli.surveys.services import response_submit
from linli.surveys.tests.factories import survey


@pytest.fixture
def rita_person(world):
    from linli.people.tests.factories import resident

    return resident(world.alice, world.dwelling_a, "李丽", user=world.rita)


def test_lists_for_staff_and_residents(client, world, rita_person):
    of = survey(world)
    client.force_login(world.alice)
    page = client.get(reverse("surveys:home"))
    assert page.status_code == 200 and f'id="survey-{of.pk}"' in page.content.decode()
    client.force_login(world.rita)
    page = client.get(reverse("surveys:home")).content.decode()
    assert 'id="to-answer"' in page and of.title in page
    client.force_login(world.bob)
    assert of.title not in client.get(reverse("surveys:home")).content.decode()


def test_builder_pages(client, world):
    client.force_login(world.alice)
    now = timezone.now()
    made = client.post(reverse("surveys:survey_new"), {
        "title": "季度调研", "area": world.community_a.pk, "per": "household",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")})
    assert made.status_code == 302
    of = Survey.objects.get()
    bad = client.post(reverse("surveys:question_add", args=[of.pk]),
                      {"kind": "single", "text": "几口人？", "options": "1人"})
    assert bad.status_code == 400 and "几口人？" in bad.content.decode()  # kept
    client.post(reverse("surveys:survey_template", args=[of.pk]))
    assert of.questions.count() == 5
    second = of.questions.order_by("position")[1]
    client.post(reverse("surveys:question_up", args=[of.pk, second.pk]))
    assert of.questions.order_by("position").first() == second
    page = client.get(reverse("surveys:survey", args=[of.pk])).content.decode()
    assert 'id="open-survey"' in page and 'id="close-survey"' not in page
    assert client.post(reverse("surveys:survey_act", args=[of.pk, "open"]),
                       {"version": of.version}).status_code == 302
    page = client.get(reverse("surveys:survey", args=[of.pk])).content.decode()
    assert 'id="close-survey"' in page and 'id="add-template"' not in page
    client.force_login(world.bob)
    assert client.get(reverse("surveys:survey", args=[of.pk])).status_code == 404
    client.force_login(world.rita)
    assert client.get(reverse("surveys:survey_new")).status_code == 403


def test_a_resident_answers_on_the_page(client, world, rita_person):
    of = survey(world)
    qs = list(of.questions.order_by("position"))
    of.questions.filter(pk=qs[0].pk).update(required=True)
    client.force_login(world.rita)
    url = reverse("surveys:answer", args=[of.pk])
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and 'type="checkbox"' in page and "<textarea" in page
    refused = client.post(url, {f"q{qs[3].pk}": "孩子放学没人接", f"q{qs[1].pk}": ["1"]})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "孩子放学没人接" in body and 'id="answer-error"' in body
    assert client.post(url, {f"q{qs[0].pk}": "2", f"q{qs[3].pk}": "孩子放学没人接"}
                       ).status_code == 302
    page = client.get(url).content.decode()
    assert 'id="already"' in page and 'id="answer-form"' not in page
    assert "孩子放学没人接" in page


def test_visit_entry(client, world, rita_person):
    of = survey(world)
    client.force_login(world.gina)
    url = reverse("surveys:visit", args=[of.pk])
    page = client.get(url, {"q": "101"}).content.decode()
    assert f'id="household-{rita_person.household_id}"' in page and "李丽" not in page
    assert "李*" in page
    form = client.get(url, {"household": rita_person.household_id})
    assert form.status_code == 200
    done = client.post(url, {"household": rita_person.household_id})
    assert done.status_code == 302 and Response.objects.get().via == "visit"
    client.force_login(world.bob)
    assert client.get(url, {"household": rita_person.household_id}).status_code == 404


def test_report_numbers_equal_the_rows_and_the_export_is_audited(client, world, rita_person):
    of = survey(world)
    qs = list(of.questions.order_by("position"))
    response_submit(actor=world.rita, survey=of, household=rita_person.household,
                    answers={qs[0].pk: 0, qs[1].pk: [0, 2], qs[2].pk: 5,
                             qs[3].pk: "加装电梯"})
    data = survey_report(of)
    assert data.responses == Response.objects.filter(survey=of).count() == 1
    assert data.households >= 1
    assert data.questions[1].counts == [1, 0, 1, 0, 0]
    assert len(data.needs) == 1
    assert sum(row["total"] for row in data.matrix) == len(data.needs)
    client.force_login(world.alice)
    page = client.get(reverse("surveys:report", args=[of.pk])).content.decode()
    assert 'id="survey-charts"' in page and f'id="chart-{qs[0].pk}"' in page
    assert "加装电梯" in page and reverse("library:need", args=[data.needs[0].need_id]) in page
    exported = client.get(reverse("surveys:report_export", args=[of.pk]))
    assert exported.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames[0] and book.worksheets[0].max_row == 2
    assert book.worksheets[1].cell(2, 1).value == "加装电梯"
    assert AuditEntry.objects.filter(action="survey.exported").count() == 1
    client.force_login(world.rita)
    assert client.get(reverse("surveys:report", args=[of.pk])).status_code == 403
