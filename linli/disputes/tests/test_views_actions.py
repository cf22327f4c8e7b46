"""The forms on the dispute page through the Django test client: every move's button, the
grade override, sessions, the agreement with its performance check and 司法确认, and the
audited reveal. Each refusal answers with its status and reason on the page (anonymous →
login, another community → 404, a role that may not → 403, bad input → 400) and changes
nothing."""

from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from linli.accounts.models import Role, User
from linli.accounts.tests.factories import UserFactory, assign
from linli.cases.tests.viewtools import body, login_as
from linli.core.models import AuditEntry
from linli.disputes import services
from linli.disputes.models import Agreement, Dispute, Event, Grade, Session, State
from linli.disputes.tests.factories import dispute, mediator

pytestmark = pytest.mark.django_db


def snapshot(d: Dispute) -> dict:
    """What a refused form must leave as it was."""
    return {"row": Dispute.objects.filter(pk=d.pk).values().get(),
            "events": list(Event.objects.filter(dispute=d).values_list("id", flat=True)),
            "sessions": Session.objects.filter(dispute=d).count(),
            "agreements": Agreement.objects.filter(dispute=d).count(),
            "audit": AuditEntry.objects.count()}


def error_of(response) -> str:
    import html
    import re
    found = re.search(r'id="dispute-error"[^>]*>\s*<p>(.*?)</p>', body(response), re.S)
    return html.unescape(found.group(1)) if found else ""


def _accepted(world, **kw) -> Dispute:
    d = dispute(world, **kw)
    services.dispute_transition(actor=world.alice, dispute=d, action="accept")
    d.refresh_from_db()
    return d


def _mediating(world) -> Dispute:
    d = _accepted(world)
    services.session_add(actor=world.alice, dispute=d, held_on=timezone.localdate(),
                         mediator_id=world.alice.pk, attendees="双方", record="初次调解")
    d.refresh_from_db()
    return d


def _agreement_form(**overrides) -> dict:
    today = timezone.localdate()
    return {"facts": "楼上漏水", "responsibilities": "楼上负责", "terms": "赔偿500元",
            "performance_manner": "现金", "signed_on": today.isoformat(),
            "performance_deadline": (today + timedelta(days=10)).isoformat()} | overrides


POSTS = ["act/accept/", "regrade/", "sessions/", "agreement/", "agreement/performance/",
         "agreement/judicial/", "reveal/"]


@pytest.mark.parametrize("url", POSTS)
def test_anonymous_post_changes_nothing(client, world, url):
    d = dispute(world)
    before = snapshot(d)
    client.cookies.clear()
    response = client.post(f"/disputes/{d.pk}/{url}", {"version": 1})
    assert response.status_code in (302, 403)
    assert snapshot(d) == before


@pytest.mark.parametrize("url", POSTS)
def test_another_community_gets_404(client, world, url):
    d = dispute(world)
    before = snapshot(d)
    login_as(client, world.bob)
    assert client.post(f"/disputes/{d.pk}/{url}", {"version": 1}).status_code == 404
    assert snapshot(d) == before


def test_unknown_move_is_404(client, world):
    d = dispute(world)
    login_as(client, world.alice)
    for action in ("nonsense", "escalate", "regrade"):
        assert client.post(f"/disputes/{d.pk}/act/{action}/").status_code == 404


def test_buttons_come_from_actions_for(client, world):
    d = dispute(world)
    login_as(client, world.alice)
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert 'id="action-accept"' in page and 'id="regrade-form"' in page
    assert 'id="action-close"' not in page
    login_as(client, world.gina)  # a grid worker does not accept
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert 'id="action-accept"' not in page and 'id="regrade-form"' not in page


def test_accept_by_a_grid_worker_is_403(client, world):
    d = dispute(world)
    before = snapshot(d)
    login_as(client, world.gina)
    response = client.post(f"/disputes/{d.pk}/act/accept/", {"version": d.version})
    assert response.status_code == 403 and error_of(response)
    assert snapshot(d) == before


def test_accept_green_gives_it_to_the_grid_worker(client, world):
    d = dispute(world)
    login_as(client, world.alice)
    response = client.post(f"/disputes/{d.pk}/act/accept/", {"version": d.version})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == State.ACCEPTED and d.owner == world.gina and d.mediate_due_at
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert 'id="dispute-light"' in page and 'id="dispute-due"' in page


def test_accept_yellow_without_an_owner_is_400_and_then_with_one(client, world):
    mia = mediator(world)
    d = dispute(world, people_involved=8)
    before = snapshot(d)
    login_as(client, world.alice)
    response = client.post(f"/disputes/{d.pk}/act/accept/", {"version": d.version})
    assert response.status_code == 400 and "Name the mediator" in error_of(response)
    assert snapshot(d) == before
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert f'value="{mia.pk}"' in page  # offered as owner
    response = client.post(f"/disputes/{d.pk}/act/accept/", {"version": d.version,
                                                              "owner": mia.pk})
    d.refresh_from_db()
    assert response.status_code == 302 and d.owner == mia


def test_stale_version_is_409(client, world):
    d = dispute(world)
    login_as(client, world.alice)
    response = client.post(f"/disputes/{d.pk}/act/accept/", {"version": d.version + 5})
    assert response.status_code == 409 and 'id="reload-link"' in body(response)


def test_regrade_needs_a_reason(client, world):
    d = dispute(world)
    before = snapshot(d)
    login_as(client, world.alice)
    response = client.post(f"/disputes/{d.pk}/regrade/", {"grade": "red", "note": " ",
                                                           "version": d.version})
    assert response.status_code == 400 and error_of(response)
    assert snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/regrade/", {"grade": "red", "note": "双方扬言动手",
                                                           "version": d.version})
    d.refresh_from_db()
    assert response.status_code == 302 and d.grade == Grade.RED and d.grade_overridden
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert 'id="grade-overridden"' in page and "双方扬言动手" in page


def test_regrade_by_a_grid_worker_is_403(client, world):
    d = dispute(world)
    before = snapshot(d)
    login_as(client, world.gina)
    response = client.post(f"/disputes/{d.pk}/regrade/", {"grade": "red", "note": "原因"})
    assert response.status_code == 403 and snapshot(d) == before


def test_session_moves_to_mediation_and_bad_one_is_400(client, world):
    d = _accepted(world)
    login_as(client, world.alice)
    before = snapshot(d)
    response = client.post(f"/disputes/{d.pk}/sessions/", {
        "held_on": timezone.localdate().isoformat(), "mediator": world.alice.pk,
        "attendees": "双方", "record": ""})
    assert response.status_code == 400 and "record" in error_of(response).lower()
    assert snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/sessions/", {"held_on": "not a date"})
    assert response.status_code == 400 and snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/sessions/", {
        "held_on": timezone.localdate().isoformat(), "mediator": world.alice.pk,
        "attendees": "双方", "record": "初次调解，双方各陈述"})
    d.refresh_from_db()
    assert response.status_code == 302 and d.state == State.MEDIATING
    assert "初次调解，双方各陈述" in body(client.get(f"/disputes/{d.pk}/"))


def test_session_by_someone_else_is_403(client, world):
    d = _accepted(world)
    other = cast(User, UserFactory(username="olga"))
    assign(other, Role.LEADER, world.community_a)  # sees it, does not handle it
    before = snapshot(d)
    login_as(client, other)
    response = client.post(f"/disputes/{d.pk}/sessions/", {
        "held_on": timezone.localdate().isoformat(), "mediator": other.pk,
        "attendees": "双方", "record": "记录"})
    assert response.status_code == 403 and snapshot(d) == before


def test_agreement_missing_a_field_is_400_then_saved_and_agreed(client, world):
    d = _mediating(world)
    login_as(client, world.alice)
    before = snapshot(d)
    response = client.post(f"/disputes/{d.pk}/agreement/", _agreement_form(terms=""))
    assert response.status_code == 400 and "terms" in error_of(response)
    assert snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/act/agree/", {"version": d.version})
    assert response.status_code == 400 and snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/agreement/", _agreement_form(
        judicial_wanted="1"))
    assert response.status_code == 302 and Agreement.objects.filter(dispute=d).exists()
    d.refresh_from_db()
    response = client.post(f"/disputes/{d.pk}/act/agree/", {"version": d.version})
    d.refresh_from_db()
    assert response.status_code == 302 and d.state == State.AGREED
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert "赔偿500元" in page and 'id="performance-form"' in page
    assert 'id="judicial-form"' in page
    assert f'href="/disputes/{d.pk}/agreement.pdf"' in page
    pdf = client.get(f"/disputes/{d.pk}/agreement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_performance_and_judicial_forms(client, world):
    d = _mediating(world)
    login_as(client, world.alice)
    client.post(f"/disputes/{d.pk}/agreement/", _agreement_form(judicial_wanted="1"))
    response = client.post(f"/disputes/{d.pk}/agreement/performance/", {})
    assert response.status_code == 400
    response = client.post(f"/disputes/{d.pk}/agreement/performance/",
                           {"performed": "1", "note": "已付清"})
    assert response.status_code == 302
    response = client.post(f"/disputes/{d.pk}/agreement/judicial/", {"applied_on": "x"})
    assert response.status_code == 400
    response = client.post(f"/disputes/{d.pk}/agreement/judicial/",
                           {"applied_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    agreement = Agreement.objects.get(dispute=d)
    assert agreement.performed is True and agreement.judicial_applied_on


def test_performance_without_agreement_is_404(client, world):
    d = _mediating(world)
    login_as(client, world.alice)
    assert client.post(f"/disputes/{d.pk}/agreement/performance/",
                       {"performed": "1"}).status_code == 404


def test_close_before_follow_up_is_400_then_follow_up_and_close(client, world):
    d = _mediating(world)
    login_as(client, world.alice)
    client.post(f"/disputes/{d.pk}/agreement/", _agreement_form())
    d.refresh_from_db()
    client.post(f"/disputes/{d.pk}/act/agree/", {"version": d.version})
    d.refresh_from_db()
    before = snapshot(d)
    response = client.post(f"/disputes/{d.pk}/act/close/", {"version": d.version})
    assert response.status_code == 400 and "follow-up" in error_of(response)
    assert snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/act/follow_up/", {"version": d.version,
                                                                 "note": ""})
    assert response.status_code == 400 and snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/act/follow_up/", {"version": d.version,
                                                                 "note": "回访：已履行"})
    assert response.status_code == 302
    d.refresh_from_db()
    response = client.post(f"/disputes/{d.pk}/act/close/", {"version": d.version})
    d.refresh_from_db()
    assert response.status_code == 302 and d.state == State.CLOSED
    page = body(client.get(f"/disputes/{d.pk}/"))
    assert "回访：已履行" in page and 'data-action="close"' in page


def test_grid_worker_may_not_close_a_yellow_dispute(client, world):
    d = dispute(world, people_involved=8)
    services.dispute_transition(actor=world.alice, dispute=d, action="accept",
                                owner_id=world.alice.pk)
    d.refresh_from_db()
    services.dispute_transition(actor=world.alice, dispute=d, action="withdraw",
                                note="双方和解")
    d.refresh_from_db()
    services.dispute_transition(actor=world.alice, dispute=d, action="follow_up",
                                note="回访")
    d.refresh_from_db()
    before = snapshot(d)
    login_as(client, world.gina)
    assert 'id="action-close"' not in body(client.get(f"/disputes/{d.pk}/"))
    response = client.post(f"/disputes/{d.pk}/act/close/", {"version": d.version})
    assert response.status_code == 403 and snapshot(d) == before


def test_refer_needs_where_and_name(client, world):
    d = _accepted(world)
    login_as(client, world.alice)
    before = snapshot(d)
    response = client.post(f"/disputes/{d.pk}/act/refer/", {
        "version": d.version, "note": "需诉讼", "referral_to": "", "referral_name": ""})
    assert response.status_code == 400 and snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/act/refer/", {
        "version": d.version, "note": "需诉讼", "referral_to": "court",
        "referral_name": "江汉区人民法院"})
    d.refresh_from_db()
    assert response.status_code == 302 and d.state == State.REFERRED
    assert "江汉区人民法院" in body(client.get(f"/disputes/{d.pk}/"))


def test_reveal_needs_a_purpose_and_is_audited(client, world):
    d = dispute(world)
    party = d.parties.get(position=0)
    login_as(client, world.alice)
    before = snapshot(d)
    response = client.post(f"/disputes/{d.pk}/reveal/", {"party": party.pk, "purpose": ""})
    assert response.status_code == 400 and "王大伟" not in body(response)
    assert snapshot(d) == before
    response = client.post(f"/disputes/{d.pk}/reveal/", {"party": party.pk,
                                                         "purpose": "通知参加调解"})
    assert response.status_code == 200 and "王大伟" in body(response)
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(action="dispute.party_reveal").get()
    assert "王大伟" not in str(entry.changes)
    assert "王大伟" not in body(client.get(f"/disputes/{d.pk}/"))


def test_reveal_by_a_grid_worker_of_a_yellow_dispute_is_403(client, world):
    d = dispute(world, people_involved=8)
    party = d.parties.get(position=0)
    login_as(client, world.gina)
    assert 'class="reveal-form"' not in body(client.get(f"/disputes/{d.pk}/"))
    response = client.post(f"/disputes/{d.pk}/reveal/", {"party": party.pk,
                                                         "purpose": "通知参加调解"})
    assert response.status_code == 403 and "王大伟" not in body(response)


def test_reveal_of_another_disputes_party_is_404(client, world):
    d = dispute(world)
    other = dispute(world)
    login_as(client, world.alice)
    response = client.post(f"/disputes/{d.pk}/reveal/", {
        "party": other.parties.get(position=0).pk, "purpose": "通知参加调解"})
    assert response.status_code == 404
