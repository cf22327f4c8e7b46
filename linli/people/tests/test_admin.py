"""The care tag list in the admin: seeded with the seven standard tags, editable by
administrators (audited), its codes fixed once residents may carry them."""

from importlib import import_module

import pytest
from django.apps import apps

from linli.core.models import AuditEntry
from linli.people.models import CareTag
from linli.people.tests.pages import as_user, html

pytestmark = pytest.mark.django_db


def test_the_seven_standard_tags_are_seeded(db):
    seed = import_module("linli.people.migrations.0004_seed_care_tags")
    seed.seed(apps, None)  # as the migration does; a no-op where the rows exist
    assert list(CareTag.objects.order_by("code").values_list("code", "name", "is_sensitive")) == [
        ("community_correction", "社区矫正", True), ("disability", "残疾人", True),
        ("disabled_care", "失能/半失能", True), ("left_behind_child", "留守儿童", True),
        ("lonely_elderly", "独居老人", False), ("severe_mental", "严重精神障碍", True),
        ("subsistence", "低保", True)]


def test_admins_edit_a_tag_but_not_its_code(client, people):
    tag = CareTag.objects.get(code="lonely_elderly")
    url = f"/admin/people/caretag/{tag.pk}/change/"
    as_user(client, people.ada)
    assert 'name="code"' not in html(client.get(url))
    response = client.post(url, {"code": "renamed", "name": "独居老人（空巢）",
                                 "is_sensitive": "on", "default_visit_days": 7})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.code, tag.name, tag.is_sensitive) == ("lonely_elderly", "独居老人（空巢）", True)
    assert AuditEntry.objects.filter(action="caretag.updated").count() == 1


@pytest.mark.parametrize("who", ["alice", "gina", "leo", "rita"])
def test_others_do_not_reach_the_tag_list(client, people, who):
    response = as_user(client, getattr(people, who)).get("/admin/people/caretag/")
    assert response.status_code in (302, 403)
