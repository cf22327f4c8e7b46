"""What the public reads of a community's cases: only public cases of public categories,
never the reporter, their home or the free-text address, never internal notes."""

import pytest

from linli.cases.models import Case, Publication, State
from linli.cases.selectors import publication as pub
from linli.cases.tests.publictools import moved, publish

pytestmark = pytest.mark.django_db


def _ids(qs) -> list[int]:
    return [c.pk for c in qs]


def test_the_list_holds_public_cases_of_public_categories_only(pw):
    listed = pub.public_case_list(community=pw.community_a)
    assert _ids(listed) == [pw.public.pk]


def test_merged_and_rejected_cases_are_not_listed_newest_first(pw):
    from linli.cases.services import case_report

    newer = case_report(actor=pw.ruth, category=pw.leak, area=pw.building_a,
                        description="楼道灯不亮")
    rejected = moved(case_report(actor=pw.ruth, category=pw.leak, area=pw.building_a,
                                 description="重复"), pw, "reject")
    assert rejected.state == State.REJECTED
    assert _ids(pub.public_case_list(community=pw.community_a)) == [newer.pk, pw.public.pk]


def test_the_list_filters_by_state_and_category(pw):
    moved(pw.public, pw, "accept")
    only = pub.public_case_list(community=pw.community_a,
                                filters=pub.PublicFilters(state=State.ACCEPTED))
    assert _ids(only) == [pw.public.pk]
    assert _ids(pub.public_case_list(community=pw.community_a,
                                     filters=pub.PublicFilters(state=State.CLOSED))) == []
    by_group = pub.public_case_list(community=pw.community_a,
                                    filters=pub.PublicFilters(category="L1"))
    assert _ids(by_group) == [pw.public.pk]
    assert _ids(pub.public_case_list(community=pw.community_a,
                                     filters=pub.PublicFilters(category="99999"))) == []


def test_other_communities_cases_are_not_in_the_list(pw):
    assert _ids(pub.public_case_list(community=pw.community_b)) == []


def test_the_public_view_shows_the_building_never_the_home_or_the_reporter(pw):
    case = pub.public_case_get(actor=None, case_id=pw.public.pk)
    view = pub.public_view(case, pub.area_chains([case])[case.pk])
    assert view.place == "花楼第一网格 花楼小区 1栋"
    text = " ".join([view.place, view.title, *(s.text for s in view.steps)])
    for secret in ("101", "1单元", "rita", "13800000001", "1栋1单元101室", "门口"):
        assert secret not in text, secret
    assert "rita" not in view.title and "101" not in view.title
    assert view.title == "管道漏水 · 花楼第一网格 花楼小区 1栋"
    # A pin at someone's home is drawn at the building's centre.
    assert (view.lat, view.lng) == (pw.building_a.lat, pw.building_a.lng)


def test_the_public_timeline_has_no_internal_steps_or_people(pw):
    case = moved(pw.public, pw, "accept", "hold")
    view = pub.public_view(case, pub.area_chains([case])[case.pk])
    assert [s.action for s in view.steps] == ["report", "accept"]
    texts = " ".join(s.text for s in view.steps)
    assert "内部" not in texts
    assert "alice" not in texts and "rita" not in texts


def test_the_timeline_names_the_unit_and_the_public_note(pw):
    case = moved(pw.public, pw, "accept", "dispatch", "acknowledge", "resolve")
    view = pub.public_view(case, pub.area_chains([case])[case.pk])
    texts = [s.text for s in view.steps]
    assert [s.action for s in view.steps] == ["report", "accept", "dispatch", "acknowledge",
                                              "resolve"]
    assert any("花楼物业" in t for t in texts)
    assert any("已修复，更换了水管" in t for t in texts)
    assert not any("uma" in t for t in texts)


def test_private_and_hidden_category_cases_are_404(pw):
    from django.http import Http404

    for case in (pw.private, pw.hidden):
        with pytest.raises(Http404):
            pub.public_case_get(actor=pw.rita, case_id=case.pk)


def test_who_may_read_follows_the_publication(pw):
    assert pub.can_read(None, pw.community_a) is True
    publish(pw.community_a, anonymous=False)
    assert pub.can_read(None, pw.community_a) is False
    assert pub.can_read(pw.rita, pw.community_a) is True
    assert pub.can_read(pw.alice, pw.community_a) is True   # works there
    assert pub.can_read(pw.bea, pw.community_a) is False    # lives in B
    Publication.objects.filter(community=pw.community_a).update(is_published=False,
                                                                 anonymous_allowed=False)
    assert pub.can_read(pw.rita, pw.community_a) is False
    assert pub.can_read(pw.rita, pw.community_b) is False   # B publishes nothing


def test_supporters_are_counted(pw):
    from linli.cases.services import case_support

    case_support(actor=pw.ruth, case=pw.public)
    listed = pub.public_case_list(community=pw.community_a).get()
    assert listed.supporter_count == 1  # type: ignore[attr-defined]
    assert pub.supporter_count(pw.public) == 1
    assert pub.supported_ids(pw.ruth, [pw.public.pk]) == {pw.public.pk}
    assert pub.supported_ids(pw.rita, [pw.public.pk]) == set()


def test_map_cases_are_rounded_points(pw):
    views = pub.map_cases(community=pw.community_a)
    assert [v.case.pk for v in views] == [pw.public.pk]
    assert pub.rounded(views[0].lat) == 30.58
    assert Case.objects.count() == 3
