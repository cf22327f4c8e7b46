"""The demo volunteering: wishes, tasks, claims and profiles. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `volunteering.py`; `data.py` holds the wishes and tasks, `skills.py` the
default skills. The names are re-exported here, so `from linli.volunteering.demo import X`
works.
"""

from linli.volunteering.demo.volunteering import (
    DEMO_STEPS,
    PROFILES,
    RULES,
    Clock,
    Side,
    demo_rules,
    demo_volunteering,
)

__all__ = ["DEMO_STEPS", "PROFILES", "RULES", "Clock", "Side", "demo_rules", "demo_volunteering"]
