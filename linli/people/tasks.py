"""Thin tasks: call a service. Safe to run twice, and from several workers at once."""

from celery import shared_task

from linli.people.imports import import_job_run


@shared_task(name="people.anonymise_moved_out", ignore_result=True)
def anonymise_moved_out() -> int:
    from linli.people.retention import anonymise_moved_out as sweep

    return sweep()


@shared_task(name="people.resident_import_run", ignore_result=True)
def resident_import_run(job_id: int) -> None:
    import_job_run(job_id=job_id)
