from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IotConfig(AppConfig):
    name = "linli.iot"
    label = "iot"
    verbose_name = _("Devices and alarms")
    home_templates = [(55, "iot/_home.html")]  # tiles on the home page, by order
