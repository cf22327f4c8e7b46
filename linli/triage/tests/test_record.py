"""services.suggestions_record: what triage suggested for each case a person reported,
beside the category they chose; once per case, never for IoT alarms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.models import Case, Category, Channel
from linli.cases.services import case_report
from linli.cases.tests.factories import route
from linli.triage import services
from linli.triage.models import Source, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world, triage_data):
    leak = Category.objects.get(code="L1003")
    route(leak, world.community_a, world.unit_a)

    def made(description: str, channel: str = Channel.RESIDENT_WEB, **changes) -> Case:
        case = case_report(actor=world.rita, category=leak, area=world.dwelling_a,
                           description=description)
        Case.objects.filter(pk=case.pk).update(channel=channel, **changes)
        return case

    return made


def test_cases_of_person_channels_are_recorded_once(report):
    web = report("厨房水管爆了，水流了一地")
    hotline = report("5栋楼道灯不亮好几天了", Channel.HOTLINE)
    report("水浸传感器报警", Channel.IOT)
    patrol = report("🙂🙂🙂", Channel.GRID_PATROL)

    assert services.suggestions_record() == 3
    rows = {s.case_id: s for s in Suggestion.objects.all()}
    assert set(rows) == {web.pk, hotline.pk, patrol.pk}
    assert rows[web.pk].suggested[0] == "L1003" and rows[web.pk].chosen == "L1003"
    assert rows[web.pk].source == Source.RULES and rows[web.pk].model_version is None
    assert rows[hotline.pk].suggested[0] == "L1002" and rows[hotline.pk].chosen == "L1003"
    assert rows[hotline.pk].channel == Channel.HOTLINE
    assert rows[patrol.pk].suggested == [] and rows[patrol.pk].source == Source.NONE
    assert rows[web.pk].community_id == web.community_id
    assert rows[web.pk].reported_at == web.reported_at

    assert services.suggestions_record() == 0  # nothing new
    later = report("楼顶水管漏水", Channel.API)
    assert services.suggestions_record() == 1
    assert Suggestion.objects.count() == 4
    assert Suggestion.objects.get(case_id=later.pk).channel == Channel.API


def test_a_sweep_repeated_over_the_same_cases_adds_nothing(report):
    first = report("水管漏水")
    report("门禁坏了")
    services.suggestions_record()
    # A sweep that starts over (two workers at once, say) skips what is recorded.
    Suggestion.objects.filter(case_id__gt=first.pk).delete()
    assert services.suggestions_record() == 1
    assert Suggestion.objects.count() == 2
    Suggestion.objects.filter(case_id=first.pk).update(chosen="kept")
    Suggestion.objects.exclude(case_id=first.pk).delete()
    services.suggestions_record()
    assert Suggestion.objects.get(case_id=first.pk).chosen == "kept"
    assert Suggestion.objects.count() == 2


def test_the_first_sweep_does_not_reach_back_through_years(report):
    old = report("水管漏水", reported_at=timezone.now() - timedelta(days=400))
    recent = report("水管又漏水了")
    assert services.suggestions_record() == 1
    assert list(Suggestion.objects.values_list("case_id", flat=True)) == [recent.pk]
    assert old.pk < recent.pk


def test_a_batch_at_a_time(report):
    for n in range(5):
        report(f"{n}号楼水管漏水")
    assert services.suggestions_record(batch=2) == 2
    assert services.suggestions_record(batch=2) == 2
    assert services.suggestions_record(batch=2) == 1
    assert services.suggestions_record(batch=2) == 0
    assert Suggestion.objects.count() == 5
