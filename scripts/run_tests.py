"""The whole test suite, as `make test` and `.ci/run` run it.

1. Static checks: ruff, mypy, `makemigrations --check`, the committed OpenAPI schema.
2. pytest on SQLite (the embedded default), browser and fuzz tests included.
3. pytest on PostgreSQL (DATABASE_URL, or 127.0.0.1:5432 as user postgres), fuzz tests
   included (PostgreSQL refuses some values SQLite stores), browser tests not.

Services that are absent are reported as SKIPPED with the reason. Under CI (CI=true) every
service must be present: a missing one is started if this machine knows how, else the run
fails, because CI must run everything. Exits non-zero if anything failed.
"""

import os
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var"
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get("LINLI_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/linli")
CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
START = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" '
             "--appendonly no",
    "Mosquitto": "mosquitto -d -c /etc/mosquitto/mosquitto.conf",
}
SERVICES = {"PostgreSQL": ("127.0.0.1", 5432), "Redis": ("127.0.0.1", 6379),
            "Mosquitto": ("127.0.0.1", 1883)}


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_service(name: str) -> bool:
    host, port = SERVICES[name]
    if reachable(host, port):
        return True
    if CI and name in START:
        print(f"{name} is down; starting it for CI: {START[name]}", flush=True)
        subprocess.call(START[name], shell=True)
        for _ in range(20):
            if reachable(host, port):
                return True
            subprocess.call(["sleep", "0.5"])
    return False


def apt_install(packages: str, why: str) -> None:
    """Debian's packages a test run needs, installed when the run may (root with apt)."""
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing Debian's {packages} for {why}...", flush=True)
        subprocess.call("apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
                        f"apt-get install -y -qq {packages} >/dev/null", shell=True)


def ensure_chromium() -> bool:
    if not Path(CHROMIUM).exists():
        apt_install("chromium", "the browser tests")
    return Path(CHROMIUM).exists()


# Tools a few tests read documents with: the printed notices' text (pdftotext) and the
# ledger's Excel file opened as a street office opens it (LibreOffice). A test whose tool
# is missing skips, saying which.
DOCUMENT_TOOLS = {"pdftotext": "poppler-utils", "soffice": "libreoffice-calc-nogui"}


def ensure_document_tools() -> list[str]:
    """The tools still missing after trying to install them."""
    missing = [package for tool, package in DOCUMENT_TOOLS.items() if not shutil.which(tool)]
    if missing:
        apt_install(" ".join(missing), "the document checks")
    return [tool for tool in DOCUMENT_TOOLS if not shutil.which(tool)]


def run(label: str, command: list[str], env: dict[str, str] | None = None) -> bool:
    print(f"\n=== {label}: {' '.join(command)}", flush=True)
    return subprocess.call(command, cwd=ROOT, env={**os.environ, **(env or {})}) == 0


def static_checks() -> bool:
    results = [
        run("ruff", [str(BIN / "ruff"), "check", "."]),
        run("mypy", [str(BIN / "mypy"), "linli"]),
        run("import contracts", [str(BIN / "lint-imports")]),
        run("migrations", [str(BIN / "python"), "manage.py", "makemigrations", "--check",
                           "--dry-run"], {"LINLI_DATA_DIR": str(VAR / "check")}),
        run("openapi schema", [str(BIN / "python"), "scripts/openapi_schema.py", "--check"],
            {"LINLI_DATA_DIR": str(VAR / "check")}),
    ]
    return all(results)


def pytest(label: str, env: dict[str, str], marker: str, report: Path) -> bool:
    command = [str(BIN / "pytest"), "-n", os.environ.get("LINLI_TEST_WORKERS", "2"),
               "--dist", "loadfile", "-m", marker, f"--junit-xml={report}", "-q"]
    return run(label, command, env)


def totals(report: Path) -> tuple[int, int, int]:
    if not report.exists():
        return 0, 1, 0
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert suite is not None
    tests, failed = int(suite.get("tests", 0)), int(suite.get("failures", 0))
    errors, skipped = int(suite.get("errors", 0)), int(suite.get("skipped", 0))
    return tests - failed - errors - skipped, failed + errors, skipped


def main() -> int:
    VAR.mkdir(exist_ok=True)
    skipped_runs: list[str] = []
    base_env = {"LINLI_DATA_DIR": str(VAR / "test"), "DATABASE_URL": ""}
    if CI:
        base_env["LINLI_TEST_REQUIRE_SERVICES"] = "1"
    for name in ("Redis", "Mosquitto"):
        if not ensure_service(name):
            skipped_runs.append(f"{name} tests: {name} is not reachable at "
                                f"{SERVICES[name][0]}:{SERVICES[name][1]}")
    marker = "not postgres"
    if not ensure_chromium():
        marker += " and not browser"
        skipped_runs.append(f"browser tests: no Chromium at {CHROMIUM} (apt-get install "
                            "chromium, or set LINLI_CHROMIUM)")
    for tool in ensure_document_tools():
        skipped_runs.append(f"the tests that read documents with {tool}: not installed "
                            f"(apt-get install {DOCUMENT_TOOLS[tool]})")
    ok = static_checks()
    reports = [VAR / "pytest-sqlite.xml", VAR / "pytest-postgres.xml"]
    for report in reports:
        report.unlink(missing_ok=True)
    ok = pytest("pytest on SQLite", base_env, marker, reports[0]) and ok
    if ensure_service("PostgreSQL") or PG_URL != "postgres://postgres@127.0.0.1:5432/linli":
        env = {**base_env, "DATABASE_URL": PG_URL}
        ok = pytest("pytest on PostgreSQL", env, "not browser", reports[1]) and ok
    else:
        reports.pop()
        skipped_runs.append("the PostgreSQL run: nothing listens on 127.0.0.1:5432 "
                            "(set LINLI_TEST_DATABASE_URL to point at a server)")
    passed = failed = skipped = 0
    for report in reports:
        p, f, s = totals(report)
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print()
    for line in skipped_runs:
        print(f"SKIPPED {line}")
    if CI and skipped_runs:
        print("CI must run everything: failing because of the skips above.")
        ok = False
    if not ok and failed == 0:
        print("A static check failed (see above).")
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if ok and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
