from linli.community.demo_activities import demo_activities


def demo_step_community(demo) -> None:
    demo_activities(demo)


DEMO_STEPS = [(90, demo_step_community)]
