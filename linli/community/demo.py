from linli.community.demo_ratings import demo_ratings


def demo_step_community(demo) -> None:
    demo_ratings(demo)


DEMO_STEPS = [(90, demo_step_community)]
