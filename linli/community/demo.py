from linli.community.demo_honours import demo_honours


def demo_step_community(demo) -> None:
    demo_honours(demo)


DEMO_STEPS = [(90, demo_step_community)]
