"""The demo's contacts (the contacts part fills this in), after the shared base of demo.py."""


def demo_contacts(demo) -> None:
    return None
