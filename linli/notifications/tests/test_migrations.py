"""Notifications keep what they are about when the case foreign key becomes a subject."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linli.cases.services import case_report
from linli.cases.tests.factories import category
from linli.notifications.models import Notification

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0004_remove_notification_case")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_a_cases_notifications_keep_it_as_subject_and_get_it_back_on_reverse(world):
    reported = case_report(actor=world.rita, category=category(), area=world.dwelling_a,
                           description="厨房水管漏水")
    try:
        apps = _migrate(BEFORE)
        Old = apps.get_model("notifications", "Notification")
        Old.objects.create(recipient_id=world.rita.pk, kind="migrated", title="case",
                           case_id=reported.pk)
        Old.objects.create(recipient_id=world.rita.pk, kind="migrated", title="none")

        _migrate(AFTER)
        assert sorted(Notification.objects.filter(kind="migrated").values_list(
            "title", "subject_type", "subject_id")) == [
            ("case", "cases.case", reported.pk), ("none", "", None)]

        Old = _migrate(BEFORE).get_model("notifications", "Notification")
        assert sorted(Old.objects.filter(kind="migrated").values_list("title", "case_id")) == [
            ("case", reported.pk), ("none", None)]
    finally:
        _migrate(None)
