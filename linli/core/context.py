"""Who is asking, from where: set once per request by middleware, read by the audit log."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""
    channel: str = "web"


_SYSTEM = RequestInfo(channel="system")  # work outside a request: tasks, commands
_current: ContextVar[RequestInfo | None] = ContextVar("linli_request", default=None)


def current_request() -> RequestInfo:
    return _current.get() or _SYSTEM


def set_current_request(info: RequestInfo):
    return _current.set(info)


def reset_current_request(token) -> None:
    _current.reset(token)
