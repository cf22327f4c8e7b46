"""The registry pages through the test client: who may open what (404 for everyone outside),
masked values everywhere, reveal with a purpose as a short-lived fragment, and the forms."""

from datetime import timedelta

import pytest
from django.utils import timezone

from linli.cases.tests.factories import category
from linli.people.models import AccessLog, CarePlan, Consent, Resident, ResidentTag, Visit
from linli.people.tests.conftest import KANG_ID, ROSA_ID, ROSA_PHONE
from linli.people.tests.factories import cared_for, id_number, tag
from linli.people.tests.pages import access_rows, as_user, html, jpeg, registry_state

pytestmark = pytest.mark.django_db
PURPOSE = "核实低保申请材料"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pages(people) -> list[str]:
    r = people.rosa.pk
    return ["/people/", f"/people/residents/{r}/", f"/people/residents/{r}/edit/",
            f"/people/households/{people.rosa.household_id}/", "/people/residents/new/",
            f"/people/residents/{r}/plan/", f"/people/residents/{r}/visits/new/",
            f"/people/residents/{r}/masked/phone/", "/people/care/",
            "/people/care/completion/", "/people/access-log/"]


def test_anonymous_is_sent_to_login(client, people):
    for url in [*_pages(people), "/people/me/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["uma", "vic", "mia", "nobody"])
def test_no_registry_for_unit_members_volunteers_mediators(client, people, who):
    as_user(client, getattr(people, who))
    for url in _pages(people):
        assert client.get(url).status_code == 404, url
    assert client.get("/people/me/").status_code == 200  # says there is no record


def test_other_community_and_other_grid_get_404(client, people):
    as_user(client, people.bob)
    for url in _pages(people)[1:4]:
        assert client.get(url).status_code == 404, url
    as_user(client, people.gary)
    assert client.get(f"/people/residents/{people.rosa.pk}/").status_code == 404
    assert client.get(f"/people/residents/{people.kang.pk}/").status_code == 200


def test_grid_worker_sees_only_their_grid(client, people):
    page = html(as_user(client, people.gina).get("/people/"))
    assert "王秀英" in page and "李强" not in page and "赵博" not in page
    page = html(as_user(client, people.alice).get("/people/"))
    assert "王秀英" in page and "李强" in page and "赵博" not in page
    page = html(as_user(client, people.leo).get("/people/"))
    assert "赵博" in page


def test_search_by_exact_id_number_or_phone(client, people):
    as_user(client, people.alice)
    page = html(client.post("/people/", {"q": KANG_ID}))
    assert "李强" in page and "王秀英" not in page and KANG_ID not in page
    page = html(client.post("/people/", {"q": "136 1234 8888"}))
    assert "王秀英" in page and "李强" not in page
    assert "李强" in html(client.get("/people/", {"q": "李"}))
    assert "李强" not in html(client.post("/people/", {"q": KANG_ID[:10]}))


def test_resident_goes_to_their_own_page(client, people):
    as_user(client, people.rita)
    assert client.get("/people/")["Location"] == "/people/me/"
    assert client.get(f"/people/residents/{people.rosa.pk}/")["Location"] == "/people/me/"
    assert client.get(f"/people/residents/{people.kang.pk}/").status_code == 404
    assert client.get(f"/people/households/{people.rosa.household_id}/").status_code == 404
    response = client.get("/people/me/")
    page = html(response)
    assert ROSA_ID in page and ROSA_PHONE in page and "1950-03-08" in page
    assert "no-store" in response["Cache-Control"]
    assert access_rows() == [("rita", "record", "self")]


def test_detail_is_masked(client, people):
    response = as_user(client, people.gina).get(f"/people/residents/{people.rosa.pk}/")
    page = html(response)
    assert ROSA_ID not in page and ROSA_PHONE not in page and "1950-03-08" not in page
    assert "4201**********" + ROSA_ID[-4:] in page and "136****8888" in page
    assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.count() == 0


def test_reveal_fragment_is_short_lived_and_audited(client, people):
    as_user(client, people.gina)
    response = client.post(f"/people/residents/{people.rosa.pk}/reveal/id_number/",
                           {"purpose": PURPOSE}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = html(response)
    assert ROSA_ID in page
    assert 'hx-trigger="load delay:60s"' in page
    assert f'hx-get="/people/residents/{people.rosa.pk}/masked/id_number/"' in page
    assert "no-store" in response["Cache-Control"]
    assert access_rows() == [("gina", "id_number", "revealed")]
    masked = html(client.get(f"/people/residents/{people.rosa.pk}/masked/id_number/"))
    assert ROSA_ID not in masked and "4201**********" in masked
    assert access_rows() == [("gina", "id_number", "revealed")]


def test_reveal_without_javascript_returns_to_the_page(client, people):
    as_user(client, people.alice)
    response = client.post(f"/people/residents/{people.rosa.pk}/reveal/phone/",
                           {"purpose": PURPOSE})
    page = html(response)
    assert ROSA_PHONE in page
    assert f'content="60;url=/people/residents/{people.rosa.pk}/"' in page


def test_reveal_without_purpose_is_refused_and_logged(client, people):
    response = as_user(client, people.gina).post(
        f"/people/residents/{people.rosa.pk}/reveal/phone/", {"purpose": ""},
        headers={"HX-Request": "true"})
    assert response.status_code == 400
    page = html(response)
    assert ROSA_PHONE not in page and "136****8888" in page
    assert "State why you need to see it, in words (2 to 200 characters)." in page
    assert access_rows() == [("gina", "phone", "refused")]


@pytest.mark.parametrize("who", ["bob", "gary", "uma", "mia", "rita"])
def test_reveal_by_others_is_refused_and_logged(client, people, who):
    response = as_user(client, getattr(people, who)).post(
        f"/people/residents/{people.rosa.pk}/reveal/id_number/", {"purpose": PURPOSE})
    assert response.status_code == (403 if who == "rita" else 404)
    assert ROSA_ID not in html(response)
    assert access_rows() == [(who, "id_number", "refused")]


def test_register_a_resident(client, people):
    as_user(client, people.gina)
    assert client.get("/people/residents/new/").status_code == 200
    number = id_number(born=timezone.localdate().replace(year=2015, day=1), serial=42)
    response = client.post("/people/residents/new/", {
        "dwelling": people.dwelling_a.pk, "name": "王小宝", "id_number": number,
        "phone": "", "relation": "grandchild", "tenure": "owner"})
    baby = Resident.objects.get(name="王小宝")
    assert response["Location"] == f"/people/residents/{baby.pk}/"
    assert baby.household_id == people.rosa.household_id and baby.gender == "female"


def test_register_refusals_keep_the_input_and_change_nothing(client, people):
    before = registry_state()
    as_user(client, people.alice)
    response = client.post("/people/residents/new/", {
        "dwelling": people.dwelling_a.pk, "name": "重复", "id_number": KANG_ID,
        "relation": "head", "tenure": "owner"})
    assert response.status_code == 409
    assert "already registered" in html(response) and KANG_ID not in html(response)
    response = client.post("/people/residents/new/", {
        "dwelling": people.dwelling_b.pk, "name": "越界", "relation": "head",
        "tenure": "owner"})
    assert response.status_code == 403
    as_user(client, people.leo)
    assert client.post("/people/residents/new/", {"dwelling": people.dwelling_a.pk,
                                                  "name": "领导", "relation": "head",
                                                  "tenure": "owner"}).status_code == 404
    assert registry_state() == before


def test_edit_keeps_blank_numbers_and_refuses_leaders(client, people):
    url = f"/people/residents/{people.rosa.pk}/edit/"
    as_user(client, people.gina)
    form = html(client.get(url))
    assert ROSA_ID not in form and "1950-03-08" not in form
    response = client.post(url, {"name": "王秀英", "relation": "head", "tenure": "tenant",
                                 "id_number": "", "phone": ""})
    assert response.status_code == 302
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert rosa.tenure == "tenant" and rosa.id_number.reveal_unaudited() == ROSA_ID
    assert str(rosa.birth_date) == "1950-03-08"
    before = registry_state()
    as_user(client, people.leo)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名", "relation": "head",
                             "tenure": "owner"}).status_code == 403
    as_user(client, people.bob)
    assert client.post(url, {"name": "改名", "relation": "head",
                             "tenure": "owner"}).status_code == 404
    assert registry_state() == before


def test_move_out_from_the_page(client, people):
    as_user(client, people.alice)
    response = client.post(f"/people/residents/{people.kang.pk}/move-out/", {})
    assert response.status_code == 302
    assert Resident.objects.get(pk=people.kang.pk).moved_out == timezone.localdate()
    response = client.post(f"/people/residents/{people.kang.pk}/move-out/", {})
    assert response.status_code == 409


def test_care_from_the_pages(client, people):
    as_user(client, people.alice)
    base = f"/people/residents/{people.rosa.pk}"
    assert client.post(f"{base}/tags/", {"tag": tag("subsistence").pk}).status_code == 400
    client.post(f"{base}/consents/", {"basis": "legal_duty", "reference": "民政"})
    client.post(f"{base}/tags/", {"tag": tag("subsistence").pk, "note": "2026年复核"})
    page = html(client.get(f"{base}/"))
    assert "低保" not in page.split('id="tags-box"')[0]  # masked in the facts
    response = client.post(f"{base}/plan/", {"grid_worker": people.gina.pk,
                                              "visit_every_days": 10,
                                              "emergency_contact": "女儿 13800001111",
                                              "needs": "送餐"})
    assert response.status_code == 302
    plan = CarePlan.objects.get()
    assert plan.visit_every_days == 10 and plan.grid_worker == people.gina
    response = client.post(f"{base}/plan/", {"grid_worker": people.gary.pk})
    assert response.status_code == 400  # gary is not offered: a form error, nothing saved
    assert CarePlan.objects.get().grid_worker == people.gina
    page = html(client.get(f"{base}/"))
    assert "13800001111" not in page and "送餐" not in page and "2026年复核" not in page
    row = ResidentTag.objects.get()
    assert client.post(f"{base}/tags/{row.pk}/remove/").status_code == 302
    assert ResidentTag.objects.count() == 0
    consent = Consent.objects.get()
    assert client.post(f"/people/consents/{consent.pk}/withdraw/").status_code == 302
    assert CarePlan.objects.count() == 0


def test_visit_with_photo_and_case(client, people):
    cared_for(people.alice, people.rosa, people.gina)
    leak = category()
    as_user(client, people.gina)
    url = f"/people/residents/{people.rosa.pk}/visits/new/"
    response = client.post(url, {
        "visited_on": timezone.localdate().isoformat(), "kind": "home",
        "findings": "腿脚不便", "raise_case": "on", "case_category": leak.code,
        "case_description": "楼道灯坏了", "photos": [jpeg()]})
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.case is not None and visit.photos.count() == 1
    photo = visit.photos.get()
    assert client.get(f"/people/visit-photos/{photo.pk}/").status_code == 200
    thumb = client.get(f"/people/visit-photos/{photo.pk}/thumb/")
    assert thumb.status_code == 200 and "no-store" in thumb["Cache-Control"]
    page = html(client.get(f"/people/residents/{people.rosa.pk}/"))
    assert "腿脚不便" not in page and f"#{visit.case_id}" in page
    for who in ("bob", "gary", "uma", "rita"):
        as_user(client, getattr(people, who))
        assert client.get(f"/people/visit-photos/{photo.pk}/").status_code == 404
    as_user(client, people.bob)
    before = registry_state()
    assert client.post(url, {"visited_on": timezone.localdate().isoformat(),
                             "kind": "phone"}).status_code == 404
    assert registry_state() == before


def test_care_list_completion_and_access_log(client, people):
    cared_for(people.alice, people.rosa, people.gina,
              next_visit_due=timezone.localdate().replace(day=1) - timedelta(days=1))
    as_user(client, people.gina)
    page = html(client.get("/people/care/"))
    assert 'id="my-overdue"' in page and "王秀英" in page and "overdue" in page
    page = html(client.get("/people/care/completion/"))
    assert "花楼第一网格" in page and "花楼第二网格" not in page
    assert client.get("/people/access-log/").status_code == 404
    assert "/people/access-log/" not in html(client.get("/people/"))
    as_user(client, people.alice)
    client.post(f"/people/residents/{people.rosa.pk}/reveal/phone/", {"purpose": PURPOSE})
    assert 'href="/people/access-log/"' in html(client.get("/people/"))
    assert PURPOSE in html(client.get("/people/access-log/"))
    as_user(client, people.bob)
    assert PURPOSE not in html(client.get("/people/access-log/"))
    as_user(client, people.leo)
    page = html(client.get("/people/access-log/", {"actor": "alice", "resident": "王秀英"}))
    assert PURPOSE in page and ROSA_PHONE not in page
    assert "王秀英" in page
    assert PURPOSE not in html(client.get("/people/access-log/", {"actor": "gina"}))
    as_user(client, people.ada)
    assert PURPOSE in html(client.get("/people/access-log/"))


def test_nav_link_by_role(client, people):
    assert 'id="nav-people"' in html(as_user(client, people.gina).get("/people/care/"))
    assert 'href="/people/me/" id="nav-people"' in html(as_user(client, people.rita).get(
        "/people/me/"))
    assert 'id="nav-people"' not in html(as_user(client, people.uma).get("/people/me/"))


def test_lookup_by_id_number_respects_scope(people):
    from linli.people.selectors import resident_by_id_number

    assert resident_by_id_number(actor=people.gina, id_number=ROSA_ID.lower()) == people.rosa
    assert resident_by_id_number(actor=people.rita, id_number=ROSA_ID) == people.rosa
    assert resident_by_id_number(actor=people.bob, id_number=ROSA_ID) is None
    assert resident_by_id_number(actor=people.gina, id_number=KANG_ID) is None
    assert resident_by_id_number(actor=people.uma, id_number=ROSA_ID) is None


def test_link_a_login_from_the_page(client, people):
    from linli.accounts.models import Role
    from linli.accounts.tests.factories import UserFactory, assign

    kim = UserFactory.create(username="kim")
    assign(kim, Role.RESIDENT, people.dwelling_a2)
    as_user(client, people.gary)
    url = f"/people/residents/{people.kang.pk}/link-user/"
    assert client.post(url, {"username": "KIM"}).status_code == 302
    assert Resident.objects.get(pk=people.kang.pk).user == kim
    assert client.post(url, {"username": "rita"}).status_code == 400  # not of this dwelling
    assert client.post(url, {"username": "nosuch"}).status_code == 400
    assert client.post(url, {"username": ""}).status_code == 302
    assert Resident.objects.get(pk=people.kang.pk).user is None
    as_user(client, people.gina)
    assert client.post(url, {"username": "kim"}).status_code == 404


def test_date_pickers_show_the_stored_date_in_chinese_too(client, people):
    """A date input takes only 2026-01-15: the Chinese locale's 2026/01/15 left it empty."""
    cared_for(people.alice, people.rosa, people.gina, next_visit_due=timezone.localdate())
    as_user(client, people.gina)
    client.cookies["linli_language"] = "zh-hans"
    today = timezone.localdate().isoformat()
    page = html(client.get(f"/people/residents/{people.rosa.pk}/visits/new/"))
    assert f'name="visited_on" value="{today}"' in page
    page = html(client.get(f"/people/residents/{people.rosa.pk}/plan/"))
    assert f'name="next_visit_due" value="{today}"' in page


def test_access_history_names_what_was_seen_in_words(client, people):
    as_user(client, people.gina)
    client.post(f"/people/residents/{people.rosa.pk}/reveal/phone/", {"purpose": PURPOSE})
    as_user(client, people.alice)
    client.post("/people/export/", {"area": people.grid_a1.pk})
    client.post("/people/export/", {"area": people.grid_a1.pk, "unmasked": "on",
                                    "purpose": PURPOSE})
    page = html(client.get("/people/access-log/"))
    for words in ("Phone", "Masked export of 1 resident", "Full export of 1 resident",
                  "Full spreadsheet export"):
        assert f"<td>{words}</td>" in page, words
    assert "export:" not in page and "<code>" not in page
    mine = html(as_user(client, people.rita).get("/people/me/"))
    assert "· Phone ·" in mine and "· Full spreadsheet export ·" in mine
    assert "<code>" not in mine
    # The resident's page links to their access history for those who read the log.
    detail = f"/people/residents/{people.rosa.pk}/"
    assert f"/people/access-log/?resident={people.rosa.pk}" in html(
        as_user(client, people.alice).get(detail))
    assert "/people/access-log/" not in html(as_user(client, people.gina).get(detail))


def test_revealing_an_unknown_field_on_a_page_is_refused_and_logged(client, people):
    as_user(client, people.gina)
    response = client.post(f"/people/residents/{people.rosa.pk}/reveal/birth_date/",
                           {"purpose": PURPOSE})
    assert response.status_code == 404
    assert access_rows() == [("gina", "birth_date", "refused")]


def test_home_panel_counts_overdue_visits(people):
    from django.template.loader import render_to_string

    cared_for(people.alice, people.rosa, people.gina,
              next_visit_due=timezone.localdate() - timedelta(days=3))
    cared_for(people.alice, people.kang, people.gary, next_visit_due=timezone.localdate())
    page = render_to_string("people/_home.html", {"user": people.gina})
    assert 'href="/people/care/#my-overdue" id="tile-my-overdue-visits"' in page
    assert '<span class="people-tile-count overdue">1</span>' in page
    assert 'id="tile-my-overdue-visits"' in render_to_string("people/_home.html",
                                                             {"user": people.gary})
    assert '<span class="people-tile-count">0</span>' in render_to_string(
        "people/_home.html", {"user": people.gary})
    page = render_to_string("people/_home.html", {"user": people.alice})
    assert 'href="/people/care/?overdue=1" id="tile-overdue-visits"' in page
    assert '<span class="people-tile-count overdue">1</span>' in page
    assert '<span class="people-tile-count">0</span>' in render_to_string(
        "people/_home.html", {"user": people.bob})  # his community has none
    for who in ("rita", "uma", "vic", "mia"):
        assert render_to_string("people/_home.html", {"user": getattr(people, who)}).strip() \
            == "", who
