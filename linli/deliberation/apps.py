from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    name = "linli.deliberation"
    label = "deliberation"
    verbose_name = _("Deliberation")
    home_templates = [(45, "deliberation/_home.html")]  # tiles on the home page, by order
