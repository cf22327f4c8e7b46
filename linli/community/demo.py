"""The demo's community life in 花楼社区, one module per part, loaded after deliberation."""

from linli.community.demo_activities import demo_activities
from linli.community.demo_honours import demo_honours


def demo_step_community(demo) -> None:
    demo_activities(demo)
    demo_honours(demo)


DEMO_STEPS = [(90, demo_step_community)]
