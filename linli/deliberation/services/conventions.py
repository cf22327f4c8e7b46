"""Conventions (居民公约 / 管理公约): drafted (often from a topic), versioned, adopted by a
vote and published to their scope. Filled in by the conventions part."""

from linli.deliberation.models import ConventionVersion


def version_adopted(version: ConventionVersion, now) -> None:
    """Stub: the conventions part writes it (the version comes into force)."""
