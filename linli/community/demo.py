from linli.community.demo_notices import demo_notices


def demo_step_community(demo) -> None:
    demo_notices(demo)


DEMO_STEPS = [(90, demo_step_community)]
