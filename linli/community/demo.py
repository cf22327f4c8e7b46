"""The demo's community life in 花楼社区, one module per part, loaded after deliberation:
activities, notices, honour boards, then the building rating (it counts the activities'
attendance)."""

from linli.community.demo_activities import demo_activities
from linli.community.demo_honours import demo_honours
from linli.community.demo_notices import demo_notices
from linli.community.demo_ratings import demo_ratings


def demo_step_community(demo) -> None:
    demo_activities(demo)
    demo_notices(demo)
    demo_honours(demo)
    demo_ratings(demo)


DEMO_STEPS = [(90, demo_step_community)]
