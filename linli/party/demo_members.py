"""The demo's members (the members part fills this in), after the shared base of demo.py."""


def demo_members(demo) -> None:
    return None
