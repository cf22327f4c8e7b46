import gc
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    from django.db import connection

    from linli.triage.selectors import warm_up

    try:
        warm_up()
    finally:
        connection.close()  # this thread's own connection
    # What is loaded by now (Django, the apps, the segmenter's dictionary, the model) lives
    # as long as the process: out of the collector's sight, a full collection no longer
    # walks millions of objects in the middle of someone's request (the p99 of intake).
    gc.collect()
    gc.freeze()


# Each web process loads the triage model in the background as it starts (docs/triage.md).
threading.Thread(target=_warm_up, name="triage-warm-up", daemon=True).start()
