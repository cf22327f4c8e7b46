"""The service-library pages, one module per part: each module's `urlpatterns`, gathered
here."""

from linli.library import views_needs, views_providers, views_services

app_name = "library"

urlpatterns = [
    *views_services.urlpatterns,   # the hub, services, slots, venues, bookings, the desk
    *views_providers.urlpatterns,  # providers, skilled residents, contributions
    *views_needs.urlpatterns,      # needs, matching, handing over
]
