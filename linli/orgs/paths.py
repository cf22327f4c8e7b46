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


def ancestor_paths(path: str) -> list[str]:
    """The paths of an area and of every area above it: "/1/4/" → ["/1/", "/1/4/"]."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
