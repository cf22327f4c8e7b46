"""The demo cases: a season of reports walked through the closed loop. Loaded by `linli demo`
(`linli.core.demo`).

The code is in `cases.py`; `data.py` holds the tables (titles, notes, paths) the cases are
drawn from; `public.py` publishes the communities' public cases. The names are re-exported
here, so `from linli.cases.demo import X` works.
"""

from linli.cases.demo.cases import (
    DEMO_STEPS as CASE_STEPS,
)
from linli.cases.demo.cases import (
    SEED,
    CasePlan,
    People,
    Place,
    demo_cases,
    demo_routes,
)
from linli.cases.demo.public import DEMO_STEPS as PUBLIC_STEPS
from linli.cases.demo.public import demo_publications

DEMO_STEPS = [*CASE_STEPS, *PUBLIC_STEPS]

__all__ = ["DEMO_STEPS", "SEED", "CasePlan", "People", "Place", "demo_cases",
           "demo_publications", "demo_routes"]
