"""The demo's services of the service library in 花楼社区 (the services part fills this in)."""


def demo_services(demo) -> None:
    return None
