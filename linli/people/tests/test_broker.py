"""With a broker, background work crosses processes: one process queues a task on Redis,
a `linli worker` in another takes it and writes to the same PostgreSQL database.

The embedded default runs tasks eagerly (every other test); this is the production path.
A queue of the test's own keeps parallel runs on the same Redis apart.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta

import pytest
from django.db import connection

from linli.conftest import require_service
from linli.people import services
from linli.people.models import Resident

REDIS_URL = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.django_db(transaction=True)]


def _environment() -> dict[str, str]:
    """This test database, the broker, and the same key files (LINLI_DATA_DIR)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "LINLI_BROKER_URL": REDIS_URL,
            "LINLI_PEOPLE_RETENTION_DAYS": "30"}


def _queue_from_another_process(queue: str) -> None:
    script = ("import django; django.setup()\n"
              "from linli.people.tasks import anonymise_moved_out\n"
              f"anonymise_moved_out.apply_async(queue={queue!r})\n")
    subprocess.run([sys.executable, "-c", script], env={
        **_environment(), "DJANGO_SETTINGS_MODULE": "linli.settings"}, check=True, timeout=60)


def _wait_until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_a_task_queued_on_redis_is_done_by_a_linli_worker(people):
    require_service("Redis", "127.0.0.1", 6379)
    services.resident_move_out(actor=people.alice, resident=people.rosa,
                               moved_out=date.today() - timedelta(days=90))
    queue = f"linli-test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "linli.cli", "worker", "--pool", "solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _queue_from_another_process(queue)
        done = _wait_until(
            lambda: Resident.objects.get(pk=people.rosa.pk).name == "已注销", seconds=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert done, "the worker did not anonymise the resident:\n" + output[-3000:]
    assert Resident.objects.get(pk=people.kang.pk).name == "李强"  # still living there

