from linli.notifications.models import Notification


def note(recipient, title: str = "通知", **overrides) -> Notification:
    defaults = {"kind": "test", "body": "", "link": "/cases/1/"}
    defaults.update(overrides)
    return Notification.objects.create(recipient=recipient, title=title, **defaults)
