"""A device's credentials as the brokers read them: the hash is the one mosquitto_passwd
writes (same PBKDF2, salt and key lengths), a real Mosquitto accepts the secret with the
password file `password_file_lines` writes and refuses a wrong one, and the ACL lets each
device publish on its own topics only while the subscriber reads them all."""

import base64
import hashlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from linli.iot import credentials
from linli.iot.services import devices as services
from linli.iot.tests.factories import make_device

MOSQUITTO = shutil.which("mosquitto") or ("/usr/sbin/mosquitto"
                                          if Path("/usr/sbin/mosquitto").exists() else None)


def test_the_hash_is_mosquittos_format_and_emqxs_row_is_the_same_key():
    secret = credentials.secret_new()
    hashed = credentials.secret_hash(secret, salt="abcdefghijkl")
    scheme, iterations, salt, key = hashed.split("$")[1:]
    assert (scheme, iterations) == ("7", "101")
    assert base64.b64decode(salt) == b"abcdefghijkl"
    assert base64.b64decode(key) == hashlib.pbkdf2_hmac("sha512", secret.encode(),
                                                        b"abcdefghijkl", 101, 64)
    assert credentials.secret_matches(secret, hashed)
    assert not credentials.secret_matches(secret, "$6$nonsense")
    row = credentials.emqx_user("dev-1", hashed)
    assert row == {"user_id": "dev-1", "salt": "abcdefghijkl", "is_superuser": "false",
                   "password_hash": base64.b64decode(key).hex()}


@pytest.mark.skipif(shutil.which("mosquitto_passwd") is None, reason="no mosquitto_passwd")
def test_mosquitto_passwd_writes_lines_our_check_accepts(tmp_path):
    file = tmp_path / "pw"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(file), "dev-1", "s3cret"], check=True)
    line = file.read_text().strip()
    username, hashed = line.split(":", 1)
    assert username == "dev-1" and hashed.startswith("$7$")
    assert credentials.secret_matches("s3cret", hashed)
    assert len(hashed) == len(credentials.secret_hash("s3cret"))


@pytest.mark.django_db
def test_the_password_file_and_acl_hold_devices_in_service_and_the_subscriber(world, settings):
    settings.MQTT_URL = "mqtt://linli-ingest:sub%20secret@127.0.0.1:1883"
    cover = make_device(world.estate_a, identifier="A-COVER")
    old = make_device(world.estate_a, identifier="A-OLD")
    make_device(world.estate_a, identifier="A-NOSECRET")
    services.device_secret_set(actor=world.alice, device=cover)
    services.device_secret_set(actor=world.alice, device=old)
    services.device_retire(actor=world.alice, device=old, reason="换了新设备")
    lines = list(credentials.password_file_lines())
    assert [line.split(":")[0] for line in lines] == ["linli-ingest", "A-COVER"]
    assert credentials.secret_matches("sub secret", lines[0].split(":", 1)[1])
    acl = credentials.acl_text()
    assert "user linli-ingest\ntopic read linli/#" in acl
    assert "pattern write linli/+/+/%u/+" in acl
    assert '${username}' in credentials.emqx_acl_text()
    assert [r["user_id"] for r in credentials.emqx_users()] == ["linli-ingest", "A-COVER"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _connect(port: int, username: str, password: str, client_id: str):
    """A connected paho client, or the reason code the broker answered."""
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
    client.username_pw_set(username, password)
    answer: dict = {}
    client.on_connect = lambda c, u, flags, code, props: answer.setdefault("code", code)
    client.connect("127.0.0.1", port)
    client.loop_start()
    deadline = time.monotonic() + 5
    while "code" not in answer and time.monotonic() < deadline:
        time.sleep(0.02)
    return client, answer.get("code")


@pytest.mark.skipif(MOSQUITTO is None, reason="no mosquitto")
def test_a_real_mosquitto_accepts_the_secret_and_the_acl_keeps_devices_to_their_topics():
    pytest.importorskip("paho.mqtt")
    assert MOSQUITTO is not None
    secret, sub = credentials.secret_new(), credentials.secret_new()
    lines = [f"dev-1:{credentials.secret_hash(secret)}", f"sub:{credentials.secret_hash(sub)}"]
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        root.chmod(0o755)  # run as root, Mosquitto reads its files as its own user
        (root / "pw").write_text(credentials.lines_text(lines))
        (root / "acl").write_text(credentials.acl_text("sub"))
        (root / "conf").write_text(
            f"listener {port} 127.0.0.1\nallow_anonymous false\npersistence false\n"
            f"password_file {root / 'pw'}\nacl_file {root / 'acl'}\n")
        broker = subprocess.Popen([MOSQUITTO, "-c", str(root / "conf")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        clients = []
        try:
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and broker.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.05)
            assert broker.poll() is None, broker.stderr.read() if broker.stderr else ""
            wrong, code = _connect(port, "dev-1", secret + "x", "wrong")
            clients.append(wrong)
            assert code is not None and code.is_failure
            reader, code = _connect(port, "sub", sub, "sub")
            clients.append(reader)
            assert code is not None and not code.is_failure
            got: list[str] = []
            reader.on_message = lambda c, u, m: got.append(m.topic)
            reader.subscribe("linli/#", qos=1)
            device, code = _connect(port, "dev-1", secret, "dev-1")
            clients.append(device)
            assert code is not None and not code.is_failure
            time.sleep(0.3)
            for channel_topic in ("linli/420103001001/manhole/dev-1/alarm",
                                  "linli/420103001001/manhole/dev-2/alarm"):
                device.publish(channel_topic, b"{}", qos=1).wait_for_publish(2)
            deadline = time.monotonic() + 3
            while not got and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            # Its own topic arrives; another device's name in the topic is dropped.
            assert got == ["linli/420103001001/manhole/dev-1/alarm"]
        finally:
            for client in clients:
                client.loop_stop()
                client.disconnect()
            broker.terminate()
            broker.wait(timeout=5)


@pytest.mark.django_db
def test_the_acl_and_the_topics_follow_the_prefix_in_use(world, settings):
    settings.MQTT_PREFIX = "city/linli"
    assert "pattern write city/linli/+/+/%u/+" in credentials.acl_text("sub")
    assert '"city/linli/+/+/${username}/+"' in credentials.emqx_acl_text("sub")
    cover = make_device(world.estate_a, identifier="A-COVER")
    assert credentials.device_topics(cover) == (
        f"city/linli/{world.community_a.code}/manhole/A-COVER/")
