"""`linli otp USERNAME`: print a user's current 6-digit TOTP code.

For the demo and for support desks talking a user through enrolment. Running it needs the
database and the field key, so it gives an operator nothing they could not already do; it is
still written to the audit log.
"""

from django.core.management.base import BaseCommand, CommandError

from linli.accounts import scope
from linli.accounts.models import User
from linli.accounts.otp import otp_current_code
from linli.core.audit import audit_record


class Command(BaseCommand):
    help = "Print a user's current 6-digit TOTP code (demo and support desks)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user's login name (any letter case)")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"No user is named {username!r}.")
        code = otp_current_code(user)
        if not code:
            raise CommandError(
                f"{user.username} has no second factor: they set one up at their next login "
                "if their role needs it."
            )
        audit_record(actor=None, action="otp.code_shown", obj=user,
                     area_path=scope.home_path(user))
        self.stdout.write(code)
