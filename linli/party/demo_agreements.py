"""The demo's agreements (the agreements part fills this in), after the shared base of demo.py."""


def demo_agreements(demo) -> None:
    return None
