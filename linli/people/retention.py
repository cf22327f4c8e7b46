"""Minimisation: residents who moved out are anonymised after the retention period.

`anonymise_moved_out` runs daily (CELERY_BEAT_SCHEDULE "people.anonymise_moved_out"). It
claims each resident with a conditional UPDATE on `anonymised_at IS NULL`, so any number of
runs at once anonymise each resident exactly once. The row itself stays (households, visit
counts and the access log refer to it), emptied of everything that identifies the person.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from linli.core.audit import audit_record
from linli.people.models import CarePlan, Consent, Resident, ResidentTag, Visit, VisitPhoto

ANONYMOUS_NAME = "已注销"
BATCH = 500


def retention_cutoff(now: datetime | None = None):
    """Residents who moved out before this day are due for anonymisation."""
    today = timezone.localdate(now or timezone.now())
    return today - timedelta(days=settings.PEOPLE_RETENTION_DAYS)


def _delete_files(paths: list) -> None:
    for field_file in paths:
        field_file.delete(save=False)


@transaction.atomic
def resident_anonymise(*, resident_id: int, now: datetime | None = None) -> bool:
    """Anonymise one resident if still due and not yet done; True if this call did it."""
    now = now or timezone.now()
    claimed = Resident.objects.filter(
        pk=resident_id, anonymised_at__isnull=True, moved_out__lt=retention_cutoff(now),
    ).update(anonymised_at=now, name=ANONYMOUS_NAME, id_number_cipher="", id_number_hash="",
             phone_cipher="", phone_hash="", birth_date=None, user=None, updated_at=now)
    if not claimed:
        return False
    ResidentTag.objects.filter(resident_id=resident_id).delete()
    CarePlan.objects.filter(resident_id=resident_id).update(emergency_contact_cipher="",
                                                            needs_cipher="")
    Consent.objects.filter(resident_id=resident_id).update(reference="")
    Visit.objects.filter(resident_id=resident_id).update(findings_cipher="")
    photos = list(VisitPhoto.objects.filter(visit__resident_id=resident_id))
    files = [f for photo in photos for f in (photo.image, photo.thumbnail)]
    VisitPhoto.objects.filter(pk__in=[p.pk for p in photos]).delete()
    transaction.on_commit(lambda: _delete_files(files))
    area_path = Resident.objects.values_list("area_path", flat=True).get(pk=resident_id)
    audit_record(actor=None, action="resident.anonymised", object_type="people.resident",
                 object_id=resident_id, object_label=ANONYMOUS_NAME, area_path=area_path,
                 changes={"photos_deleted": len(photos)})
    return True


def anonymise_moved_out(*, now: datetime | None = None, batch: int = BATCH) -> int:
    """Anonymise every resident past the retention period; returns how many this run did."""
    now = now or timezone.now()
    done, after = 0, 0
    while True:
        ids = list(Resident.objects.filter(
            anonymised_at__isnull=True, moved_out__lt=retention_cutoff(now), pk__gt=after,
        ).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        for resident_id in ids:
            done += resident_anonymise(resident_id=resident_id, now=now)
        after = ids[-1]
