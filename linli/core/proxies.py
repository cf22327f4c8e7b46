"""The client's address behind reverse proxies, for the audit log and the login lockout.

Each proxy appends the address of the peer it received the request from to
X-Forwarded-For, so the header reads "what the client wrote, …, proxy 1's peer, …, the last
proxy's peer". Only the entries appended by proxies Linli trusts are facts; everything to
their left was written by whoever sent the request and can say anything. With
LINLI_TRUSTED_PROXIES = N, the client is therefore the N-th entry from the right: the peer
the outermost trusted proxy saw.

When the header cannot be read that way, the address of the peer that connected
(REMOTE_ADDR, i.e. the nearest proxy) is used, never a guess from the header:
- fewer than N entries: the request did not pass the whole trusted chain (or N is set too
  high), so no entry is known to come from the outermost proxy. Every request then shows the
  proxy's address, which an operator notices on the audit page, rather than silently
  trusting what a client wrote;
- the chosen entry is not an IP address (a port, garbage).
Entries left of the chosen one are never read, so a client cannot steer the choice by
writing garbage there (for instance, to have its failed logins counted against the proxy's
address and lock everyone out).
"""

import ipaddress

from django.conf import settings


def header_meta_key(header: str) -> str:
    """`X-Forwarded-For` (as an operator writes it) or `HTTP_X_FORWARDED_FOR` (as WSGI has
    it) → the key in request.META."""
    key = header.strip().upper().replace("-", "_")
    if not key or key.startswith("HTTP_") or key == "REMOTE_ADDR":
        return key
    return f"HTTP_{key}"


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(meta) -> str | None:
    """The client's IP address for a request's META, by the rule in the module docstring."""
    peer = _address(meta.get("REMOTE_ADDR") or "")
    header, trusted = settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXIES
    forwarded = meta.get(header_meta_key(header), "") if header else ""
    if not forwarded or trusted < 1:
        return peer
    entries = forwarded.split(",")
    if len(entries) < trusted:
        return peer
    return _address(entries[-trusted]) or peer
