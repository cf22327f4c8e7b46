"""Who hears of co-building agreements and property supervision items (the agreements part
fills this in)."""


def agreement_event_notify(event) -> None:
    return None
