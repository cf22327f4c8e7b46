"""The smart-triage admin page: administrators only; the model, training, keyword rules and
accuracy on live use."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from linli.cases.models import Category
from linli.core.models import AuditEntry
from linli.triage import selectors_admin, services
from linli.triage.models import KeywordRule, ModelVersion, Outcome, Suggestion
from linli.triage.tests.training_kit import (
    corpus,
    texts_add,
)

pytestmark = pytest.mark.django_db
ADMIN = reverse("triage:admin")


@pytest.mark.parametrize("who", ["rita", "alice", "gina", "leo"])
def test_only_administrators_see_the_page_or_act(en_client, world, triage_data, who):
    en_client.force_login(getattr(world, who))
    leak = Category.objects.get(code="L1003")
    assert en_client.get(ADMIN).status_code == 403
    assert en_client.get(reverse("triage:status")).status_code == 403
    assert en_client.post(reverse("triage:train")).status_code == 403
    assert en_client.post(reverse("triage:rule_edit", args=[leak.pk]),
                       {"keywords": "漏水"}).status_code == 403
    assert not ModelVersion.objects.exists() and not KeywordRule.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(en_client, triage_data):
    leak = Category.objects.get(code="L1003")
    for response in (en_client.get(ADMIN), en_client.get(reverse("triage:status")),
                     en_client.post(reverse("triage:train")),
                     en_client.post(reverse("triage:rule_edit", args=[leak.pk]), {})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not ModelVersion.objects.exists()


def test_the_admin_sees_the_page_with_the_rules_and_the_nav_link(en_client, world,
                                                                 triage_data):
    en_client.force_login(world.ada)
    page = en_client.get(ADMIN)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'href="{ADMIN}"' in body  # the nav link
    assert 'id="triage-model"' in body and 'id="triage-train"' in body
    assert "Stairwell light out" in body and "声控灯" in body  # with its default keywords
    assert 'hx-get="' not in body  # nothing is training: no poll


def test_a_superuser_sees_it_too(en_client, triage_data):
    from linli.accounts.tests.factories import UserFactory

    en_client.force_login(UserFactory(username="root", is_superuser=True))
    assert en_client.get(ADMIN).status_code == 200


def test_train_starts_a_run_that_the_page_polls_until_done(en_client, world, triage_data,
                                                           django_capture_on_commit_callbacks):
    texts_add(corpus())
    en_client.force_login(world.ada)
    # The task is queued after commit: hold it to see the page while the run is going.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = en_client.post(reverse("triage:train"), follow=True)
    assert len(queued) == 1
    body = answer.content.decode()
    assert "Training v1 started" in body
    assert 'id="triage-running"' in body and 'hx-trigger="every 2s"' in body
    assert AuditEntry.objects.filter(action="triage.train_requested").count() == 1
    # A second press while it runs: refused with a message, no second run.
    again = en_client.post(reverse("triage:train"), follow=True)
    assert "A training run is already going" in again.content.decode()
    assert ModelVersion.objects.count() == 1

    queued[0]()  # the worker runs it
    fragment = en_client.get(reverse("triage:status")).content.decode()
    assert 'hx-trigger' not in fragment and 'id="triage-running"' not in fragment
    assert "v1" in fragment and 'data-outcome="active"' in fragment


def test_the_page_says_when_the_model_file_cannot_be_used(en_client, world, triage_data):
    texts_add(corpus())
    run = services.train_now()
    (triage_data / "triage" / run.file_name).unlink()
    en_client.force_login(world.ada)
    body = en_client.get(ADMIN).content.decode()
    assert 'id="triage-problem"' in body and run.file_name in body


def test_keywords_are_saved_per_category(en_client, world, triage_data):
    light = Category.objects.get(code="L1002")
    en_client.force_login(world.ada)
    answer = en_client.post(reverse("triage:rule_edit", args=[light.pk]),
                         {"keywords": "楼道灯\n 声控灯坏 \n\n楼道灯"}, follow=True)
    assert answer.status_code == 200
    assert "Keywords of" in answer.content.decode()
    assert KeywordRule.objects.get(category=light).keyword_list() == ["楼道灯", "声控灯坏"]
    assert AuditEntry.objects.filter(action="triage.rule_saved").count() == 1
    row = next(r for g in selectors_admin.rule_groups() for r in g.rows
               if r.category == light)
    assert not row.is_default and row.keywords == ["楼道灯", "声控灯坏"]


@pytest.mark.parametrize(("typed", "message"), [
    ("\n".join(f"词{i}" for i in range(61)), "At most 60 keywords"),
    ("楼道灯\n" + "长" * 21, "at most 20 characters"),
])
def test_bad_keywords_are_refused_on_the_form_and_nothing_is_saved(en_client, world,
                                                                   triage_data, typed,
                                                                   message):
    light = Category.objects.get(code="L1002")
    en_client.force_login(world.ada)
    answer = en_client.post(reverse("triage:rule_edit", args=[light.pk]), {"keywords": typed})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'id="rule-error"' in body and message in body
    assert f'id="rule-{light.pk}" class="triage-rule" open' in body
    assert "长" * 21 in body or "词60" in body  # what was typed comes back
    assert not KeywordRule.objects.exists()


def test_a_group_has_no_keywords_to_edit(en_client, world, triage_data):
    group = Category.objects.filter(triage="").first()
    assert group is not None
    en_client.force_login(world.ada)
    assert en_client.post(reverse("triage:rule_edit", args=[group.pk]),
                       {"keywords": "x"}).status_code == 404


def _suggestion(case_id: int, at, suggested: list[str], chosen: str, source: str):
    Suggestion.objects.create(case_id=case_id, community_id=1, channel="resident_web",
                              reported_at=at, suggested=suggested, chosen=chosen,
                              source=source)


def test_live_accuracy_per_month_and_source(en_client, world, triage_data):
    now = timezone.now()
    last_month = now.replace(day=1) - timedelta(days=3)
    _suggestion(1, now, ["L1002", "L1003", "06028"], "L1002", "model")  # top-1
    _suggestion(2, now, ["L1003", "L1002", "06028"], "L1002", "model")  # top-3
    _suggestion(3, now, ["L1003", "06028", "L1006"], "L1002", "model")  # miss
    _suggestion(4, now, ["L1002"], "L1002", "rules")
    _suggestion(5, now, [], "L1002", "none")
    _suggestion(6, last_month, ["06028", "L1002"], "L1002", "rules")
    _suggestion(7, now - timedelta(days=400), ["L1002"], "L1002", "model")  # too old
    months = selectors_admin.live_accuracy()
    assert [m.month.strftime("%Y-%m") for m in months] == [
        timezone.localtime(now).strftime("%Y-%m"),
        timezone.localtime(last_month).strftime("%Y-%m")]
    this, previous = months
    assert (this.model.n, this.model.top1, this.model.top3) == (3, 1, 2)
    assert (this.rules.n, this.rules.top1, this.rules.top3) == (1, 1, 1)
    assert this.none == 1 and this.total.n == 4
    assert (previous.rules.n, previous.rules.top1, previous.rules.top3) == (1, 0, 1)
    assert previous.model.n == 0 and previous.model.top1_rate is None

    en_client.force_login(world.ada)
    body = en_client.get(ADMIN).content.decode()
    row = body.split(f'data-month="{this.month:%Y-%m}"')[1].split("</tr>")[0]
    assert "0.333" in row and "0.667" in row and "1.000" in row


def test_a_run_that_kept_the_old_model_shows_both_figures(en_client, world, triage_data):
    texts_add(corpus())
    services.train_now()
    ModelVersion.objects.create(version=2, trigger="nightly", outcome=Outcome.KEPT_OLD,
                                top1=0.5, top3=0.75, active_top1=0.9, active_top3=1.0,
                                confusions=[["L1002", "L1003", 4]])
    en_client.force_login(world.ada)
    body = en_client.get(ADMIN).content.decode()
    table = body.split('id="triage-runs"')[1].split("</table>")[0]
    assert "0.500 / 0.750" in table and "0.900 / 1.000" in table
    confusions = body.split('id="triage-confusions"')[1].split("</table>")[0]
    assert "L1002 Stairwell light out" in confusions and "L1003 Pipe leak" in confusions
