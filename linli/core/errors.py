"""Errors a service raises for a person to read.

Services raise these; the API turns them into `{"code": ..., "message": ...}` with the
status below, and pages show the message. Messages are translated at the edge.
"""

from typing import Any


class ApplicationError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details


class ValidationFailed(ApplicationError):
    status = 400
    code = "invalid"


class UnsupportedMediaType(ApplicationError):
    """A body in a format this endpoint does not read (JSON sent as text/plain ...): 415."""

    status = 415
    code = "unsupported_media_type"


class PermissionDenied(ApplicationError):
    """A write outside the actor's role or areas: 403, and nothing changes."""

    status = 403
    code = "forbidden"


class NotFound(ApplicationError):
    """A read outside scope looks exactly like a missing object: 404."""

    status = 404
    code = "not_found"


class Conflict(ApplicationError):
    """Somebody else changed the object first, or the request was replayed differently."""

    status = 409
    code = "conflict"
