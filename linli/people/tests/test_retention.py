"""Minimisation: residents who moved out are anonymised after the retention period, once,
however many runs go at the same time."""

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from linli.core.models import AuditEntry
from linli.people import retention, services
from linli.people.models import CarePlan, Consent, Resident, ResidentTag, Visit
from linli.people.tasks import anonymise_moved_out
from linli.people.tests.factories import cared_for

pytestmark = pytest.mark.django_db


def test_the_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["people.anonymise_moved_out"]
    assert entry == {"task": "people.anonymise_moved_out", "schedule": 86400}
    assert settings.PEOPLE_RETENTION_DAYS == 365


def _moved_out_with_care(people, moved_out: date):
    cared_for(people.alice, people.rosa, people.gina, "lonely_elderly", "subsistence",
              emergency_contact="女儿 13800001111", needs="送餐")
    services.visit_record(actor=people.gina, resident=people.rosa, visited_on=moved_out,
                               kind="home", findings="身体尚可")
    services.resident_move_out(actor=people.alice, resident=people.rosa, moved_out=moved_out)


def test_anonymises_after_the_retention_period_only(people, settings):
    settings.PEOPLE_RETENTION_DAYS = 30
    with time_machine.travel("2026-01-01 09:00 +0800", tick=False):
        _moved_out_with_care(people, date(2026, 1, 1))
    with time_machine.travel("2026-01-31 09:00 +0800", tick=False):
        assert anonymise_moved_out.apply().result == 0  # exactly 30 days: not yet
    with time_machine.travel("2026-02-01 09:00 +0800", tick=False):
        assert anonymise_moved_out.apply().result == 1
    rosa = Resident.objects.get(pk=people.rosa.pk)
    assert (rosa.name, rosa.id_number_cipher, rosa.id_number_hash, rosa.phone_cipher,
            rosa.phone_hash, rosa.birth_date, rosa.user) == ("已注销", "", "", "", "", None, None)
    assert rosa.anonymised_at is not None
    assert ResidentTag.objects.count() == 0
    plan = CarePlan.objects.get()
    assert (plan.emergency_contact_cipher, plan.needs_cipher) == ("", "")
    assert list(Visit.objects.values_list("findings_cipher", flat=True)) == [""]
    assert list(Consent.objects.values_list("reference", flat=True)) == [""]
    assert AuditEntry.objects.filter(action="resident.anonymised",
                                     object_id=str(rosa.pk)).count() == 1
    # Others stay as they were; a second run finds nothing.
    assert Resident.objects.get(pk=people.kang.pk).name == "李强"
    with time_machine.travel("2026-02-02 09:00 +0800", tick=False):
        assert retention.anonymise_moved_out() == 0


def test_a_claimed_resident_is_not_done_twice(people, settings):
    settings.PEOPLE_RETENTION_DAYS = 0
    services.resident_move_out(actor=people.alice, resident=people.kang,
                               moved_out=date.today() - timedelta(days=2))
    assert retention.resident_anonymise(resident_id=people.kang.pk) is True
    assert retention.resident_anonymise(resident_id=people.kang.pk) is False
    assert retention.resident_anonymise(resident_id=people.rosa.pk) is False  # not moved out


def test_batches_cover_everyone(people, settings):
    settings.PEOPLE_RETENTION_DAYS = 0
    for person in (people.rosa, people.kang):
        services.resident_move_out(actor=people.alice, resident=person,
                                   moved_out=date.today() - timedelta(days=1))
    assert retention.anonymise_moved_out(batch=1) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_anonymise_each_resident_once(people, settings):
    settings.PEOPLE_RETENTION_DAYS = 0
    for person in (people.rosa, people.kang, people.bo):
        actor = people.bob if person == people.bo else people.alice
        services.resident_move_out(actor=actor, resident=person,
                                   moved_out=date.today() - timedelta(days=1))
    results: list[int] = []
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            results.append(retention.anonymise_moved_out())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3
    assert AuditEntry.objects.filter(action="resident.anonymised").count() == 3
