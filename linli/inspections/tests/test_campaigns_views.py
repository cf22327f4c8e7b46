"""The campaign pages: the list (the app's home), running a campaign or a recurring one,
a campaign's to-do by grid, changing it, schedules, checklists, the home tile and the nav
link; each with outsiders, and a refused form keeps what was typed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.inspections.models import Campaign, Schedule, Template
from linli.inspections.services import schedule_create
from linli.inspections.tests.factories import GAS, campaign, inspect, target


def login(client, user):
    client.force_login(user)
    return client


def form(world, **kw) -> dict:
    today = timezone.localdate()
    return {"name": "燃气安全排查", "template": Template.objects.get(name=GAS).pk,
            "areas": [world.grid_a1.pk, world.grid_a2.pk], "starts_on": str(today),
            "ends_on": str(today + timedelta(days=13)), "ordinal": 1, "weekday": 0,
            "every_months": 1, "duration_days": 7} | kw


@pytest.mark.parametrize("who", ["rita", "uma", "nobody"])
def test_the_pages_do_not_exist_for_others(client, world, who):
    login(client, getattr(world, who))
    for url in ["/inspections/", "/inspections/campaigns/new/", "/inspections/schedules/",
                "/inspections/checklists/"]:
        assert client.get(url).status_code == 404, url


def test_anonymous_goes_to_login(client, world):
    got = client.get("/inspections/")
    assert (got.status_code, got["Location"].split("?")[0]) == (302, "/accounts/login/")


def test_the_home_lists_campaigns_with_progress_for_a_grid_worker(client, world):
    c = campaign(world, name="花楼燃气排查")
    done = target(world, name="老王餐馆")
    target(world, area=world.estate_a, name="李记面馆")
    target(world, area=world.grid_a2, name="二网格餐馆")  # not gina's
    inspect(world, c, done, fail=(1,))
    campaign(world, name="水塔燃气排查", areas=[world.community_b], actor=world.bob)
    campaign(world, name="下月排查", starts_on=timezone.localdate() + timedelta(days=20))
    page = login(client, world.gina).get("/inspections/").content.decode()
    assert "花楼燃气排查" in page and "下月排查" in page and "水塔燃气排查" not in page
    assert "已检查 1 / 2 个对象" in page
    assert "您的辖区内还有 1 个待查" in page
    assert "发现隐患 1 处" in page
    assert 'id="new-campaign"' not in page  # gina does not run campaigns
    assert 'id="new-campaign"' in login(client, world.alice).get("/inspections/").content.decode()


def test_alice_runs_a_campaign_from_the_form(client, world):
    got = login(client, world.alice).post("/inspections/campaigns/new/", form(world))
    made = Campaign.objects.get()
    assert got.status_code == 302 and got["Location"] == f"/inspections/campaigns/{made.pk}/"
    assert (made.area, made.created_by, made.target_kinds) == (
        world.community_a, world.alice, ["restaurant", "shop", "workshop", "building"])


def test_a_refused_form_keeps_what_was_typed(client, world):
    past = str(timezone.localdate() - timedelta(days=3))
    got = login(client, world.alice).post("/inspections/campaigns/new/",
                                          form(world, name="我的排查", ends_on=past))
    page = got.content.decode()
    assert got.status_code == 400
    assert "行动的结束日期早于开始日期" in page or "ends_before_start" in page
    assert 'value="我的排查"' in page and f'value="{past}"' in page
    assert Campaign.objects.count() == 0


def test_a_missing_date_is_asked_for(client, world):
    got = login(client, world.alice).post("/inspections/campaigns/new/",
                                          form(world, ends_on=""))
    assert got.status_code == 400
    assert Campaign.objects.count() == 0


def test_an_area_not_offered_is_refused(client, world):
    got = login(client, world.alice).post("/inspections/campaigns/new/",
                                          form(world, areas=[world.grid_b1.pk]))
    assert got.status_code == 400
    assert Campaign.objects.count() == 0


def test_a_grid_worker_is_refused_the_form(client, world):
    got = login(client, world.gina).get("/inspections/campaigns/new/")
    assert got.status_code == 403
    assert login(client, world.gina).post("/inspections/campaigns/new/",
                                          form(world)).status_code == 403
    assert Campaign.objects.count() == 0


def test_repeat_sets_up_a_schedule_instead(client, world):
    got = login(client, world.alice).post("/inspections/campaigns/new/",
                                          form(world, repeat="on", ordinal=5, weekday=4,
                                               every_months=3, starts_on="", ends_on=""))
    assert got.status_code == 302 and got["Location"] == "/inspections/schedules/"
    s = Schedule.objects.get()
    assert (s.ordinal, s.weekday, s.every_months, s.duration_days) == (5, 4, 3, 7)
    assert Campaign.objects.count() == 0
    page = client.get("/inspections/schedules/").content.decode()
    assert "每 3 个月的最后一个星期五" in page


def test_the_campaign_page_lists_targets_by_grid_with_links_to_inspect(client, world):
    c = campaign(world)
    done = target(world, name="老王餐馆")
    todo = target(world, area=world.estate_a, name="李记面馆")
    other = target(world, area=world.grid_a2, name="二网格餐馆")
    inspect(world, c, done, fail=())
    page = login(client, world.alice).get(f"/inspections/campaigns/{c.pk}/").content.decode()
    assert page.index("花楼第一网格") < page.index("李记面馆") < page.index("花楼第二网格")
    assert f"/inspections/campaigns/{c.pk}/targets/{todo.pk}/inspect/" in page
    assert f"/inspections/campaigns/{c.pk}/targets/{other.pk}/inspect/" in page
    assert f"/targets/{done.pk}/inspect/" not in page
    assert "燃气软管使用金属波纹管" in page and 'id="edit-campaign"' in page
    gina = login(client, world.gina).get(f"/inspections/campaigns/{c.pk}/").content.decode()
    assert "二网格餐馆" not in gina and 'id="edit-campaign"' not in gina
    assert login(client, world.bob).get(f"/inspections/campaigns/{c.pk}/").status_code == 404


def test_the_campaign_is_renamed_and_extended_by_its_coordinator(client, world):
    c = campaign(world)
    later = c.ends_on + timedelta(days=10)
    url = f"/inspections/campaigns/{c.pk}/edit/"
    assert login(client, world.gina).post(url, {"name": "x", "ends_on": later}
                                          ).status_code == 403
    assert login(client, world.bob).get(url).status_code == 404
    got = login(client, world.alice).post(url, {"name": "延长的排查", "ends_on": later})
    assert got.status_code == 302
    c.refresh_from_db()
    assert (c.name, c.ends_on) == ("延长的排查", later)
    refused = client.post(url, {"name": "又改", "ends_on": timezone.localdate()
                                - timedelta(days=1)})
    assert refused.status_code == 400 and 'value="又改"' in refused.content.decode()
    c.refresh_from_db()
    assert c.name == "延长的排查"


def test_a_schedule_is_paused_and_resumed(client, world):
    s = schedule_create(actor=world.alice, name="燃气", template=Template.objects.get(name=GAS),
                        areas=[world.community_a], ordinal=1, weekday=0, every_months=1,
                        duration_days=7)
    url = f"/inspections/schedules/{s.pk}/toggle/"
    assert login(client, world.gina).post(url).status_code == 403
    assert login(client, world.bob).post(url).status_code == 404
    assert login(client, world.alice).post(url).status_code == 302
    s.refresh_from_db()
    assert s.is_active is False
    client.post(url)
    s.refresh_from_db()
    assert s.is_active is True


def test_the_checklists_page_shows_items_and_admins_get_the_edit_link(client, world):
    page = login(client, world.gina).get("/inspections/checklists/").content.decode()
    assert "燃气安全检查表" in page and "重大" in page and 'id="edit-checklists"' not in page


def test_the_home_tile_and_nav_are_for_inspectors_only(client, world):
    c = campaign(world)
    target(world, name="老王餐馆")
    assert c.pk
    page = login(client, world.gina).get("/").content.decode()
    assert 'id="inspection-home"' in page and 'id="nav-inspections"' in page
    assert 'id="inspection-tile-todo"' in page
    resident = login(client, world.rita).get("/").content.decode()
    assert 'id="inspection-home"' not in resident and 'id="nav-inspections"' not in resident
