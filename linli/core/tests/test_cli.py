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


@pytest.mark.parametrize(("argv0", "expected"), [
    (".venv/bin/linli", ".venv/bin/linli"),  # `make run`: not on a newcomer's PATH
    ("/usr/local/bin/linli", "/usr/local/bin/linli"),
    ("manage.py", "linli"),
    ("", "linli"),
])
def test_the_demo_prints_the_otp_command_as_it_can_be_pasted(monkeypatch, argv0, expected):
    from linli.core.management.commands.demo import linli_command

    monkeypatch.setattr(sys, "argv", [argv0] if argv0 else [])
    assert linli_command() == expected
