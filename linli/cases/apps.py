from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "linli.cases"
    label = "cases"
    verbose_name = _("Cases")
    # Tiles on the home page, by order: the case counts, the public case pages, the units.
    home_templates = [(10, "cases/_home.html"), (11, "cases/_public_home.html"),
                      (80, "cases/_units_home.html")]
