"""core.db.insert writes what Model.objects.create writes, whatever the values' types, and
psycopg keeps the rewrite of our widest statements."""

import pytest
from django.db import models

from linli.core.db import PSYCOPG_CACHED_PARAMS, insert
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


class Action(models.TextChoices):
    # A str subclass: it must reach the row as its value.
    REPORT = "case.report"


def _row(pk: int) -> dict:
    return dict(AuditEntry.objects.filter(pk=pk).values(
        "actor_id", "actor_label", "action", "object_type", "object_id", "object_label",
        "changes", "area_path", "ip", "channel").get())


@pytest.mark.parametrize("values", [
    {"action": "case.report", "object_id": "12", "changes": {"a": [1, "二"]}, "ip": None},
    # Values of other types than the column's take the whole way, as with create().
    {"action": Action.REPORT, "object_id": 12, "changes": {}, "ip": "10.0.0.1"},
    {"action": "case.report", "object_id": "", "actor_label": "", "area_path": "/1/2/"},
])
def test_insert_writes_what_create_writes(world, values):
    kwargs = {"actor": world.gina, "actor_label": "网格员", "object_type": "cases.case",
              "object_label": "楼道灯不亮", "channel": "api", **values}
    inserted = insert(AuditEntry(**kwargs))
    created = AuditEntry.objects.create(**kwargs)
    assert inserted.pk and inserted.pk != created.pk and not inserted._state.adding
    assert _row(inserted.pk) == _row(created.pk)
    assert AuditEntry.objects.get(pk=inserted.pk).at is not None  # auto_now_add still fills


def test_an_unknown_foreign_key_value_type_is_refused_like_create(world):
    with pytest.raises((TypeError, ValueError)):
        insert(AuditEntry(actor_id="not a number", action="x"))


def test_psycopg_keeps_the_rewrite_of_a_case_wide_statement():
    from psycopg import _queries

    # If a psycopg upgrade drops the setting, this says so (the code then leaves it alone).
    assert _queries.MAX_CACHED_STATEMENT_PARAMS >= PSYCOPG_CACHED_PARAMS


@pytest.mark.postgres
def test_postgresql_prepares_the_insert_once_per_connection(world):
    from django.db import connection

    for n in range(3):
        insert(AuditEntry(actor=world.gina, action="case.report", object_id=str(n)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert len([s for s in prepared if s.startswith('INSERT INTO "core_auditentry"')]) == 1
    assert AuditEntry.objects.filter(action="case.report", actor=world.gina).count() == 3
