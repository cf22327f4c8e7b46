"""The demo's providers of the service library in 花楼社区 (the providers part fills this in)."""


def demo_providers(demo) -> None:
    return None
