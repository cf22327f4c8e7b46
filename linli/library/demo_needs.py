"""The demo's needs of the service library in 花楼社区 (the needs part fills this in)."""


def demo_needs(demo) -> None:
    return None
