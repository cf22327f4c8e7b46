"""`linli`: the everyday jobs in one command.

  linli run        web server + the workers the configuration needs (one command)
  linli demo       load the demo community (prints the logins)
  linli migrate    apply database migrations
  linli worker     a Celery worker (production, with LINLI_BROKER_URL)
  linli beat       the Celery periodic scheduler (production)
  linli otp USER   print a user's current TOTP code (demo and support)
  linli iot        the MQTT subscriber (`linli iot simulate`: simulated devices)
  linli triage     smart triage: train, evaluate FILE.csv, import FILE.csv, status
  linli <other>    any manage.py command (createsuperuser, shell, ...)
"""

import os
import signal
import subprocess
import sys
import threading

from linli.core.env import env_int, env_str


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    import django

    django.setup()


def _manage(args: list[str]) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["linli", *args])
    return 0


def _celery(args: list[str]) -> int:
    if not env_str("LINLI_BROKER_URL"):
        print(f"linli {args[0]} needs a broker: set LINLI_BROKER_URL (redis://… or amqp://…)."
              " Without one, `linli run` does all background work in-process.",
              file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    # Become Celery, so that a stop signal from a service manager reaches it directly.
    os.execv(sys.executable, [sys.executable, "-m", "celery", "-A", "linli", *args])  # noqa: S606


def _address() -> tuple[str, str]:
    return env_str("LINLI_HOST", "127.0.0.1"), str(env_int("LINLI_PORT", 8000))


def _web_command() -> list[str]:
    host, port = _address()
    workers = str(env_int("LINLI_WEB_WORKERS", 2))
    threads = str(env_int("LINLI_WEB_THREADS", 4))
    return [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host,
            "--port", port, "--workers", workers, "--blocking-threads", threads, "--no-ws",
            "linli.wsgi:application"]


def _iot_start(children: list, eager: bool):
    """IoT ingestion beside the rest (docs/iot.md): the subscriber in a thread of this
    process in the embedded default, a `linli iot` child beside the Celery worker. It
    retries an unreachable broker on its own and never stops the web server. Returns the
    in-process subscriber (or None) and what the start line says."""
    from django.conf import settings

    from linli.iot.messages import subscription
    from linli.iot.mqtt import Subscriber, broker_parse

    try:
        broker = broker_parse(settings.MQTT_URL)
    except ValueError as exc:
        return None, f"IoT ingestion off: {exc}"
    if broker is None:
        return None, "IoT ingestion off (LINLI_MQTT_URL=off)"
    if not eager:
        children.append(subprocess.Popen([sys.executable, "-m", "linli.cli", "iot", "listen"]))
        return None, f"IoT ingestion on: `linli iot` reads {subscription()} from {broker}"
    subscriber = Subscriber()
    subscriber.start()
    return subscriber, f"IoT ingestion on: {subscription()} from {broker}, in-process"


def run() -> int:
    _django()
    from django.conf import settings

    from linli.core import scheduler

    children = [subprocess.Popen(_web_command())]
    stop = threading.Event()
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    if eager:
        thread = threading.Thread(target=scheduler.run_forever, args=(stop,), daemon=True)
        thread.start()
        mode = "tasks in-process, periodic schedule in-process"
    else:
        children.append(subprocess.Popen([sys.executable, "-m", "celery", "-A", "linli",
                                          "worker", "--beat", "--loglevel", "INFO"]))
        mode = f"Celery worker + beat on {settings.CELERY_BROKER_URL.split('@')[-1]}"
    subscriber, iot = _iot_start(children, eager)
    host, port = _address()
    listening = f"http://{host}:{port}"
    public = "" if settings.SITE_URL.rstrip("/") == listening else \
        f", links in messages point to {settings.SITE_URL}"
    print(f"Linli serves {listening} ({settings.DATABASES['default']['ENGINE']}; {mode}; "
          f"{iot}{public}). Ctrl-C stops.", flush=True)

    def _stop(*_args):
        stop.set()
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, _stop)
    try:
        return max(child.wait() for child in children)
    except KeyboardInterrupt:
        _stop()
        return 0
    finally:
        if subscriber is not None:
            subscriber.stop(timeout=5)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = args[0], args[1:]
    if command == "run":
        return run()
    if command == "worker":
        return _celery(["worker", "--loglevel", "INFO", *rest])
    if command == "beat":
        return _celery(["beat", "--loglevel", "INFO", *rest])
    if command == "demo":
        return _manage(["demo", *rest])
    if command == "otp":
        return _manage(["otp_code", *rest])
    return _manage([command, *rest])


if __name__ == "__main__":
    sys.exit(main())
