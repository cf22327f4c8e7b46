"""Per-device MQTT credentials (docs/iot-devices.md): a random secret shown once, stored only
as a hash the brokers read themselves.

The hash is Mosquitto 2's own password-file format, `$7$<iterations>$<salt b64>$<hash b64>`:
PBKDF2-HMAC-SHA512 over the secret, a 12-byte salt (Mosquitto 2.0 refuses any other
length) and a 64-byte key. The salt is 12 printable letters and digits, so the same
stored hash also serves EMQX's built-in database (pbkdf2, sha512, the same iterations,
`salt` as text and the key in hex): one secret, either broker, no plain text kept.

The username is the device's identifier, which is also the fourth level of its topics,
so one ACL pattern lets each device publish on its own topics only (`acl_text`).
"""

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Iterable, Iterator
from urllib.parse import unquote, urlsplit

from django.conf import settings

from linli.iot.messages import PREFIX

SCHEME = "$7$"
# What mosquitto_passwd 2.0 writes. The secret is 192 random bits, so guessing it stays out
# of reach however few the iterations; more would only slow every broker login.
ITERATIONS = 101
SALT_LENGTH = 12  # Mosquitto 2.0 reads no other length
KEY_LENGTH = 64   # SHA-512's output, as Mosquitto expects
SECRET_BYTES = 24
_SALT_ALPHABET = string.ascii_letters + string.digits


def secret_new() -> str:
    """A fresh device secret: 32 URL-safe characters (192 random bits)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def _derive(secret: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha512", secret.encode(), salt, iterations, KEY_LENGTH)


def secret_hash(secret: str, *, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """The Mosquitto password-file hash of `secret` (a new random salt unless given)."""
    salt = salt or "".join(secrets.choice(_SALT_ALPHABET) for _ in range(SALT_LENGTH))
    raw_salt = salt.encode()
    assert len(raw_salt) == SALT_LENGTH
    key = _derive(secret, raw_salt, iterations)
    return (f"{SCHEME}{iterations}${base64.b64encode(raw_salt).decode()}$"
            f"{base64.b64encode(key).decode()}")


def _parts(hashed: str) -> tuple[int, bytes, bytes] | None:
    pieces = hashed.split("$")
    if len(pieces) != 5 or pieces[0] != "" or pieces[1] != "7":
        return None
    try:
        return (int(pieces[2]), base64.b64decode(pieces[3], validate=True),
                base64.b64decode(pieces[4], validate=True))
    except ValueError:
        return None


def secret_matches(secret: str, hashed: str) -> bool:
    """Does `secret` match the stored hash (as the broker would check it)?"""
    parts = _parts(hashed)
    if parts is None:
        return False
    iterations, salt, key = parts
    return hmac.compare_digest(_derive(secret, salt, iterations), key)


def emqx_user(username: str, hashed: str) -> dict[str, str] | None:
    """The row EMQX's built-in database imports for this account (`import_users`, with
    password_hash_algorithm pbkdf2 / sha512 / ITERATIONS / dk_length 64); None if the hash
    is not one of ours."""
    parts = _parts(hashed)
    if parts is None:
        return None
    _iterations, salt, key = parts
    return {"user_id": username, "password_hash": key.hex(), "salt": salt.decode(),
            "is_superuser": "false"}


# --- what the broker reads ------------------------------------------------------------------

def topic_prefix() -> str:
    """The topics' first level(s): LINLI_MQTT_PREFIX where the subscriber has that setting,
    else `linli`."""
    return str(getattr(settings, "MQTT_PREFIX", "") or PREFIX).strip("/")


def device_topics(device) -> str:
    """Where `device` publishes: this, followed by telemetry, alarm or heartbeat."""
    return f"{topic_prefix()}/{device.community.code}/{device.kind}/{device.identifier}/"


def _device_accounts() -> Iterator[tuple[str, str]]:
    from linli.iot.models import Device  # models import this module's callers, not it

    rows = (Device.objects.filter(retired_at__isnull=True).exclude(secret_hash="")
            .order_by("identifier").values_list("identifier", "secret_hash"))
    yield from rows.iterator(chunk_size=2000)


def subscriber_account() -> tuple[str, str] | None:
    """The subscriber's own username and password, from LINLI_MQTT_URL
    (`mqtt://user:password@host:1883`); None when it connects without one."""
    parts = urlsplit(settings.MQTT_URL or "")
    if not parts.username:
        return None
    return unquote(parts.username), unquote(parts.password or "")


def password_file_lines(*, subscriber: bool = True) -> Iterator[str]:
    """Mosquitto's `password_file`: one `username:hash` line per device that has a secret and
    is not retired, and (with `subscriber`) the subscriber's own account from LINLI_MQTT_URL,
    hashed afresh each time. `linli iot passwords` writes these lines."""
    account = subscriber_account() if subscriber else None
    if account is not None and account[1]:
        yield f"{account[0]}:{secret_hash(account[1])}"
    for identifier, hashed in _device_accounts():
        yield f"{identifier}:{hashed}"


def emqx_users(*, subscriber: bool = True) -> list[dict[str, str]]:
    """The same accounts as rows for EMQX's built-in database import."""
    rows = []
    account = subscriber_account() if subscriber else None
    if account is not None and account[1]:
        rows.append(emqx_user(account[0], secret_hash(account[1])))
    rows += [emqx_user(identifier, hashed) for identifier, hashed in _device_accounts()]
    return [row for row in rows if row is not None]


def acl_text(subscriber: str | None = None) -> str:
    """Mosquitto's `acl_file`: the subscriber reads every Linli topic; each device writes
    only its own topics, `linli/<community>/<kind>/<its username>/<channel>` (the `%u`
    pattern; a pattern applies to every user); nobody else reads or writes anything."""
    name = subscriber or (subscriber_account() or ("linli-ingest", ""))[0]
    prefix = topic_prefix()
    return "\n".join([
        "# Linli (docs/iot-devices.md). Only what is listed is allowed.",
        f"user {name}",
        f"topic read {prefix}/#",
        "",
        "# Each device publishes on its own topics only: its username is its identifier.",
        f"pattern write {prefix}/+/+/%u/+",
        "",
    ])


def emqx_acl_text(subscriber: str | None = None) -> str:
    """EMQX's file authorizer (acl.conf): the same rules, with the `${username}` placeholder."""
    name = subscriber or (subscriber_account() or ("linli-ingest", ""))[0]
    prefix = topic_prefix()
    return "\n".join([
        "%% Linli (docs/iot-devices.md).",
        f'{{allow, {{username, "{name}"}}, subscribe, ["{prefix}/#"]}}.',
        f'{{allow, all, publish, ["{prefix}/+/+/${{username}}/+"]}}.',
        "{deny, all}.",
        "",
    ])


def lines_text(lines: Iterable[str]) -> str:
    return "".join(f"{line}\n" for line in lines)
