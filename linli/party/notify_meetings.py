"""Who hears of joint meetings and resolutions (the meetings part fills this in)."""


def meeting_event_notify(event) -> None:
    return None
