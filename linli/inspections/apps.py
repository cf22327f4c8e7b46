from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "linli.inspections"
    label = "inspections"
    verbose_name = _("Safety inspections")
    home_templates = [(55, "inspections/_home.html")]  # tiles on the home page, by order
