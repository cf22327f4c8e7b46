"""The party app's timers, swept by `tasks.py`: each part's sweep in its own module."""

from django.utils import timezone


def sweep(now=None) -> int:
    """Overdue resolutions (督办) and contact households due a visit (reminders)."""
    from linli.party.services.contacts import contacts_remind
    from linli.party.services.meetings import resolutions_supervise

    now = now or timezone.now()
    return resolutions_supervise(now=now) + contacts_remind(now=now)


def property_sweep(now=None) -> int:
    """Last month's property scores: a low month opens its supervision item (once)."""
    from linli.party.services.property import supervision_open_low

    return supervision_open_low(now=now or timezone.now())
