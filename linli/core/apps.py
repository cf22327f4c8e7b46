from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = _("System")  # the admin's header over the audit log

    def ready(self) -> None:
        from linli.core.db import widen_psycopg_query_cache

        widen_psycopg_query_cache()
