from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "linli.party"
    label = "party"
    verbose_name = _("Party building")
    home_templates = [(38, "party/_home.html")]  # tiles on the home page, by order
