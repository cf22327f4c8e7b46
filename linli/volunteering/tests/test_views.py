"""The volunteering pages through the Django test client: who may open what, and each page
doing its one job (posting, publishing, claiming, hours, confirming, search, honour)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from linli.cases.tests.viewtools import body, login_as, refused
from linli.points.models import Account, AccountKind
from linli.volunteering.models import Claim, ClaimState, Skill, Task, TaskState, Wish, WishState
from linli.volunteering.services_profiles import profile_update
from linli.volunteering.tests.factories import claim, task, window, wish, wish_task

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

PAGES = ["/volunteering/", "/volunteering/wishes/new/", "/volunteering/wishes/mine/",
         "/volunteering/tasks/", "/volunteering/claims/mine/", "/volunteering/me/",
         "/volunteering/profile/", "/volunteering/inbox/", "/volunteering/tasks/new/",
         "/volunteering/confirm/", "/volunteering/volunteers/", "/volunteering/honour/",
         "/volunteering/tasks/manage/"]


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert (response.status_code, response["Location"].split("?")[0]) == (
        302, "/accounts/login/")


@pytest.mark.parametrize(("username", "url", "status"), [
    ("rita", "/volunteering/wishes/new/", 200), ("rita", "/volunteering/me/", 200),
    ("rita", "/volunteering/tasks/", 200), ("rita", "/volunteering/honour/", 200),
    ("rita", "/volunteering/profile/", 404), ("rita", "/volunteering/inbox/", 404),
    ("rita", "/volunteering/volunteers/", 404), ("rita", "/volunteering/tasks/new/", 404),
    ("vic", "/volunteering/profile/", 200), ("vic", "/volunteering/claims/mine/", 200),
    ("vic", "/volunteering/wishes/new/", 404), ("alice", "/volunteering/inbox/", 200),
    ("alice", "/volunteering/tasks/new/", 200), ("gina", "/volunteering/volunteers/", 200),
    ("alice", "/volunteering/confirm/", 200), ("nobody", "/volunteering/honour/", 404),
    ("uma", "/volunteering/inbox/", 404),
])
def test_each_page_opens_for_its_roles_only(client, vw, username, url, status):
    assert login_as(client, getattr(vw, username)).get(url).status_code == status


@pytest.mark.parametrize(("username", "target"), [
    ("alice", "/volunteering/inbox/"), ("vic", "/volunteering/tasks/"),
    ("rita", "/volunteering/wishes/mine/")])
def test_the_index_sends_each_role_to_its_page(client, vw, username, target):
    assert login_as(client, getattr(vw, username)).get("/volunteering/")["Location"] == target


def test_a_resident_posts_a_wish_through_the_form(client, vw):
    start, end = window()
    response = login_as(client, vw.rita).post("/volunteering/wishes/new/", {
        "category": "errands", "description": "帮我买药", "starts_at": _local(start),
        "ends_at": _local(end), "area": vw.dwelling_a.pk, "address": "1栋"})
    assert response["Location"] == "/volunteering/wishes/mine/"
    w = Wish.objects.get()
    assert (w.requester, w.category, w.area, w.starts_at) == (vw.rita, "errands", vw.dwelling_a,
                                                              start.replace(second=0))
    assert "帮我买药" in body(client.get("/volunteering/wishes/mine/"))


def test_a_wish_refused_by_the_service_shows_why_and_saves_nothing(client, vw):
    start, end = window()
    response = login_as(client, vw.rita).post("/volunteering/wishes/new/", {
        "category": "errands", "description": "帮我买药", "starts_at": _local(end),
        "ends_at": _local(start), "area": vw.dwelling_a.pk})
    assert response.status_code == 400
    assert "Give a time window that ends after it starts." in body(response)
    assert Wish.objects.count() == 0


def test_a_resident_cannot_pick_a_place_outside_their_community(client, vw):
    start, end = window()
    response = login_as(client, vw.rita).post("/volunteering/wishes/new/", {
        "category": "errands", "description": "x", "starts_at": _local(start),
        "ends_at": _local(end), "area": vw.dwelling_b.pk})
    assert response.status_code == 400 and Wish.objects.count() == 0


def test_staff_publish_a_wish_from_the_inbox(client, vw):
    w = wish(vw)
    login_as(client, vw.alice)
    assert "想请人陪我去医院复查" in body(client.get("/volunteering/inbox/"))
    response = client.post(f"/volunteering/wishes/{w.pk}/publish/", {
        "title": "陪同就医", "volunteers_needed": "2", "points_offered": "0"})
    t = Task.objects.get()
    assert response["Location"] == f"/volunteering/tasks/{t.pk}/"
    assert (t.title, t.volunteers_needed, t.source_wish) == ("陪同就医", 2, w)


def test_staff_of_another_community_do_not_see_or_publish_the_wish(client, vw):
    w = wish(vw)
    login_as(client, vw.bob)
    assert "想请人陪我去医院复查" not in body(client.get("/volunteering/inbox/"))
    response = client.post(f"/volunteering/wishes/{w.pk}/publish/", {
        "volunteers_needed": "1", "points_offered": "0"})
    w.refresh_from_db()
    assert (response.status_code, w.state, Task.objects.count()) == (404, WishState.POSTED, 0)


def test_declining_without_a_reason_is_refused_with_the_message(client, vw):
    w = wish(vw)
    response = login_as(client, vw.alice).post(f"/volunteering/wishes/{w.pk}/decline/",
                                               {"note": ""})
    assert refused(response) == (400, "Give a reason or a note for this step.")
    w.refresh_from_db()
    assert w.state == WishState.POSTED


def test_claiming_with_htmx_swaps_the_card(client, vw):
    t = task(vw, needed=1)
    login_as(client, vw.vic)
    assert f'id="claim-{t.pk}"' in body(client.get("/volunteering/tasks/"))
    response = client.post(f"/volunteering/tasks/{t.pk}/claim/", headers=HTMX)
    assert response.status_code == 200
    assert "You have claimed this task." in body(response)
    assert Claim.objects.get().volunteer == vw.vic


def test_claiming_a_full_task_says_so(client, vw):
    t = task(vw, needed=1)
    claim(vw, t, user=vw.vic)
    login_as(client, vw.vera)
    response = client.post(f"/volunteering/tasks/{t.pk}/claim/", headers=HTMX)
    assert "This task is full: all 1 places are taken." in body(response)
    assert Claim.objects.count() == 1


def test_a_volunteer_of_another_community_gets_404_on_the_task(client, vw):
    t = task(vw)
    login_as(client, vw.val)
    assert client.get(f"/volunteering/tasks/{t.pk}/").status_code == 404
    assert client.post(f"/volunteering/tasks/{t.pk}/claim/").status_code == 404
    assert Claim.objects.count() == 0


def test_reporting_hours_with_htmx_and_a_bad_value(client, vw):
    c = claim(vw, task(vw))
    login_as(client, vw.vera)
    bad = client.post(f"/volunteering/claims/{c.pk}/report/", {"hours": "0"}, headers=HTMX)
    assert "Give the hours in half hours, from 0.5 to 24." in body(bad)
    good = client.post(f"/volunteering/claims/{c.pk}/report/", {"hours": "2.5"}, headers=HTMX)
    assert 'data-state="reported"' in body(good)
    c.refresh_from_db()
    assert (c.state, c.reported_hours) == (ClaimState.REPORTED, Decimal("2.5"))


def test_the_requester_confirms_and_rates_on_the_confirm_page(client, vw):
    c = claim(vw, wish_task(vw), state=ClaimState.REPORTED, hours="2")
    login_as(client, vw.rita)
    assert f'id="claim-{c.pk}"' in body(client.get("/volunteering/confirm/"))
    response = client.post(f"/volunteering/claims/{c.pk}/confirm/",
                           {"hours": "2", "rating": "5", "comment": "很好"})
    assert response["Location"] == "/volunteering/claims/mine/"
    c.refresh_from_db()
    assert (c.state, c.rating, c.points, c.confirmed_by) == (
        ClaimState.CONFIRMED, 5, 20, vw.rita)


def test_the_volunteer_sees_no_confirm_button_on_their_own_claim(client, vw):
    c = claim(vw, task(vw), state=ClaimState.REPORTED)
    login_as(client, vw.vera)
    assert f'id="claim-{c.pk}"' not in body(client.get("/volunteering/confirm/"))
    response = client.post(f"/volunteering/claims/{c.pk}/confirm/", {"hours": "2"})
    assert refused(response) == (403, "Nobody confirms or rates their own work.")
    c.refresh_from_db()
    assert c.state == ClaimState.REPORTED


def test_my_hours_and_points_shows_the_balance_and_the_statement_link(client, vw):
    claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="3")
    page = body(login_as(client, vw.vera).get("/volunteering/me/"))
    assert f'id="points-balance-{vw.community_a.pk}">30<' in page
    assert 'id="total-hours">3<' in page and 'href="/points/me/"' in page
    assert Account.objects.get(kind=AccountKind.RESIDENT, owner=vw.vera).balance == 30


def test_a_volunteer_edits_their_profile(client, vw):
    response = login_as(client, vw.vic).post("/volunteering/profile/", {
        "skills": ["errands", "tutoring"], "availability": "周末", "grid": vw.grid_a2.pk})
    assert response["Location"] == "/volunteering/me/"
    profile = vw.vic.volunteer_profile
    assert (sorted(profile.skills.values_list("code", flat=True)), profile.availability,
            profile.grid) == (["errands", "tutoring"], "周末", vw.grid_a2)


def test_staff_find_volunteers_by_skill_and_grid(client, vw):
    tutoring = Skill.objects.get(code="tutoring")
    profile_update(actor=vw.vic, skills=[tutoring], grid=vw.grid_a1)
    profile_update(actor=vw.vera, skills=[], grid=vw.grid_a2)
    login_as(client, vw.alice)
    page = body(client.get("/volunteering/volunteers/", {"skill": "tutoring"}))
    assert page.count('class="volunteer-row"') == 1 and str(vw.vic) in page
    page = body(client.get("/volunteering/volunteers/", {"grid": vw.grid_a2.pk}))
    assert page.count('class="volunteer-row"') == 1 and str(vw.vera) in page
    everyone = body(client.get("/volunteering/volunteers/"))
    assert everyone.count('class="volunteer-row"') == 2 and str(vw.val) not in everyone


def test_the_honour_list_ranks_this_months_hours(client, vw):
    claim(vw, task(vw), state=ClaimState.CONFIRMED, hours="2")
    claim(vw, task(vw), user=vw.vic, state=ClaimState.CONFIRMED, hours="5")
    page = body(login_as(client, vw.rita).get("/volunteering/honour/"))
    assert page.count('class="honour-row"') == 2
    assert page.index(str(vw.vic)) < page.index(str(vw.vera))


def test_staff_start_and_cancel_tasks_from_the_task_page(client, vw):
    t = task(vw)
    login_as(client, vw.alice)
    page = body(client.get(f"/volunteering/tasks/{t.pk}/"))
    assert 'id="task-start"' in page and 'id="task-cancel"' in page
    client.post(f"/volunteering/tasks/{t.pk}/act/cancel/", {"note": "下雨"})
    t.refresh_from_db()
    assert t.state == TaskState.CANCELLED


def test_the_task_history_reads_in_words(client, vw):
    t = task(vw, needed=1)
    claim(vw, t)
    page = body(login_as(client, vw.alice).get(f"/volunteering/tasks/{t.pk}/"))
    history = page[page.index('class="vol-events"'):]
    assert "Created" in history and "Published" in history and "All places taken" in history
    assert "· create" not in history and "· fill" not in history


def test_staff_find_drafts_and_full_tasks_on_the_manage_page(client, vw):
    """The open-tasks list drops a task once it is full or before it is published; the
    staff still find it here to publish, start or complete it."""
    draft = task(vw, publish=False, title="草稿任务")
    full = task(vw, needed=1, title="已满任务")
    claim(vw, full, state=ClaimState.REPORTED)
    done = task(vw, title="已完成任务")
    login_as(client, vw.alice).post(f"/volunteering/tasks/{done.pk}/act/complete/")
    page = body(client.get("/volunteering/tasks/manage/"))
    assert f'id="managed-{draft.pk}"' in page and f'id="managed-{full.pk}"' in page
    assert f'id="managed-{done.pk}"' not in page
    assert "1 claim to confirm" in page and "1 of 1 places taken" in page
    assert 'id="tab-task-manage"' in page
    drafts = body(client.get("/volunteering/tasks/manage/", {"show": "draft"}))
    assert f'id="managed-{draft.pk}"' in drafts and f'id="managed-{full.pk}"' not in drafts
    finished = body(client.get("/volunteering/tasks/manage/", {"show": "done"}))
    assert f'id="managed-{done.pk}"' in finished and f'id="managed-{draft.pk}"' not in finished
    bogus = body(client.get("/volunteering/tasks/manage/", {"show": "bogus"}))
    assert f'id="managed-{full.pk}"' in bogus and f'id="managed-{done.pk}"' not in bogus


def test_the_manage_page_is_staff_only_and_scoped(client, vw):
    t = task(vw, publish=False)
    assert login_as(client, vw.vic).get("/volunteering/tasks/manage/").status_code == 404
    assert login_as(client, vw.rita).get("/volunteering/tasks/manage/").status_code == 404
    other = body(login_as(client, vw.bob).get("/volunteering/tasks/manage/"))
    assert f'id="managed-{t.pk}"' not in other and "No task here." in other
