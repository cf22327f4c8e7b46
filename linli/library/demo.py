"""The demo's service library in 花楼社区, one module per part, loaded after community life:
providers and partners, then services, venues and bookings, then needs and matches."""

from linli.library.demo_needs import demo_needs
from linli.library.demo_providers import demo_providers
from linli.library.demo_services import demo_services


def demo_step_library(demo) -> None:
    demo_providers(demo)
    demo_services(demo)
    demo_needs(demo)


DEMO_STEPS = [(95, demo_step_library)]
