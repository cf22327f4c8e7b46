"""The demo's meetings (the meetings part fills this in), after the shared base of demo.py."""


def demo_meetings(demo) -> None:
    return None
