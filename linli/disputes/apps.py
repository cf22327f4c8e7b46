from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "linli.disputes"
    label = "disputes"
    verbose_name = _("Disputes")
    home_templates = [(50, "disputes/_home.html")]  # tiles on the home page, by order
