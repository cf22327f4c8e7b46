"""`linli backup` and `linli restore`, end to end: the demo goes into one installation, out
into an archive, and back into another, empty one, through the real commands in their own
processes (as an operator runs them, with a server's settings, not the test database)."""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from linli.core.crypto import key_fingerprint

KEY = "the-field-key-kept-apart-from-the-backups"
OTHER_KEY = "a-new-installation-generated-its-own-key"

# Every model's rows, the media files, and one resident's ID number decrypted with the
# installation's key.
SNAPSHOT = """
import json
from pathlib import Path
from django.apps import apps
from django.conf import settings
from linli.core.crypto import decrypt
counts = {m._meta.label: m._default_manager.count()
          for m in apps.get_models(include_auto_created=True)}
resident = (apps.get_model("people", "Resident").objects.exclude(id_number_cipher="")
            .order_by("id").first())
media = Path(settings.MEDIA_ROOT)
print(json.dumps({"counts": counts, "resident": [resident.pk, decrypt(resident.id_number_cipher)],
                  "media": sorted(str(p.relative_to(media)) for p in media.rglob("*")
                                  if p.is_file())}))
"""


def _linli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linli.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _installation(data_dir: Path, database_url: str, key: str = KEY) -> dict:
    data_dir.mkdir()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("LINLI_") and name != "DATABASE_URL"}
    return {**env, "LINLI_DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
            "LINLI_FIELD_KEY": key, "LINLI_DB_POOL": "0", "LINLI_DB_CONN_MAX_AGE": "0"}


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def _snapshot(env: dict) -> dict:
    return json.loads(_ok(_linli(env, "shell", "-c", SNAPSHOT)).splitlines()[-1])


def _round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    source = _installation(tmp_path / "source", source_url)
    _ok(_linli(source, "migrate", "-v", "0"))
    _ok(_linli(source, "demo"))
    before = _snapshot(source)
    archive = tmp_path / "nightly.tar.gz"
    _ok(_linli(source, "backup", str(archive)))

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        content = b"".join(tar.extractfile(m).read() for m in tar if m.isfile())  # type: ignore[union-attr]
    assert manifest["field_key_fingerprint"] == key_fingerprint(KEY)
    assert KEY.encode() not in content
    assert manifest["counts"] == before["counts"]
    assert sorted(n[len("media/"):] for n in names if n.startswith("media/")) == before["media"]

    wrong_key = _installation(tmp_path / "wrong-key", target_url, key=OTHER_KEY)
    refused = _linli(wrong_key, "restore", str(archive))
    assert refused.returncode == 1
    assert "could not be decrypted" in refused.stderr

    target = _installation(tmp_path / "target", target_url)
    _ok(_linli(target, "restore", str(archive)))
    assert _snapshot(target) == before

    again = _linli(target, "restore", str(archive))
    assert (again.returncode, "already has data" in again.stderr) == (1, True)
    _ok(_linli(target, "restore", "--force", str(archive)))
    assert _snapshot(target) == before


def test_the_demo_round_trips_through_backup_and_restore_on_sqlite(tmp_path):
    _round_trip(tmp_path, "", "")


@pytest.mark.postgres
def test_the_demo_round_trips_through_backup_and_restore_on_postgres(tmp_path):
    import psycopg
    from django.conf import settings
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
              "password": db["PASSWORD"]}
    names = [f"{db['NAME']}_backup_source", f"{db['NAME']}_backup_target"]
    admin = make_conninfo("", dbname="postgres", **{k: v for k, v in server.items() if v})
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    urls = [f"postgres://{auth}{db['HOST']}:{db['PORT']}/{name}" for name in names]
    try:
        _round_trip(tmp_path, *urls)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
