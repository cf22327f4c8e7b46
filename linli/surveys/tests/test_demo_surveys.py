"""The demo's survey: 150 households answered (online and on visits, each grid worker only
in their grid), `resident`'s household not, needs classified and some turned into work,
urgent ones left open; nobody notified."""

import pytest

from linli.library.models import Need
from linli.notifications.models import Notification
from linli.people.models import Resident
from linli.surveys.demo import TITLE
from linli.surveys.models import Response, Survey
from linli.surveys.selectors_report import survey_report


@pytest.mark.django_db
def test_demo_survey(demo):
    survey = Survey.objects.get(title=TITLE)
    assert survey.state == "open" and survey.area.name == "民族街道"
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 150
    assert responses.filter(via="online").exists() and responses.filter(via="visit").exists()
    for r in responses.filter(via="visit").select_related("entered_by"):
        grids = [a.area.path for a in r.entered_by.assignments.filter(role="grid_worker")]
        assert any(r.area_path.startswith(p) for p in grids)
    mine = Resident.objects.get(user__username="resident")
    assert not responses.filter(household_id=mine.household_id).exists()
    report = survey_report(survey)
    assert report.responses == 150 and report.households >= 150
    needs = Need.objects.filter(pk__in=[n.need_id for n in report.needs])
    assert needs.exclude(urgency="").exists() and needs.filter(urgency="").exists()
    assert needs.exclude(outcome="").exists()
    assert needs.filter(urgency="urgent", state="open").exists()
    assert not Notification.objects.filter(kind="surveys.opened").exists()
