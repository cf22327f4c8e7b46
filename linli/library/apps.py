from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "linli.library"
    label = "library"
    verbose_name = _("Service library")
    home_templates = [(36, "library/_home.html")]  # tiles on the home page, by order
