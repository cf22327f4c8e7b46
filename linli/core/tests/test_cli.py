"""The `linli` command refuses clearly what it cannot do."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_worker_and_beat_without_a_broker_say_what_they_need(command):
    result = subprocess.run([sys.executable, "-m", "linli.cli", command],
                            env={**os.environ, "LINLI_BROKER_URL": ""},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "LINLI_BROKER_URL" in result.stderr and "linli run" in result.stderr
