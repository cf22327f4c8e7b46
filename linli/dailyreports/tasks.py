"""Thin tasks: call a service. Safe to run twice (the reminders claim their rows)."""

from celery import shared_task

from linli.dailyreports import services


@shared_task(name="dailyreports.remind_missing", ignore_result=True)
def remind_missing() -> int:
    return services.reminders_send()
