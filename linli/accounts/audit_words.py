"""What this app's audit codes read as in the audit log (core.auditwords)."""

from django.utils.translation import pgettext_lazy

SUBJECTS = {
    "login": pgettext_lazy("audit", "login"),
    "otp": pgettext_lazy("audit", "second factor"),
    "token": pgettext_lazy("audit", "API token"),
    "user": pgettext_lazy("audit", "user"),
    "role": pgettext_lazy("audit", "role"),
    "roleassignment": pgettext_lazy("audit", "role assignment"),
}
VERBS = {
    "password_passed": pgettext_lazy("audit", "password accepted"),
    "code_shown": pgettext_lazy("audit", "code shown"),
    "enrolled": pgettext_lazy("audit", "set up"),
    "reset": pgettext_lazy("audit", "reset"),
    "revoked": pgettext_lazy("audit", "revoked"),
    "assigned": pgettext_lazy("audit", "assigned"),
    "password_changed": pgettext_lazy("audit", "password changed"),
}
ACTIONS = {
    "login.succeeded": pgettext_lazy("audit", "logged in"),
    "login.failed": pgettext_lazy("audit", "login failed"),
    "login.locked": pgettext_lazy("audit", "login refused: locked"),
}
