"""The votes' clock: close votes whose time is up, remind voters before the close, and let
results stand when their 公示 period has ended. Run by `tasks.votes_sweep` every minute."""


def votes_sweep(now=None) -> int:
    """Stub: the results part writes it."""
    return 0
