from django.contrib import admin
from django.urls import include, path

from linli.api import api

urlpatterns = [
    # First: the API takes most requests, and Django tries the patterns in order.
    path("api/", api.urls),
    path("", include("linli.core.urls")),
    path("accounts/", include("linli.accounts.urls")),
    path("orgs/", include("linli.orgs.urls")),
    path("inbox/", include("linli.notifications.urls")),
    path("cases/", include("linli.cases.urls")),
    path("public/", include("linli.cases.urls_public")),
    path("people/", include("linli.people.urls")),
    path("open311/", include("linli.open311.urls")),
    path("points/", include("linli.points.urls")),
    path("volunteering/", include("linli.volunteering.urls")),
    path("disputes/", include("linli.disputes.urls")),
    path("inspections/", include("linli.inspections.urls")),
    path("deliberation/", include("linli.deliberation.urls")),
    path("community/", include("linli.community.urls")),
    path("library/", include("linli.library.urls")),
    path("party/", include("linli.party.urls")),
    path("iot/", include("linli.iot.urls")),
    path("surveys/", include("linli.surveys.urls")),
    path("daily/", include("linli.dailyreports.urls")),
    path("triage/", include("linli.triage.urls_admin")),
    path("admin/", admin.site.urls),
]

handler404 = "linli.api.not_found"
