"""The demo cases: a season of reports walked through the closed loop. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `cases.py`; `data.py` holds the tables (titles, notes, paths) the cases are
drawn from. The names are re-exported here, so `from linli.cases.demo import X` works.
"""

from linli.cases.demo.cases import (
    DEMO_STEPS,
    SEED,
    CasePlan,
    People,
    Place,
    demo_cases,
    demo_routes,
)

__all__ = ["DEMO_STEPS", "SEED", "CasePlan", "People", "Place", "demo_cases", "demo_routes"]
