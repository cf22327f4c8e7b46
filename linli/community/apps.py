from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "linli.community"
    label = "community"
    verbose_name = _("Community life")
    home_templates = [(35, "community/_home.html")]  # tiles on the home page, by order
