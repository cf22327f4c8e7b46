"""Writes of the public pages: "me too" once per resident on an open public case they may
read, and the community's publication setting by its admin or leader; every refusal
leaves nothing written; both audited; supporters hear when the case is handled."""

from typing import cast

import pytest

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.models import Case, Publication, Supporter
from linli.cases.notify import case_event_notify
from linli.cases.services import case_report, case_support, case_transition, publication_save
from linli.cases.tests.publictools import moved
from linli.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from linli.core.models import AuditEntry
from linli.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _written() -> tuple[int, int]:
    return Supporter.objects.count(), AuditEntry.objects.filter(
        action="case.supported").count()


def test_a_resident_supports_an_open_public_case_once_and_it_is_audited(pw):
    supporter = case_support(actor=pw.ruth, case=pw.public)
    assert (supporter.case_id, supporter.user_id) == (pw.public.pk, pw.ruth.pk)
    entry = AuditEntry.objects.get(action="case.supported")
    assert (entry.actor_id, entry.object_id, entry.changes) == (
        pw.ruth.pk, str(pw.public.pk), {"supporters": 1})
    with pytest.raises(Conflict) as refused:
        case_support(actor=pw.ruth, case=pw.public)
    assert refused.value.code == "already_supported"
    assert refused.value.message == "您已对该案件表示过“我也遇到”，每人只计一次。"
    assert _written() == (1, 1)


@pytest.mark.parametrize("steps", [("accept", "dispatch", "acknowledge", "resolve", "verify",
                                    "close"), ("reject",)])
def test_a_settled_case_takes_no_supporters(pw, steps):
    moved(pw.public, pw, *steps)
    with pytest.raises(ApplicationError) as refused:
        case_support(actor=pw.ruth, case=Case.objects.get(pk=pw.public.pk))
    assert refused.value.code == "transition_not_allowed"
    assert _written() == (0, 0)


def test_a_merged_case_takes_no_supporters(pw):
    duplicate = case_report(actor=pw.ruth, category=pw.leak, area=pw.building_a,
                            description="楼道漏水")
    case_transition(actor=pw.alice, case=duplicate, action="merge", master=pw.public)
    with pytest.raises(ApplicationError) as refused:
        case_support(actor=pw.rita, case=Case.objects.get(pk=duplicate.pk))
    assert refused.value.code == "transition_not_allowed"
    assert _written() == (0, 0)


def test_a_case_on_hold_may_be_supported(pw):
    case = moved(pw.public, pw, "accept", "hold")
    case_support(actor=pw.ruth, case=case)
    assert _written() == (1, 1)


@pytest.mark.parametrize("which", ["private", "hidden"])
def test_private_cases_look_like_no_case(pw, which):
    with pytest.raises(NotFound):
        case_support(actor=pw.ruth, case=getattr(pw, which))
    assert _written() == (0, 0)


def test_the_reporter_does_not_support_their_own_case(pw):
    with pytest.raises(ApplicationError) as refused:
        case_support(actor=pw.rita, case=pw.public)
    assert refused.value.code == "own_case"
    assert _written() == (0, 0)


def test_only_residents_of_the_community_support(pw):
    for outsider in (pw.bea, pw.alice, pw.nobody):  # B's resident, staff, no role
        with pytest.raises(PermissionDenied):
            case_support(actor=outsider, case=pw.public)
    assert _written() == (0, 0)


def test_nobody_supports_in_a_community_that_does_not_publish(pw):
    Publication.objects.all().delete()
    with pytest.raises(NotFound):
        case_support(actor=pw.ruth, case=pw.public)
    assert _written() == (0, 0)


def test_supporters_hear_when_the_case_is_handled_and_closed(pw):
    case_support(actor=pw.ruth, case=pw.public)
    case = moved(pw.public, pw, "accept", "dispatch", "acknowledge", "resolve")
    case_event_notify(case.events.get(action="resolve").pk)
    handled = Notification.objects.get(recipient=pw.ruth)
    assert handled.kind == "case.supported_resolved"
    assert "管道漏水 · 花楼第一网格 花楼小区 1栋" in handled.body
    assert "101" not in handled.title + handled.body  # the reporter's own title
    assert handled.link == f"/public/{pw.community_a.pk}/cases/{case.pk}/"
    case = moved(case, pw, "verify", "close")
    case_event_notify(case.events.get(action="close").pk)
    assert sorted(Notification.objects.filter(recipient=pw.ruth).values_list(
        "kind", flat=True)) == ["case.supported_closed", "case.supported_resolved"]
    # The reporter still hears as before, once.
    assert Notification.objects.filter(recipient=pw.rita, kind="case.rate").count() == 1


def test_the_admin_or_leader_sets_the_publication_and_it_is_audited(pw):
    saved = publication_save(actor=pw.leo, community=pw.community_b, is_published=True,
                             anonymous_allowed=False)
    assert (saved.is_published, saved.anonymous_allowed, saved.updated_by) == (
        True, False, pw.leo)
    publication_save(actor=pw.ada, community=pw.community_b, is_published=True,
                     anonymous_allowed=True)
    entries = list(AuditEntry.objects.filter(action="publication.updated").order_by("pk")
                   .values_list("actor__username", "changes"))
    assert entries == [
        ("leo", {"is_published": [None, "True"], "anonymous_allowed": [None, "False"]}),
        ("ada", {"anonymous_allowed": ["False", "True"]})]


def test_others_may_not_change_the_publication(pw):
    admin_b = cast(User, UserFactory(username="admin_b"))
    assign(admin_b, Role.ADMIN, pw.community_b)
    for actor in (pw.alice, pw.rita, pw.nobody, admin_b):
        with pytest.raises(PermissionDenied):
            publication_save(actor=actor, community=pw.community_a, is_published=False,
                             anonymous_allowed=False)
    assert Publication.objects.get(community=pw.community_a).is_published is True
    assert not AuditEntry.objects.filter(action="publication.updated").exists()


def test_visitors_need_the_cases_published(pw):
    with pytest.raises(ApplicationError) as refused:
        publication_save(actor=pw.leo, community=pw.community_a, is_published=False,
                         anonymous_allowed=True)
    assert refused.value.code == "anonymous_needs_published"
    assert Publication.objects.get(community=pw.community_a).anonymous_allowed is True
    with pytest.raises(ApplicationError):
        publication_save(actor=pw.leo, community=pw.grid_a1, is_published=True,
                         anonymous_allowed=True)
    assert Publication.objects.count() == 1
    assert not AuditEntry.objects.filter(action="publication.updated").exists()
