"""Running jobs at the same instant, for the concurrency tests of every app.

Each job runs in its own thread, so on its own database connection. A job loads what it
needs, waits at the barrier it is given, then acts; all of them are released together.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from linli.core.errors import ApplicationError

Outcome = tuple[str, Any]  # ("ok", result) | ("refused", ApplicationError) | ("crash", exc)


def run_together(*jobs: Callable[[threading.Barrier], object],
                 timeout: float = 60) -> list[Outcome]:
    """The outcome of each job, in order. An ApplicationError is a refusal (the rule at
    work); anything else is a crash. Connections are closed as each thread ends."""
    barrier = threading.Barrier(len(jobs), timeout=timeout / 3)
    outcomes: list[Outcome] = [("crash", "did not finish")] * len(jobs)

    def run(index: int, job) -> None:
        try:
            outcomes[index] = ("ok", job(barrier))
        except ApplicationError as exc:
            outcomes[index] = ("refused", exc)
        except BaseException as exc:
            outcomes[index] = ("crash", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes
