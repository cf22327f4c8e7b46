from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "linli.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")
    home_templates = [(40, "volunteering/_home.html")]  # tiles on the home page, by order
