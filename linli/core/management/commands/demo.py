import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from linli.core.demo import demo_loaded, demo_run


def linli_command() -> str:
    """`linli` as this process was started: `make run` starts `.venv/bin/linli`, which is not
    on a newcomer's PATH, so the printed hint must say so to work when pasted."""
    invoked = sys.argv[0] if sys.argv else ""
    return invoked if Path(invoked).name == "linli" else "linli"


class Command(BaseCommand):
    help = "Load the demo community and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing (and succeed) when the database already has areas.")

    def handle(self, *args, **options):
        if demo_loaded():
            if options["if_empty"]:
                self.stdout.write("Demo data already present; nothing loaded.")
                return
            raise CommandError("The database already has areas; the demo loads into an "
                               "empty database only (remove var/linli.sqlite3 to start over).")
        demo = demo_run()
        self.stdout.write(self.style.SUCCESS("Demo loaded. Logins (password for all: "
                                             f"{demo.password}):"))
        linli = linli_command()
        for login in demo.logins:
            extra = f"  phone {login.phone}" if login.phone else ""
            otp = f"  second factor: `{linli} otp {login.username}`" if login.otp_secret else ""
            self.stdout.write(f"  {login.username:<13} {login.role:<12} {login.where}"
                              f"{extra}{otp}")
