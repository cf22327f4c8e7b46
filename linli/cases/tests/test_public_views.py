"""The public case pages: who may open them (per the community's setting), what they show
and never show, the GeoJSON for the map, "me too" from the pages, and the settings page."""

import pytest

from linli.cases.models import Publication, Supporter
from linli.cases.services import case_support
from linli.cases.tests.publictools import moved, publish
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _list(w) -> str:
    return f"/public/{w.community_a.pk}/"


def _case(w, case=None) -> str:
    return f"/public/{w.community_a.pk}/cases/{(case or w.public).pk}/"


def _support(w, case=None) -> str:
    return _case(w, case) + "support/"


def test_an_anonymous_visitor_reads_the_list_and_a_case_when_allowed(client, pw):
    page = client.get(_list(pw))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="public-case-{pw.public.pk}"' in body
    assert "管道漏水 · 花楼第一网格 花楼小区 1栋" in body  # category and place, not the title
    for hidden in ("101室", "不公开的事", "家里的事", f"#{pw.private.pk}", f"#{pw.hidden.pk}"):
        assert hidden not in body, hidden
    case = client.get(_case(pw))
    assert case.status_code == 200
    text = case.content.decode()
    assert "1栋" in text
    for secret in ("101", "rita", "13800000001", "电话", "1单元", "门口"):
        assert secret not in text, secret
    assert "/accounts/login/" in text  # "log in to say me too"


def test_the_page_is_chinese_by_default(client, pw):
    assert "花楼社区" in client.get(_list(pw)).content.decode()
    assert "公开" in client.get(_list(pw)).content.decode()


def test_anonymous_visitors_are_asked_to_log_in_where_only_residents_may_read(client, pw):
    publish(pw.community_a, anonymous=False)
    for url in (_list(pw), _case(pw)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get(_list(pw) + "cases.geojson").status_code == 404
    client.force_login(pw.rita)
    assert client.get(_list(pw)).status_code == 200
    assert client.get(_case(pw)).status_code == 200


def test_an_unpublished_community_is_404_for_everyone(client, pw):
    Publication.objects.all().delete()
    assert client.get(_list(pw)).status_code == 404
    for user in (pw.rita, pw.alice, pw.bea):
        client.force_login(user)
        assert client.get(_list(pw)).status_code == 404
        assert client.get(_case(pw)).status_code == 404


def test_a_resident_of_another_community_reads_only_what_visitors_may(client, pw):
    publish(pw.community_a, anonymous=False)
    client.force_login(pw.bea)
    assert client.get(_list(pw)).status_code == 404
    assert client.get(_case(pw)).status_code == 404


def test_private_cases_and_other_communities_cases_are_404(client, pw):
    publish(pw.community_b)
    client.force_login(pw.rita)
    for case in (pw.private, pw.hidden):
        assert client.get(_case(pw, case)).status_code == 404
    # A's case under B's address
    assert client.get(f"/public/{pw.community_b.pk}/cases/{pw.public.pk}/").status_code == 404
    assert client.get(f"/public/{pw.grid_a1.pk}/").status_code == 404  # not a community


def test_filters_and_bad_filters(client, pw):
    moved(pw.public, pw, "accept")
    row = f'id="public-case-{pw.public.pk}"'
    assert row in client.get(_list(pw) + "?state=accepted").content.decode()
    assert row not in client.get(_list(pw) + "?state=closed").content.decode()
    assert row in client.get(_list(pw) + "?state=open&category=L1").content.decode()
    # Nonsense is ignored, not an error page.
    response = client.get(_list(pw) + "?state=%3Cscript%3E&category=nope&page=x")
    assert response.status_code == 200
    assert row in response.content.decode()


def test_the_geojson_lists_the_public_points(client, pw):
    data = client.get(_list(pw) + "cases.geojson").json()
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [114.29, 30.58]}
    assert feature["properties"] == {
        "id": pw.public.pk, "title": "管道漏水 · 花楼第一网格 花楼小区 1栋", "light": "green",
        "state": "已上报",
        "url": _case(pw)}
    assert client.get(_list(pw) + "cases.geojson?state=closed").json()["features"] == []


def test_a_resident_says_me_too_and_the_count_rises(client, pw):
    client.force_login(pw.ruth)
    page = client.get(_case(pw)).content.decode()
    assert 'id="support-button-' in page
    response = client.post(_support(pw), {"next": _list(pw)})
    assert response.status_code == 302 and response["Location"] == _list(pw)
    assert Supporter.objects.filter(case=pw.public, user=pw.ruth).count() == 1
    page = client.get(_case(pw)).content.decode()
    assert 'data-count="1"' in page and 'id="support-button-' not in page


def test_a_second_me_too_is_refused_and_changes_nothing(client, pw):
    case_support(actor=pw.ruth, case=pw.public)
    client.force_login(pw.ruth)
    response = client.post(_support(pw))
    assert response.status_code == 409
    assert 'data-code="already_supported"' in response.content.decode()
    assert Supporter.objects.count() == 1
    assert AuditEntry.objects.filter(action="case.supported").count() == 1


def test_me_too_with_htmx_swaps_the_box(client, pw):
    client.force_login(pw.ruth)
    response = client.post(_support(pw), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div class="support-box"') and 'data-count="1"' in body
    again = client.post(_support(pw), headers=HTMX).content.decode()
    assert 'data-code="already_supported"' in again and 'data-count="1"' in again


@pytest.mark.parametrize("who", ["bea", "alice", "nobody"])
def test_me_too_by_someone_who_is_no_resident_there_is_refused(client, pw, who):
    client.force_login(getattr(pw, who))
    response = client.post(_support(pw))
    assert response.status_code == 403
    assert Supporter.objects.count() == 0


def test_me_too_for_a_closed_or_private_case_is_refused(client, pw):
    client.force_login(pw.ruth)
    assert client.post(_support(pw, pw.private)).status_code == 404
    moved(pw.public, pw, "reject")
    response = client.post(_support(pw))
    assert response.status_code == 400
    assert 'data-code="transition_not_allowed"' in response.content.decode()
    assert Supporter.objects.count() == 0


def test_me_too_needs_a_login_and_a_post(client, pw):
    response = client.post(_support(pw))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(pw.ruth)
    assert client.get(_support(pw)).status_code == 405
    assert Supporter.objects.count() == 0


def test_the_report_forms_duplicates_panel_offers_me_too(client, pw):
    client.force_login(pw.ruth)
    panel = client.get("/cases/new/duplicates/", {"category": pw.leak.code,
                                                  "area": pw.dwelling_a2.pk}).content.decode()
    assert f'hx-post="{_support(pw)}?inline=1"' in panel
    assert 'hx-params="none"' in panel and "<form" not in panel  # inside the report form
    response = client.post(_support(pw) + "?inline=1", headers=HTMX)
    assert 'data-count="1"' in response.content.decode()
    assert "<form" not in response.content.decode()


def test_the_panel_offers_no_me_too_where_the_community_does_not_publish(client, pw):
    Publication.objects.all().delete()
    client.force_login(pw.ruth)
    panel = client.get("/cases/new/duplicates/", {"category": pw.leak.code,
                                                  "area": pw.dwelling_a2.pk}).content.decode()
    assert "support" not in panel and "楼道" not in panel.split("<ul>")[0]


def test_links_from_the_home_page_and_the_login_page(client, pw):
    assert "/public/" in client.get("/accounts/login/").content.decode()
    client.force_login(pw.rita)
    assert f'href="{_list(pw)}"' in client.get("/").content.decode()


def test_the_index_lists_what_the_visitor_may_read(client, pw):
    publish(pw.community_b, anonymous=False)
    assert client.get("/public/")["Location"] == _list(pw)  # only one: straight there
    client.force_login(pw.bea)
    body = client.get("/public/").content.decode()
    assert "花楼社区" in body and "水塔社区" in body


# --- the settings page ------------------------------------------------------------------

def test_the_leader_changes_the_setting_and_it_is_audited(client, pw):
    client.force_login(pw.leo)
    page = client.get("/public/settings/")
    assert page.status_code == 200
    assert "花楼社区" in page.content.decode() and "水塔社区" in page.content.decode()
    response = client.post(f"/public/settings/{pw.community_a.pk}/", {"is_published": "on"})
    assert response.status_code == 302
    publication = Publication.objects.get(community=pw.community_a)
    assert (publication.is_published, publication.anonymous_allowed) == (True, False)
    assert AuditEntry.objects.filter(action="publication.updated").count() == 1


def test_a_bad_setting_is_refused_in_place_and_changes_nothing(client, pw):
    client.force_login(pw.ada)
    response = client.post(f"/public/settings/{pw.community_a.pk}/",
                           {"anonymous_allowed": "on"})
    assert response.status_code == 400
    assert 'data-code="anonymous_needs_published"' in response.content.decode()
    publication = Publication.objects.get(community=pw.community_a)
    assert (publication.is_published, publication.anonymous_allowed) == (True, True)
    assert not AuditEntry.objects.filter(action="publication.updated").exists()


@pytest.mark.parametrize("who", ["alice", "rita", "uma", "gina", "nobody"])
def test_the_settings_are_not_a_page_for_others(client, pw, who):
    client.force_login(getattr(pw, who))
    assert client.get("/public/settings/").status_code == 404
    assert client.post(f"/public/settings/{pw.community_a.pk}/", {}).status_code == 404
    assert Publication.objects.get(community=pw.community_a).is_published is True


def test_the_settings_need_a_login(client, pw):
    response = client.get("/public/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"/public/settings/{pw.community_a.pk}/", {})
    assert response.status_code == 302
    assert Publication.objects.get(community=pw.community_a).is_published is True


def test_staff_see_how_many_residents_support_a_case(client, pw):
    client.force_login(pw.alice)
    assert 'id="case-supporters"' not in client.get(f"/cases/{pw.public.pk}/").content.decode()
    case_support(actor=pw.ruth, case=pw.public)
    page = client.get(f"/cases/{pw.public.pk}/").content.decode()
    assert 'id="case-supporters">1 位居民也遇到了这个问题' in page
    assert "ruth" not in page and "鲁思" not in page


def test_the_list_draws_the_map_with_the_filtered_cases_and_the_communitys_shapes(client, pw):
    page = client.get(_list(pw) + "?state=open").content.decode()
    assert f'data-cases-url="{_list(pw)}cases.geojson?state=open"' in page
    assert 'data-cluster="1"' in page and 'id="public-map-canvas"' in page


def test_the_leaders_home_links_to_the_settings_and_the_residents_does_not(client, pw):
    client.force_login(pw.leo)
    assert 'href="/public/settings/"' in client.get("/").content.decode()
    client.force_login(pw.rita)
    assert 'href="/public/settings/"' not in client.get("/").content.decode()
