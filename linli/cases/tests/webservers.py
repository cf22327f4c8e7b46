"""Real web server processes for tests that need more than one process: the production
server (granian, the same command `linli run` uses) serving this checkout, on a free port,
against the test database the test itself writes to.

Each server is its own process group, so stopping it stops granian's worker too. What a
server logged is kept in a file and shown when it fails to start.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

# Settings the servers must not inherit from the shell that runs the tests: a broker would
# send the notification to a worker that does not run, GRANIAN_* would change the server.
_NOT_INHERITED = ("DATABASE_URL", "LINLI_", "GRANIAN_", "DJANGO_")


def database_url() -> str:
    """The test database this process uses, as a DATABASE_URL for another process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def server_environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(_NOT_INHERITED)}
    env.update({
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        "DATABASE_URL": database_url(),
        "LINLI_DATA_DIR": str(data_dir),
        "LINLI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LINLI_DEBUG": "0",
        # The same keys as this process, so every process reads what the others wrote.
        "LINLI_SECRET_KEY": settings.SECRET_KEY,
        "LINLI_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
        "LINLI_LOG_LEVEL": "WARNING",
        # This checkout, whatever the virtualenv's editable install points at.
        "PYTHONPATH": str(settings.BASE_DIR),
    })
    # No LINLI_BROKER_URL: the embedded default runs the notification task in-process,
    # after commit, so no worker is needed.
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Answer:
    status: int
    body: dict


def request(url: str, *, method: str = "GET", body: dict | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30) -> Answer:
    """One HTTP request; an error status is an answer too, not an exception."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", "Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    return Answer(status, json.loads(raw) if raw else {})


class WebServer:
    """One granian process (one worker, a few threads) serving linli.wsgi."""

    def __init__(self, data_dir: Path, name: str, *, threads: int = 4):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / f"{name}.log"
        command = [sys.executable, "-m", "granian", "--interface", "wsgi",
                   "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
                   "--blocking-threads", str(threads), "--no-ws", "linli.wsgi:application"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=server_environment(data_dir),
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, probe: str, headers: dict[str, str], deadline: float) -> None:
        """Until `probe` answers 200: the worker has loaded Django and reached the database
        (and the first request's one-time costs are paid before the test's own)."""
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.url} exited with {self.process.returncode}:\n"
                                     f"{self.log()}")
            try:
                answer = request(self.url + probe, headers=headers, timeout=10)
                if answer.status == 200:
                    return
                last = f"{answer.status} {answer.body}"
            except OSError as exc:  # not listening yet, or the worker is still starting
                last = repr(exc)
            time.sleep(0.2)
        raise AssertionError(f"{self.url} not ready ({last}):\n{self.log()}")

    def stop(self) -> None:
        """Stop the whole process group: granian and its worker."""
        if self.process.poll() is None:
            _signal_group(self.process, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(self.process, signal.SIGKILL)
                self.process.wait(timeout=10)
        # A worker that outlived its parent would keep database connections open.
        _signal_group(self.process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended already
        os.killpg(process.pid, sig)


def start_servers(data_dir: Path, count: int, *, probe: str, headers: dict[str, str],
                  timeout: float = 60) -> list[WebServer]:
    """`count` servers, started together and each ready, or none left running."""
    servers: list[WebServer] = []
    try:
        for index in range(count):
            servers.append(WebServer(data_dir, f"web-{index}"))
        deadline = time.monotonic() + timeout
        for server in servers:
            server.wait_ready(probe, headers, deadline)
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers
