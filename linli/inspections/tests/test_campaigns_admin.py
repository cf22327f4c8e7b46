"""Administrators edit the checklists in the admin site (items inline, audited), and the
rectification deadlines; recurring campaigns are listed read-only; nobody else gets in."""

from linli.core.models import AuditEntry
from linli.inspections.models import Schedule, Template, TemplateItem
from linli.inspections.services import schedule_create
from linli.inspections.tests.factories import GAS, campaign, ship


def item_forms(template: Template, changes: dict[int, dict] | None = None) -> dict:
    """The change form's fields: the template's own, and its items inline as they are,
    with `changes` (by position) applied."""
    items = list(template.items.all())
    data: dict[str, object] = {"name": template.name, "topic": template.topic,
            "target_kinds": ["restaurant"], "is_active": "on",
            "items-TOTAL_FORMS": str(len(items)), "items-INITIAL_FORMS": str(len(items)),
            "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000"}
    for i, item in enumerate(items):
        row: dict[str, object] = {"id": item.pk, "template": template.pk, "position": item.position,
               "text": item.text, "severity": item.severity,
               "requirement": item.requirement, "is_active": "on"}
        row |= (changes or {}).get(item.position, {})
        data |= {f"items-{i}-{k}": v for k, v in row.items() if v is not None}
    return data


def test_an_admin_rewords_an_item_and_the_running_campaign_keeps_its_copy(client, world):
    c = campaign(world)
    gas = Template.objects.get(name=GAS)
    client.force_login(world.ada)
    url = f"/admin/inspections/template/{gas.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "保留创建时检查项的副本" in page.content.decode()
    got = client.post(url, item_forms(gas, {1: {"text": "燃气软管不超过2米", "severity": "major"},
                                            2: {"is_active": None}}))
    assert got.status_code == 302, got.content.decode()[:2000]
    assert TemplateItem.objects.get(template=gas, position=1).text == "燃气软管不超过2米"
    assert TemplateItem.objects.get(template=gas, position=2).is_active is False
    assert c.items.get(position=1).text.startswith("燃气软管使用金属波纹管")
    entries = AuditEntry.objects.filter(action="templateitem.updated")
    assert entries.count() == 2
    assert sorted(tuple(e.changes["fields"]) for e in entries) == [
        ("is_active",), ("text", "severity")]


def test_deadlines_and_schedules_are_listed_for_admins(client, world):
    schedule_create(actor=world.alice, name="燃气", template=Template.objects.get(name=GAS),
                    areas=[world.community_a], ordinal=1, weekday=0, every_months=1,
                    duration_days=7)
    client.force_login(world.ada)
    assert client.get("/admin/inspections/severitylimit/").status_code == 200
    assert client.get("/admin/inspections/schedule/").status_code == 200
    s = Schedule.objects.get()
    assert client.get("/admin/inspections/schedule/add/").status_code == 403
    assert client.post(f"/admin/inspections/schedule/{s.pk}/change/",
                       {"name": "改"}).status_code == 403
    s.refresh_from_db()
    assert s.name == "燃气"


def test_staff_who_are_not_admins_do_not_get_in(client, world):
    client.force_login(world.alice)
    got = client.get("/admin/inspections/template/")
    assert got.status_code in (302, 403)


def test_a_checklists_target_kinds_are_ticked_not_typed(client, world):
    from linli.inspections.models import Template

    ship()
    client.force_login(world.ada)
    gas = Template.objects.get(name=GAS)
    page = client.get(f"/admin/inspections/template/{gas.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'type="checkbox" name="target_kinds" value="restaurant"' in body
    assert '["restaurant"' not in body
