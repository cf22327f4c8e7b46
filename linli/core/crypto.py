"""Field encryption (AES-GCM), keyed hashes for exact lookup, and masking (DESIGN.md §7).

Ciphertext layout: b"v1" + 12-byte nonce + AES-GCM(ciphertext || tag), stored base64.
The keyed hash is HMAC-SHA256 under a key derived from the same secret, so equal values can
be found without decrypting; it reveals equality only.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_VERSION = b"v1"


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[bytes, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    enc = hmac.new(root, b"linli-field-encryption", hashlib.sha256).digest()
    mac = hmac.new(root, b"linli-blind-index", hashlib.sha256).digest()
    return enc, mac


def key_fingerprint(secret: str | None = None) -> str:
    """Names the field key without revealing it (backups record it; DESIGN.md §7): equal keys
    give equal fingerprints, and the fingerprint is derived under its own label, so it
    tells nothing about the keys that encrypt."""
    root = hashlib.sha256((secret or settings.FIELD_ENCRYPTION_KEY).encode()).digest()
    return hmac.new(root, b"linli-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def encrypt(plaintext: str, *, secret: str | None = None) -> str:
    if plaintext == "":
        return ""
    enc_key, _ = _keys(secret or settings.FIELD_ENCRYPTION_KEY)
    nonce = os.urandom(12)
    sealed = AESGCM(enc_key).encrypt(nonce, plaintext.encode(), None)
    return base64.b64encode(_VERSION + nonce + sealed).decode()


def decrypt(token: str, *, secret: str | None = None) -> str:
    if token == "":
        return ""
    raw = base64.b64decode(token)
    if raw[:2] != _VERSION:
        raise ValueError("unknown ciphertext version")
    enc_key, _ = _keys(secret or settings.FIELD_ENCRYPTION_KEY)
    return AESGCM(enc_key).decrypt(raw[2:14], raw[14:], None).decode()


def blind_index(value: str, *, secret: str | None = None) -> str:
    if value == "":
        return ""
    _, mac_key = _keys(secret or settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(mac_key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


def mask_phone(phone: str) -> str:
    """136****8888"""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """张*兰 (张* for two characters; a Latin name keeps its first letter)"""
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(id_number: str) -> str:
    """4204**********8888"""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]
