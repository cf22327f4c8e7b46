"""Arithmetic on materialised area paths ("/1/4/9/"), with no query."""

import posixpath


def common_path(paths: list[str]) -> str:
    """The path of the deepest area holding every one of `paths`, or "" when they share
    none (different districts). The common prefix of the first and last path in order is
    the common prefix of them all."""
    paths = [p for p in paths if p]
    if not paths:
        return ""
    common = posixpath.commonpath([min(paths), max(paths)])
    return common + "/" if common != "/" else ""
