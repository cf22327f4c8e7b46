"""The demo's needs survey in 花楼社区 (the surveys part fills this in), loaded after the
service library: its answers' needs are matched to the library's providers."""


def demo_step_surveys(demo) -> None:
    return None


DEMO_STEPS = [(97, demo_step_surveys)]
