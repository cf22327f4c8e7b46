"""Running a campaign (排查行动): who may, which areas, which period, and the checklist as it
was on the day the campaign was made."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from linli.core.errors import PermissionDenied, ValidationFailed
from linli.core.models import AuditEntry
from linli.inspections.models import Campaign, CampaignItem, Template, TemplateItem
from linli.inspections.services import campaign_create, campaign_update
from linli.inspections.tests.factories import GAS

NOW = timezone.make_aware(datetime(2026, 12, 7, 9, 0))
TODAY = date(2026, 12, 7)


def gas() -> Template:
    return Template.objects.get(name=GAS)


def make(world, **kw) -> Campaign:
    fields: dict[str, Any] = {"actor": world.alice, "name": "燃气安全排查", "template": gas(),
              "areas": [world.grid_a1, world.grid_a2], "starts_on": TODAY,
              "ends_on": TODAY + timedelta(days=13), "now": NOW} | kw
    return campaign_create(**fields)


def test_a_dispatcher_runs_a_campaign_over_two_grids_held_by_their_community(world):
    c = make(world)
    assert (c.topic, c.area, c.area_path) == ("gas", world.community_a, world.community_a.path)
    assert sorted(c.areas.values_list("name", flat=True)) == ["花楼第一网格", "花楼第二网格"]
    assert c.target_kinds == ["restaurant", "shop", "workshop", "building"]
    assert c.created_by == world.alice and c.schedule is None
    assert c.items.count() == gas().items.filter(is_active=True).count() == 8
    first = c.items.get(position=1)
    assert first.template_item is not None and first.template_item.text == first.text
    entry = AuditEntry.objects.get(action="inspection.campaign_create")
    assert (entry.actor, entry.object_id, entry.area_path) == (
        world.alice, str(c.pk), world.community_a.path)


def test_the_campaign_keeps_its_items_when_the_template_changes(world):
    c = make(world)
    TemplateItem.objects.filter(template=gas(), position=1).update(text="改过的检查项",
                                                                   is_active=False)
    assert c.items.get(position=1).text != "改过的检查项"
    later = make(world, name="第二轮")
    assert later.items.count() == 7


def test_chosen_kinds_replace_the_checklists_and_unknown_kinds_are_refused(world):
    assert make(world, target_kinds=["lift", "shop", "lift"]).target_kinds == ["shop", "lift"]
    assert make(world, name="全部", target_kinds=[]).target_kinds == []
    with pytest.raises(ValidationFailed) as refused:
        make(world, target_kinds=["castle"])
    assert refused.value.code == "bad_target_kind"


@pytest.mark.parametrize(("change", "code"), [
    ({"name": "  "}, "name_required"),
    ({"name": "排" * 101}, "name_too_long"),
    ({"areas": []}, "areas_required"),
    ({"ends_on": TODAY - timedelta(days=1), "starts_on": TODAY - timedelta(days=9)},
     "ends_in_past"),
    ({"ends_on": TODAY - timedelta(days=1)}, "ends_before_start"),
    ({"ends_on": TODAY + timedelta(days=366)}, "period_too_long"),
])
def test_bad_input_is_refused_and_nothing_is_written(world, change, code):
    with pytest.raises(ValidationFailed) as refused:
        make(world, **change)
    assert refused.value.code == code
    assert (Campaign.objects.count(), CampaignItem.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(action__startswith="inspection.").count() == 0


def test_a_year_long_campaign_is_allowed(world):
    c = make(world, ends_on=TODAY + timedelta(days=365))
    assert (c.ends_on - c.starts_on).days == 365


def test_overlapping_areas_and_areas_above_a_community_are_refused(world):
    with pytest.raises(ValidationFailed) as nested:
        make(world, areas=[world.grid_a1, world.estate_a])
    assert nested.value.code == "areas_overlap"
    with pytest.raises(ValidationFailed) as high:
        make(world, actor=world.leo, areas=[world.street])
    assert high.value.code == "area_too_high"
    assert Campaign.objects.count() == 0


def test_the_same_area_twice_counts_once(world):
    assert make(world, areas=[world.grid_a1, world.grid_a1]).areas.count() == 1


def test_a_retired_or_empty_checklist_is_refused(world):
    Template.objects.filter(name=GAS).update(is_active=False)
    with pytest.raises(ValidationFailed) as retired:
        make(world)
    assert retired.value.code == "template_inactive"
    Template.objects.filter(name=GAS).update(is_active=True)
    TemplateItem.objects.filter(template__name=GAS).update(is_active=False)
    with pytest.raises(ValidationFailed) as empty:
        make(world)
    assert empty.value.code == "template_empty"


def test_alice_cannot_run_a_campaign_in_community_b(world):
    with pytest.raises(PermissionDenied):
        make(world, areas=[world.grid_a1, world.grid_b1])
    assert Campaign.objects.count() == 0


def test_a_grid_worker_cannot_run_a_campaign_at_all(world):
    with pytest.raises(PermissionDenied):
        make(world, actor=world.gina, areas=[world.grid_a1])
    assert Campaign.objects.count() == 0


def test_the_streets_leader_runs_one_over_two_communities(world):
    c = make(world, actor=world.leo, areas=[world.community_a, world.community_b])
    assert c.area == world.street


def test_a_campaign_is_renamed_and_extended_and_audited(world):
    c = make(world)
    later = TODAY + timedelta(days=30)
    campaign_update(actor=world.alice, campaign=c, name="燃气安全排查（延长）", ends_on=later,
                    now=NOW)
    c.refresh_from_db()
    assert (c.name, c.ends_on) == ("燃气安全排查（延长）", later)
    entry = AuditEntry.objects.get(action="inspection.campaign_update")
    assert entry.changes == {"name": ["燃气安全排查", "燃气安全排查（延长）"],
                             "ends_on": [str(TODAY + timedelta(days=13)), str(later)]}


def test_a_campaign_ends_today_at_the_earliest(world):
    c = make(world, starts_on=TODAY - timedelta(days=5))
    campaign_update(actor=world.alice, campaign=c, ends_on=TODAY, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        campaign_update(actor=world.alice, campaign=c, ends_on=TODAY - timedelta(days=1),
                        now=NOW)
    assert refused.value.code == "ends_in_past"
    c.refresh_from_db()
    assert c.ends_on == TODAY


def test_only_coordinators_of_the_campaigns_area_change_it(world):
    c = make(world)
    for outsider in (world.gina, world.bob):
        with pytest.raises(PermissionDenied):
            campaign_update(actor=outsider, campaign=c, name="别人改的", now=NOW)
    c.refresh_from_db()
    assert c.name == "燃气安全排查"
    assert AuditEntry.objects.filter(action="inspection.campaign_update").count() == 0


def test_an_update_that_changes_nothing_writes_nothing(world):
    c = make(world)
    campaign_update(actor=world.alice, campaign=c, name="燃气安全排查", now=NOW)
    assert AuditEntry.objects.filter(action="inspection.campaign_update").count() == 0
