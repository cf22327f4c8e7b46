"""The unread count in the navigation."""

from functools import partial


def _unread_count(user) -> int:
    from linli.notifications.selectors import unread_count

    return unread_count(actor=user)


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A callable: templates evaluate it only where the count is shown.
    return {"unread_notifications": partial(_unread_count, user)}
